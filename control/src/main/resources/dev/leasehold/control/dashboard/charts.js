// Small SVG charts drawn by hand: a line chart of recent samples and a horizontal timeline.
// No library: the dashboard must work offline and fetch nothing but its own files.

const SVG = 'http://www.w3.org/2000/svg';
export const COLOURS = ['#1f5fa8', '#b3411d', '#2b7a3d', '#7a3fa0', '#8a6d00', '#00707a', '#a0285a', '#4d4d4d'];

export function svg(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) {
    el.setAttribute(k, v);
  }
  if (text !== undefined) {
    el.textContent = text;
  }
  return el;
}

function niceMax(v) {
  if (v <= 0) {
    return 1;
  }
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (m * p >= v) {
      return m * p;
    }
  }
  return 10 * p;
}

function format(v) {
  if (v >= 1000) {
    return `${(v / 1000).toFixed(v >= 10000 ? 0 : 1)}k`;
  }
  return Number.isInteger(v) ? `${v}` : `${+v.toFixed(v < 1 ? 2 : 1)}`;
}

/**
 * Draws series ({name, values}) over the same sample times into container; the newest sample
 * is at the right. The figure's text alternative names the latest value of each series.
 */
export function lineChart(container, times, series, unit) {
  const w = 600, h = 220, left = 44, right = 8, top = 10, bottom = 24;
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const root = svg('svg', { viewBox: `0 0 ${w} ${h}`, role: 'img', class: 'linechart' });
  const latest = series.map((s) => `${s.name} ${format(s.values.at(-1) ?? 0)} ${unit}`).join(', ');
  root.append(svg('title', {}, latest || 'no data yet'));
  for (let i = 0; i <= 4; i++) {
    const y = top + (h - top - bottom) * (1 - i / 4);
    root.append(svg('line', { x1: left, x2: w - right, y1: y, y2: y, class: 'grid' }));
    root.append(svg('text', { x: left - 6, y: y + 4, class: 'axis', 'text-anchor': 'end' }, format(max * i / 4)));
  }
  const n = times.length;
  const x = (i) => left + (n <= 1 ? 0 : (w - left - right) * i / (n - 1));
  const y = (v) => top + (h - top - bottom) * (1 - v / max);
  if (n > 1) {
    const span = Math.round((times[n - 1] - times[0]) / 1000);
    root.append(svg('text', { x: left, y: h - 6, class: 'axis' }, `${span} s ago`));
    root.append(svg('text', { x: w - right, y: h - 6, class: 'axis', 'text-anchor': 'end' }, 'now'));
  }
  series.forEach((s, k) => {
    const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    root.append(svg('polyline', { points, fill: 'none', stroke: COLOURS[k % COLOURS.length], 'stroke-width': 2,
      class: 'series', 'data-series': s.name }));
  });
  const legend = document.createElement('ul');
  legend.className = 'chart-legend';
  series.forEach((s, k) => {
    const li = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = COLOURS[k % COLOURS.length];
    li.append(swatch, `${s.name}: ${format(s.values.at(-1) ?? 0)} ${unit}`);
    legend.append(li);
  });
  container.replaceChildren(root, legend);
}

/**
 * Draws holdings ({label, from, until, endedBy}) as bars on a time axis from since to until,
 * one row per holding, oldest first.
 */
export function timeline(container, holdings, since, until, describe) {
  const rowH = 28, left = 8, right = 8, top = 28;
  const w = 900;
  const h = top + Math.max(1, holdings.length) * rowH + 8;
  const root = svg('svg', { viewBox: `0 0 ${w} ${h}`, role: 'img', class: 'timeline' });
  root.append(svg('title', {}, `${holdings.length} holding(s) between ${since.toISOString()} and ${until.toISOString()}`));
  const t0 = since.getTime(), t1 = until.getTime();
  const x = (t) => left + (w - left - right) * (Math.min(Math.max(t, t0), t1) - t0) / (t1 - t0);
  for (let i = 0; i <= 4; i++) {
    const t = new Date(t0 + (t1 - t0) * i / 4);
    const xi = x(t.getTime());
    root.append(svg('line', { x1: xi, x2: xi, y1: top - 6, y2: h, class: 'grid' }));
    root.append(svg('text', { x: xi, y: 14, class: 'axis', 'text-anchor': i === 0 ? 'start' : i === 4 ? 'end' : 'middle' },
      t.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })));
  }
  holdings.forEach((hd, i) => {
    const from = new Date(hd.from).getTime(), to = new Date(hd.until).getTime();
    const y = top + i * rowH;
    const g = svg('g', { class: 'holding', tabindex: 0, 'data-address': hd.address, 'data-mac': hd.mac });
    g.append(svg('title', {}, describe(hd)));
    g.append(svg('rect', { x: x(from), y, width: Math.max(3, x(to) - x(from)), height: rowH - 8, rx: 3,
      fill: COLOURS[i % COLOURS.length] }));
    g.append(svg('text', { x: x(from) + 4, y: y + rowH - 14, class: 'bar-label' }, hd.label));
    root.append(g);
  });
  container.replaceChildren(root);
}

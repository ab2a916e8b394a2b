"""results.json → results.md (tables) and plot.svg (drawn here: no plotting library needed)."""

import json
import math
import os
import statistics
import sys

MAX_DROP_PCT = 0.1
# --compare (issue 15): a step counts as sustained with at most this share of its exchanges lost,
# and a step that lost more while the server used less than CPU_TO_SPARE_PCT of a core is flagged:
# the loss is in a socket buffer or the pacing, not in the server's capacity.
COMPARE_MAX_LOST_PCT = 0.5
CPU_TO_SPARE_PCT = 80.0
COLOURS = {"leasehold-batch": "#1b7837", "leasehold-none": "#7fbf7b", "kea-st": "#2166ac", "kea-mt": "#67a9cf",
           "dnsmasq": "#b2182b"}


def best(steps):
    """The clean step (≤ 0.1 % dropped) with the highest achieved rate, or None."""
    clean = [s for s in steps if s["drop_pct"] <= MAX_DROP_PCT]
    return max(clean, key=lambda s: s["achieved_rate"]) if clean else None


def fmt(value, digits=0, suffix=""):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}{suffix}"


def lat(block, key):
    return fmt(block.get(key) if block else None, 2)


def best_kea(results, scenario):
    """(server name, best step) of the Kea configuration with the higher clean rate in a scenario."""
    found = []
    for name in ("kea-st", "kea-mt"):
        b = best(results["servers"].get(name, {}).get(scenario, {}).get("steps", []))
        if b:
            found.append((name, b))
    return max(found, key=lambda nb: nb[1]["achieved_rate"]) if found else (None, None)


def lowest_kea_cpu(results, scenario):
    found = []
    for name in ("kea-st", "kea-mt"):
        b = best(results["servers"].get(name, {}).get(scenario, {}).get("steps", []))
        if b and b.get("cpu_us_per_lease"):
            found.append((name, b["cpu_us_per_lease"]))
    return min(found, key=lambda nc: nc[1]) if found else (None, None)


def ratio(a, b, digits=2):
    return f"{a / b:.{digits}f}×" if a and b else "–"


def next_step(steps, b):
    """The step that ended the ramp above the best one: how much it dropped, and how many of the lost
    datagrams the generator's own socket discarded (a full receive buffer: replies that did arrive)."""
    higher = [s for s in steps if s["offered_rate"] > b["offered_rate"] and s["drop_pct"] > MAX_DROP_PCT]
    if not higher:
        return "–"
    s = min(higher, key=lambda s: s["offered_rate"])
    lost = s.get("generator_udp_rcvbuf_errors")
    return (f"{fmt(s['offered_rate'])}/s: {fmt(s.get('discovers', s.get('clients', 0)) - s['leases'])} lost "
            f"({fmt(s['drop_pct'], 2)} %); {fmt(lost)} replies discarded")


def headline_table(results):
    """One line per server: the figures the issue's targets are stated in, and Leasehold ÷ Kea."""
    lines = ["### Headline", "",
             "| server | DORA/s perfdhcp | DORA/s --simulate | CPU µs/lease (perfdhcp) | CPU µs/lease (--simulate) "
             "| renewals/s | pre-filled store: serving after / clean DORA/s |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, entry in results["servers"].items():
        p = best(entry.get("dora_perfdhcp", {}).get("steps", []))
        s = best(entry.get("dora_simulate", {}).get("steps", []))
        r = entry.get("renew", {}).get("run")
        st = entry.get("store")
        sb = best(st.get("steps", [])) if st else None
        store = f"{fmt(st['ready_s'], 1)} s / {fmt(sb and sb['achieved_rate'])}" if st else "–"
        lines.append(f"| {entry['label']} | {fmt(p and p['achieved_rate'])} | {fmt(s and s['achieved_rate'])} "
                     f"| {fmt(p and p.get('cpu_us_per_lease'))} | {fmt(s and s.get('cpu_us_per_lease'))} "
                     f"| {fmt(r and r['renew_rate'])} | {store} |")
    lines.append("")
    for scenario, generator in (("dora_perfdhcp", "perfdhcp"), ("dora_simulate", "--simulate")):
        kea_name, kea = best_kea(results, scenario)
        cpu_name, kea_cpu = lowest_kea_cpu(results, scenario)
        for name in ("leasehold-batch", "leasehold-none"):
            b = best(results["servers"].get(name, {}).get(scenario, {}).get("steps", []))
            if b and kea:
                lines.append(f"- {name} ÷ Kea ({generator}): DORA/s {ratio(b['achieved_rate'], kea['achieved_rate'])} "
                             f"of {kea_name}; CPU per lease {ratio(b.get('cpu_us_per_lease'), kea_cpu)} of {cpu_name}")
    return lines + ["", "Each figure is taken at the server's highest clean step (≤ 0.1 % dropped) in that scenario.", ""]


def summary_table(results, scenario, title, note):
    kea_name, kea = best_kea(results, scenario)
    cpu_name, kea_cpu = lowest_kea_cpu(results, scenario)
    lines = [f"### {title}", "", note, "",
             "| server | highest clean rate offered | achieved DORA/s | dropped | Discover→Offer p50 / p99 ms "
             "| Request→Ack p50 / p99 ms | server CPU µs/lease | DORA/s ÷ best Kea | CPU ÷ lowest Kea "
             "| the step above: exchanges lost, and replies the generator's full socket buffer discarded |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, entry in results["servers"].items():
        if scenario not in entry:
            reason = entry.get("skipped", {}).get(scenario) or entry.get("failed", {}).get(scenario)
            if reason:
                lines.append(f"| {entry['label']} | not measured: {reason.splitlines()[0]} |||||||| ")
            continue
        steps = entry[scenario].get("steps", [])
        b = best(steps)
        if not b:
            lowest = min(steps, key=lambda s: s["offered_rate"]) if steps else None
            lines.append(f"| {entry['label']} | none clean (lowest tried: {fmt(lowest and lowest['offered_rate'])}/s, "
                         f"{fmt(lowest and lowest['drop_pct'], 2)} % dropped) |||||||| ")
            continue
        bound = " (short of it)" if b.get("short_of_offered") or b.get("generator_bound") else ""
        lines.append(
            f"| {entry['label']} | {fmt(b['offered_rate'])}/s{bound} | {fmt(b['achieved_rate'])} | {fmt(b['drop_pct'], 3)} % "
            f"| {lat(b['do'], 'p50_ms')} / {lat(b['do'], 'p99_ms')} | {lat(b['ra'], 'p50_ms')} / {lat(b['ra'], 'p99_ms')} "
            f"| {fmt(b.get('cpu_us_per_lease'))} | {ratio(b['achieved_rate'], kea and kea['achieved_rate'])} "
            f"| {ratio(b.get('cpu_us_per_lease'), kea_cpu)} | {next_step(steps, b)} |")
    lines += ["", f"Best Kea here: {kea_name or '–'}; lowest Kea CPU per lease: {cpu_name or '–'}.", ""]
    return lines


def at_kea_rate_table(results):
    kea_name, kea = best_kea(results, "dora_perfdhcp")
    if not kea:
        return []
    rate = kea["offered_rate"]
    lines = [f"### Latency at Kea's own highest clean rate ({fmt(rate)}/s offered, perfdhcp)", "",
             "| server | achieved DORA/s | dropped | Discover→Offer p50 / p99 ms | Request→Ack p50 / p99 ms "
             "| Request→Ack p99 ÷ Kea |", "|---|---:|---:|---:|---:|---:|"]
    for name, entry in results["servers"].items():
        step = next((s for s in entry.get("dora_perfdhcp", {}).get("steps", []) if s["offered_rate"] == rate), None)
        if not step:
            lines.append(f"| {entry['label']} | not run at this rate ||||| ")
            continue
        lines.append(f"| {entry['label']} | {fmt(step['achieved_rate'])} | {fmt(step['drop_pct'], 3)} % "
                     f"| {lat(step['do'], 'p50_ms')} / {lat(step['do'], 'p99_ms')} "
                     f"| {lat(step['ra'], 'p50_ms')} / {lat(step['ra'], 'p99_ms')} "
                     f"| {ratio(step['ra']['p99_ms'], kea['ra']['p99_ms'])} |")
    return lines + [""]


def renew_table(results):
    lines = ["### Renewals of existing leases (`leasehold client --simulate N --renew`, window 256, no rate limit)", "",
             "N new clients obtain leases as fast as the window allows, then each renews once (REQUEST with "
             "ciaddr, unicast, RFC 2131 §4.3.2). CPU per renewal is the server's CPU time sampled every 50 ms "
             "over the renewal phase, whose length the generator reports.", "",
             "| server | clients | DORA/s (phase 1) | renewals/s | renewals missing | renew Request→Ack p50 / p99 ms "
             "| server CPU µs/lease | server CPU µs/renewal | renewals/s ÷ best Kea |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    keas = [results["servers"][k]["renew"]["run"]["renew_rate"] for k in ("kea-st", "kea-mt")
            if "renew" in results["servers"].get(k, {})]
    kea = max(keas) if keas else None
    for name, entry in results["servers"].items():
        if "renew" not in entry:
            reason = entry.get("skipped", {}).get("renew") or entry.get("failed", {}).get("renew")
            if reason:
                lines.append(f"| {entry['label']} | not measured: {reason.splitlines()[0]} |||||||| ")
            continue
        r = entry["renew"]["run"]
        lines.append(f"| {entry['label']} | {fmt(r['clients'])} | {fmt(r['achieved_rate'])} | {fmt(r['renew_rate'])} "
                     f"| {fmt(r['leases'] - r['renewed'])} | {lat(r['renew'], 'p50_ms')} / {lat(r['renew'], 'p99_ms')} "
                     f"| {fmt(r.get('cpu_us_per_lease'))} | {fmt(r.get('cpu_us_per_renewal'))} | {ratio(r['renew_rate'], kea)} |")
    return lines + [""]


def store_table(results):
    lines = ["### A store already holding the pre-filled leases (perfdhcp, new clients)", "",
             "| server | leases in store | serving after start | RSS when serving | rate offered | achieved DORA/s "
             "| dropped | Request→Ack p50 / p99 ms | server CPU µs/lease |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, entry in results["servers"].items():
        if "store" not in entry:
            reason = entry.get("failed", {}).get("store")
            if reason:
                lines.append(f"| {entry['label']} | not measured: {reason.splitlines()[0]} |||||||| ")
            continue
        st = entry["store"]
        steps = st.get("steps", [])
        shown = best(steps) or (steps[-1] if steps else None)
        if not shown:
            lines.append(f"| {entry['label']} | {fmt(st['leases'])} | {fmt(st['ready_s'], 1)} s | {fmt(st['rss_mb_ready'])} MB | – ||||| ")
            continue
        lines.append(f"| {entry['label']} | {fmt(st['leases'])} | {fmt(st['ready_s'], 1)} s | {fmt(st['rss_mb_ready'])} MB "
                     f"| {fmt(shown['offered_rate'])}/s | {fmt(shown['achieved_rate'])} | {fmt(shown['drop_pct'], 3)} % "
                     f"| {lat(shown['ra'], 'p50_ms')} / {lat(shown['ra'], 'p99_ms')} | {fmt(shown.get('cpu_us_per_lease'))} |")
    return lines + ["", "Serving after start: from starting the process to the first DISCOVER answered with an OFFER "
                        "(probed about every 0.2 s).", ""]


def steps_table(results):
    lines = ["## Every step", "",
             "| server | scenario | generator | offered /s | achieved DORA/s | dropped | DO p50 / p99 / avg ms "
             "| RA p50 / p99 / avg ms | server CPU µs/lease | generator CPU µs/lease | server RSS MB "
             "| UDP buffer drops server / generator |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, entry in results["servers"].items():
        for scenario in ("dora_perfdhcp", "dora_simulate", "store"):
            block = entry.get(scenario)
            if not block:
                continue
            rows = ([("warm-up", block["warmup"])] if block.get("warmup") else []) + \
                   [("at Kea's rate" if s.get("at_kea_rate") else "", s) for s in block.get("steps", [])]
            for tag, s in rows:
                gen_cpu = s["generator_cpu_s"] / s["leases"] * 1e6 if s["leases"] else None
                lines.append(
                    f"| {name} | {scenario}{' ' + tag if tag else ''} | {s['generator']} | {fmt(s['offered_rate'])} "
                    f"| {fmt(s['achieved_rate'])} | {fmt(s['drop_pct'], 3)} % "
                    f"| {lat(s['do'], 'p50_ms')} / {lat(s['do'], 'p99_ms')} / {lat(s['do'], 'avg_ms')} "
                    f"| {lat(s['ra'], 'p50_ms')} / {lat(s['ra'], 'p99_ms')} / {lat(s['ra'], 'avg_ms')} "
                    f"| {fmt(s.get('cpu_us_per_lease'))} | {fmt(gen_cpu)} | {fmt(s.get('server_rss_mb'))} "
                    f"| {fmt(s.get('server_udp_rcvbuf_errors'))} / {fmt(s.get('generator_udp_rcvbuf_errors'))} |")
    return lines + ["", "avg: perfdhcp's own average (the Java generator reports none). p50/p99 of perfdhcp "
                        "steps are computed from its per-exchange timestamps (`-x t`); warm-up steps run without "
                        "them, so they show only perfdhcp's average. UDP buffer drops: the namespace's UDP "
                        "RcvbufErrors (/proc/net/snmp) during the step, datagrams the kernel discarded because a "
                        "socket's receive buffer was full (Kea's raw socket and dnsmasq's are not all counted "
                        "there).", ""]


def machine_lines(meta):
    """The heading, the incomplete-run warning and the machine and versions bullets every report starts with."""
    v = meta.get("versions", {})
    lines = [f"# Leasehold benchmark, {meta.get('started', '')} ({meta.get('profile', '')})", ""]
    if not meta.get("complete"):
        lines += ["**Incomplete run**: interrupted or still running; the tables hold what was measured.", ""]
    return lines + [
        "## Machine and versions", "",
        f"- {meta.get('nproc')} CPUs: {meta.get('cpu_model')}; {meta.get('memory_gb')} GB RAM; Linux {meta.get('kernel')}",
        f"- load average (1, 5, 15 min) at start {fmt_load(meta.get('load_average_start'))}, at end "
        f"{fmt_load(meta.get('load_average_end'))} — other work on the machine shares the cores",
        f"- data folders on {meta.get('work_filesystem')}",
        f"- LAN: {meta.get('lan')}",
        f"- Leasehold {v.get('leasehold')}; {v.get('java')}; JVM options `{meta.get('leasehold_jvm_options')}`",
        f"- {v.get('kea-dhcp4') and 'kea-dhcp4 ' + v.get('kea-dhcp4')}; perfdhcp {v.get('perfdhcp')}; {v.get('dnsmasq')}",
        f"- command: `{meta.get('command')}`; every server and generator command is in "
        "[commands.txt](commands.txt), the server configurations in [configs/](configs/), the generators' reports in [raw/](raw/)",
    ] + ([f"- dhcpgen: {v['dhcpgen']}"] if v.get("dhcpgen") else [])


def write(out, results):
    meta = results["meta"]
    if meta.get("mode") == "compare":
        return write_compare(out, results)
    lines = machine_lines(meta) + [
        f"- a step is clean when at most {MAX_DROP_PCT} % of its exchanges went unanswered within 1 s; "
        f"steps last {meta.get('profile_settings', {}).get('step_s')} s; warm-up before every server's measured steps: "
        f"perfdhcp {meta.get('profile_settings', {}).get('warmup', ['?'])[0]}/s for "
        f"{meta.get('profile_settings', {}).get('warmup', ['?', '?'])[1]} s",
        "", "![leases/s and latency per server](plot.svg)", "", "## Summary", ""]
    lines += headline_table(results)
    lines += summary_table(results, "dora_perfdhcp", "New clients, perfdhcp (full DORA, relayed)",
                           "The highest offered rate with at most 0.1 % dropped exchanges; latencies and CPU at that step.")
    lines += summary_table(results, "dora_simulate", "New clients, `leasehold client --simulate` (full DORA, relayed, RFC 8357)",
                           "The same ramp driven by the Java load generator, which costs less CPU per lease than perfdhcp; "
                           "it starts one rung below the server's perfdhcp result.")
    lines += at_kea_rate_table(results)
    lines += renew_table(results)
    lines += store_table(results)
    failed = [(n, s, r) for n, e in results["servers"].items() for s, r in e.get("failed", {}).items()]
    if failed:
        lines += ["## Failures", ""] + [f"- {n} / {s}: `{r.splitlines()[0] if r else ''}`" for n, s, r in failed] + [""]
    lines += steps_table(results)
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(out, "plot.svg"), "w") as f:
        f.write(svg(results))


# --- --compare: both generators, servers interleaved round by round ---

COMPARE_COLUMNS = ("| server | offered /s | achieved DORA/s | lost | lost with CPU to spare | OFFER max ms "
                   "| Discover→Offer p50 / p99 ms | Request→Ack p50 / p99 ms | server CPU % of a core "
                   "| server CPU µs/lease | generator CPU % of a core (µs/lease) | UDP RcvbufErrors server / generator |")
COMPARE_ALIGN = "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|"
# The numbers of a step that are given as medians across rounds: paths into a step's dict.
COMPARE_FIELDS = (("achieved_rate",), ("drop_pct",), ("lost",), ("no_offer",), ("no_ack",), ("do", "max_ms"), ("do", "p50_ms"), ("do", "p99_ms"),
                  ("ra", "p50_ms"), ("ra", "p99_ms"), ("server_cpu_pct",), ("cpu_us_per_lease",),
                  ("generator_cpu_pct",), ("generator_cpu_us_per_lease",), ("server_udp_rcvbuf_errors",),
                  ("generator_udp_rcvbuf_errors",))


def lost_with_cpu_to_spare(step):
    """True when a step lost more than COMPARE_MAX_LOST_PCT of its exchanges although the server used
    less than CPU_TO_SPARE_PCT of one core while the generator was sending: not a capacity limit."""
    cpu = step.get("server_cpu_pct")
    return step["drop_pct"] > COMPARE_MAX_LOST_PCT and cpu is not None and cpu < CPU_TO_SPARE_PCT


def sustained_rate(steps):
    """The highest offered rate whose step lost at most COMPARE_MAX_LOST_PCT, or None."""
    ok = [s["offered_rate"] for s in steps if s["drop_pct"] <= COMPARE_MAX_LOST_PCT]
    return max(ok) if ok else None


def _get(step, path):
    for key in path:
        step = step.get(key) if isinstance(step, dict) else None
    return step


def median_step(steps):
    """One step of the same shape whose numbers are the medians of the given steps' (None left out);
    `flagged` counts the steps lost with CPU to spare, `rounds` how many steps there were."""
    out = {"offered_rate": steps[0]["offered_rate"], "do": {}, "ra": {}, "rounds": len(steps),
           "flagged": sum(1 for s in steps if s.get("lost_with_cpu_to_spare"))}
    for path in COMPARE_FIELDS:
        values = [v for v in (_get(s, path) for s in steps) if v is not None]
        value = statistics.median(values) if values else None
        if len(path) == 2:
            out[path[0]][path[1]] = value
        else:
            out[path[0]] = value
    return out


def compare_runs(results, generator):
    """{server: [run of round 1, run of round 2, …]} for one generator, in the servers' order."""
    runs = {}
    for name in results["meta"].get("servers", results["servers"].keys()):
        runs[name] = [r["runs"].get(name, {}).get(generator) for r in results.get("rounds", [])]
    return runs


def lost_cell(s):
    """'0.50 % (40: 30 no OFFER, 10 no ACK)'; the split only where something was lost and it is known."""
    split = ""
    if s.get("lost") and s.get("no_offer") is not None:
        split = f": {fmt(s['no_offer'])} no OFFER, {fmt(s['no_ack'])} no ACK"
    return f"{fmt(s.get('drop_pct'), 2)} % ({fmt(s.get('lost'))}{split})"


def compare_row(name, s, flag):
    gen = fmt(s.get("generator_cpu_pct"))
    gen_us = s.get("generator_cpu_us_per_lease")
    return (f"| {name} | {fmt(s['offered_rate'])} | {fmt(s.get('achieved_rate'))} "
            f"| {lost_cell(s)} | {flag} "
            f"| {fmt(_get(s, ('do', 'max_ms')) or _get(s, ('do', 'perfdhcp_max_ms')), 1)} "
            f"| {lat(s.get('do'), 'p50_ms')} / {lat(s.get('do'), 'p99_ms')} "
            f"| {lat(s.get('ra'), 'p50_ms')} / {lat(s.get('ra'), 'p99_ms')} "
            f"| {fmt(s.get('server_cpu_pct'))} % | {fmt(s.get('cpu_us_per_lease'))} "
            f"| {gen} %{f' ({fmt(gen_us)})' if gen_us is not None else ''} "
            f"| {fmt(s.get('server_udp_rcvbuf_errors'))} / {fmt(s.get('generator_udp_rcvbuf_errors'))} |")


def compare_summary(results, generators):
    rounds = results.get("rounds", [])
    lines = [f"## Highest rate with at most {COMPARE_MAX_LOST_PCT} % lost", "",
             "The highest offered rate whose step lost at most "
             f"{COMPARE_MAX_LOST_PCT} % of its exchanges (achieved DORA/s in brackets), per round and the median "
             "across rounds (a round where no step did counts as 0). Steps lost with CPU to spare: steps that lost "
             f"more than {COMPARE_MAX_LOST_PCT} % while the server used less than {fmt(CPU_TO_SPARE_PCT)} % of a core.", "",
             "| server | generator | " + " | ".join(f"round {r['round']}" for r in rounds)
             + " | median | steps lost with CPU to spare |",
             "|---|---|" + "---:|" * len(rounds) + "---:|---:|"]
    for generator in generators:
        for name, runs in compare_runs(results, generator).items():
            cells, rates, flagged, total = [], [], 0, 0
            for run in runs:
                steps = (run or {}).get("steps", [])
                total += len(steps)
                flagged += sum(1 for s in steps if s.get("lost_with_cpu_to_spare"))
                if run is None or (run.get("failed") and not steps):
                    cells.append("failed" if run else "–")
                    continue
                rate = sustained_rate(steps)
                rates.append(rate or 0)
                at = next((s for s in steps if s["offered_rate"] == rate), None)
                cells.append(f"{fmt(rate)} ({fmt(at['achieved_rate'])})" if at else "none")
            median = fmt(statistics.median(rates)) if rates else "–"
            lines.append(f"| {results['servers'].get(name, {}).get('label', name)} | {generator} | "
                         + " | ".join(cells) + f" | {median} | {flagged} of {total} |")
    return lines + [""]


def compare_median_tables(results, generators):
    n = len(results.get("rounds", []))
    lines = []
    for generator in generators:
        lines += [f"## {generator}: medians of {n} round{'s' if n != 1 else ''}", "", COMPARE_COLUMNS, COMPARE_ALIGN]
        for name, runs in compare_runs(results, generator).items():
            by_rate = {}
            for run in runs:
                for s in (run or {}).get("steps", []):
                    by_rate.setdefault(s["offered_rate"], []).append(s)
            for rate in sorted(by_rate):
                m = median_step(by_rate[rate])
                flag = f"yes, {m['flagged']} of {m['rounds']}" if m["flagged"] else "no"
                lines.append(compare_row(name, m, flag))
        lines.append("")
    return lines


def compare_round_tables(results, generators):
    lines = ["## Appendix: every round", ""]
    for r in results.get("rounds", []):
        lines += [f"### Round {r['round']} (order: {', '.join(r['order'])})", ""]
        for generator in generators:
            lines += [f"{generator}:", "", COMPARE_COLUMNS, COMPARE_ALIGN]
            for name in r["order"]:
                run = r["runs"].get(name, {}).get(generator)
                if not run:
                    continue
                rows = ([("warm-up", run["warmup"])] if run.get("warmup") else []) + [("", s) for s in run.get("steps", [])]
                for tag, s in rows:
                    flag = "–" if tag else ("yes" if s.get("lost_with_cpu_to_spare") else "no")
                    lines.append(compare_row(f"{name} {tag}".strip(), {**s, "lost": s.get("lost", s.get("discovers", 0) - s["leases"])}, flag))
                if run.get("failed"):
                    lines.append(f"| {name} | failed: {run['failed'].splitlines()[0]} |||||||||||")
            lines.append("")
    return lines


COMPARE_NOTES = [
    "Lost: 1 − ACKs ÷ DISCOVERs sent (no OFFER, no ACK or a NAK within 1 s), and the count, split into "
    "DISCOVERs never answered and REQUESTs not ACKed. OFFER max: the "
    "largest DISCOVER→OFFER latency of the step (perfdhcp: from its per-exchange timestamps, `-x t`; dhcpgen: "
    "its exact maximum). p50 / p99: perfdhcp nearest rank over its timestamps; dhcpgen from its histogram "
    "(about 1.6 % resolution). Server CPU % of a core: the server's CPU time (sampled every 50 ms) during the "
    "generator's sending time ÷ that time; a multi-threaded server can exceed 100 %. Server CPU µs/lease: over the "
    "whole step including the last replies ÷ ACKs. Generator CPU: its CPU time ÷ the step's sending time, and "
    "÷ ACKs. UDP RcvbufErrors: datagrams the kernel discarded for a full socket receive buffer in the server's "
    "and in the generator's namespace during the step (Kea's raw socket does not count there). "
    "Medians are per column, so one row's numbers may come from different rounds.", ""]


def generator_notes(results):
    """dhcpgen's own warnings: DORAs it could not start (no idle client), packets the kernel refused."""
    notes = []
    for r in results.get("rounds", []):
        for name, by_generator in r["runs"].items():
            for generator, run in by_generator.items():
                for s in (run or {}).get("steps", []):
                    if s.get("skipped") or s.get("send_errors"):
                        notes.append(f"- round {r['round']}, {name}, {generator} {fmt(s['offered_rate'])}/s: "
                                     f"{fmt(s.get('skipped'))} DORAs skipped (no idle client), "
                                     f"{fmt(s.get('send_errors'))} send errors: it offered less than the rate")
    return (["Generator warnings:", ""] + notes + [""]) if notes else []


def write_compare(out, results):
    meta = results["meta"]
    c = meta.get("compare", {})
    generators = [g for g in ("perfdhcp", "dhcpgen") if c.get("rates", {}).get(g)]
    lines = machine_lines(meta) + [
        f"- {c.get('rounds')} round{'s' if c.get('rounds') != 1 else ''}; the servers alternate their order round by round; for each server and "
        f"generator a fresh server process, warmed up by that generator at {fmt(c.get('warmup_rate'))}/s for "
        f"{c.get('warmup_s')} s, then steps of {c.get('step_s')} s at "
        + "; ".join(f"{g} {', '.join(fmt(r) for r in c['rates'][g])}/s" for g in generators)
        + ", every step with new clients, over the veth as a relay",
        "", "See docs/benchmarks.md (\"Comparing the generators\") for what each column means.", ""]
    lines += compare_summary(results, generators)
    lines += compare_median_tables(results, generators)
    lines += COMPARE_NOTES
    lines += generator_notes(results)
    lines += compare_round_tables(results, generators)
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


def fmt_load(load):
    return " / ".join(f"{x:.2f}" for x in load) if load else "–"


# --- the plot ---

def svg(results):
    servers = results["servers"]
    w, h = 1260, 440
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
             'font-family="sans-serif" font-size="12">', f'<rect width="{w}" height="{h}" fill="white"/>']
    series_rate, series_lat = {}, {}
    for name, entry in servers.items():
        steps = sorted(entry.get("dora_perfdhcp", {}).get("steps", []), key=lambda s: s["offered_rate"])
        series_rate[name] = [(s["offered_rate"], s["achieved_rate"], s["drop_pct"] <= MAX_DROP_PCT) for s in steps]
        series_lat[name] = [(s["offered_rate"], s["ra"]["p99_ms"], s["drop_pct"] <= MAX_DROP_PCT)
                            for s in steps if s["ra"].get("p99_ms")]
    max_x = max([x for pts in series_rate.values() for x, _, _ in pts] + [1000])
    max_y = max([y for pts in series_rate.values() for _, y, _ in pts] + [1000])
    top = nice(max(max_x, max_y))
    parts += line_panel(20, 40, 380, 330, "perfdhcp: achieved vs offered DORA/s", series_rate, (0, top), (0, top),
                        "offered DORA/s", "achieved DORA/s", diagonal=True)
    lat_values = [y for pts in series_lat.values() for _, y, _ in pts if y]
    lo = 10 ** math.floor(math.log10(min(lat_values))) if lat_values else 0.1
    hi = 10 ** math.ceil(math.log10(max(lat_values))) if lat_values else 1000
    parts += line_panel(440, 40, 380, 330, "perfdhcp: Request→Ack p99 latency (ms, log)", series_lat,
                        (0, top), (lo, max(hi, lo * 10)), "offered DORA/s", "p99 ms", log_y=True)
    parts += bar_panel(870, 40, 370, 330, servers)
    # legend
    x = 20
    for name, entry in servers.items():
        c = COLOURS.get(name, "#444")
        parts.append(f'<rect x="{x}" y="{h - 22}" width="12" height="12" fill="{c}"/>')
        parts.append(f'<text x="{x + 16}" y="{h - 12}">{esc(entry["label"])}</text>')
        x += 20 + 7 * len(entry["label"])
    parts.append(f'<text x="{w - 10}" y="{h - 12}" text-anchor="end" fill="#666">filled dot: ≤ 0.1 % dropped; '
                 'hollow: more</text>')
    parts.append("</svg>\n")
    return "\n".join(parts)


def nice(v):
    exp = 10 ** math.floor(math.log10(v))
    for m in (1, 2, 2.5, 5, 10):
        if m * exp >= v:
            return m * exp
    return 10 * exp


def esc(text):
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def line_panel(x0, y0, w, h, title, series, xr, yr, xlabel, ylabel, diagonal=False, log_y=False):
    out = [f'<text x="{x0 + w / 2}" y="{y0 - 12}" text-anchor="middle" font-weight="bold">{esc(title)}</text>']
    left, bottom = x0 + 55, y0 + h - 30
    pw, ph = w - 65, h - 40

    def sx(v):
        return left + (v - xr[0]) / (xr[1] - xr[0]) * pw

    def sy(v):
        if log_y:
            v = max(v, yr[0])
            return bottom - (math.log10(v) - math.log10(yr[0])) / (math.log10(yr[1]) - math.log10(yr[0])) * ph
        return bottom - (v - yr[0]) / (yr[1] - yr[0]) * ph

    out.append(f'<rect x="{left}" y="{bottom - ph}" width="{pw}" height="{ph}" fill="none" stroke="#999"/>')
    for i in range(6):
        xv = xr[0] + (xr[1] - xr[0]) * i / 5
        out.append(f'<text x="{sx(xv)}" y="{bottom + 15}" text-anchor="middle">{xv:,.0f}</text>')
    if log_y:
        ticks, v = [], yr[0]
        while v <= yr[1] * 1.0001:
            ticks.append(v)
            v *= 10
    else:
        ticks = [yr[0] + (yr[1] - yr[0]) * i / 5 for i in range(6)]
    for yv in ticks:
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{sy(yv)}" y2="{sy(yv)}" stroke="#eee"/>')
        out.append(f'<text x="{left - 5}" y="{sy(yv) + 4}" text-anchor="end">{yv:,.{0 if yv >= 1 else 2}f}</text>')
    out.append(f'<text x="{left + pw / 2}" y="{bottom + 30}" text-anchor="middle">{esc(xlabel)}</text>')
    out.append(f'<text transform="translate({x0 + 10},{bottom - ph / 2}) rotate(-90)" text-anchor="middle">{esc(ylabel)}</text>')
    if diagonal:
        out.append(f'<line x1="{sx(xr[0])}" y1="{sy(yr[0])}" x2="{sx(xr[1])}" y2="{sy(yr[1])}" stroke="#bbb" stroke-dasharray="4 4"/>')
    for name, pts in series.items():
        if not pts:
            continue
        c = COLOURS.get(name, "#444")
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y, _ in pts)
        out.append(f'<polyline points="{path}" fill="none" stroke="{c}" stroke-width="2"/>')
        for x, y, ok in pts:
            out.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3.5" stroke="{c}" stroke-width="1.5" '
                       f'fill="{c if ok else "white"}"/>')
    return out


def bar_panel(x0, y0, w, h, servers):
    """Highest clean DORA/s per server, perfdhcp and --simulate side by side, CPU µs/lease on top."""
    out = [f'<text x="{x0 + w / 2}" y="{y0 - 12}" text-anchor="middle" font-weight="bold">'
           'highest clean DORA/s (label: server CPU µs/lease)</text>']
    left, bottom = x0 + 55, y0 + h - 30
    pw, ph = w - 65, h - 40
    rows = []
    for name, entry in servers.items():
        p = best(entry.get("dora_perfdhcp", {}).get("steps", []))
        s = best(entry.get("dora_simulate", {}).get("steps", []))
        rows.append((name, p, s))
    top = nice(max([b["achieved_rate"] for _, p, s in rows for b in (p, s) if b] + [1000]))
    out.append(f'<rect x="{left}" y="{bottom - ph}" width="{pw}" height="{ph}" fill="none" stroke="#999"/>')
    for i in range(6):
        v = top * i / 5
        y = bottom - ph * i / 5
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{y}" y2="{y}" stroke="#eee"/>')
        out.append(f'<text x="{left - 5}" y="{y + 4}" text-anchor="end">{v:,.0f}</text>')
    slot = pw / max(1, len(rows))
    for i, (name, p, s) in enumerate(rows):
        c = COLOURS.get(name, "#444")
        for j, (b, pattern) in enumerate(((p, 1.0), (s, 0.55))):
            if not b:
                continue
            bh = b["achieved_rate"] / top * ph
            bx = left + i * slot + 6 + j * (slot - 12) / 2
            bw = (slot - 12) / 2 - 2
            out.append(f'<rect x="{bx:.1f}" y="{bottom - bh:.1f}" width="{bw:.1f}" height="{bh:.1f}" fill="{c}" '
                       f'fill-opacity="{pattern}"/>')
            if b.get("cpu_us_per_lease"):
                out.append(f'<text x="{bx + bw / 2:.1f}" y="{bottom - bh - 4:.1f}" text-anchor="middle" '
                           f'font-size="10">{b["cpu_us_per_lease"]:.0f}</text>')
        for k, word in enumerate(name.split("-")):
            out.append(f'<text x="{left + i * slot + slot / 2:.1f}" y="{bottom + 13 + 12 * k}" text-anchor="middle" '
                       f'font-size="11">{esc(word)}</text>')
    out.append(f'<text x="{left + pw / 2}" y="{bottom + 44}" text-anchor="middle" font-size="11">'
               'left bar: perfdhcp; right, lighter bar: --simulate</text>')
    return out


if __name__ == "__main__":
    folder = sys.argv[1]
    with open(os.path.join(folder, "results.json")) as f:
        write(folder, json.load(f))
    print(os.path.join(folder, "results.md"))

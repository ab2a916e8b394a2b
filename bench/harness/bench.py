"""The Leasehold benchmark: every server in one run, on one machine, over a namespace LAN.

Run through bench/run.sh (which checks for root, builds Leasehold and snapshots its jars);
see docs/benchmarks.md for what each number means.
"""

import argparse
import datetime
import json
import os
import platform
import shlex
import signal
import subprocess
import sys
import time

import lan as lanmod
import report
import postgres as postgresmod
import servers as servermod
from loads import Generators
from proc import CpuSampler

MAX_DROP_PCT = 0.1
# A clean step that reached less than this share of its offered rate ends the ramp: perfdhcp could
# not send faster, or --simulate's window of in-flight exchanges filled because replies were slow.
SHORT_OF_OFFERED = 0.85


PROFILES = {
    "quick": {
        "step_s": 3,
        "ladder": [1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 10000, 12000, 14000, 16000, 20000, 24000,
                   28000, 32000],
        "descend": [500, 250, 125, 60],
        # Long enough for the JVM's compilers to finish with the packet path (its compile threads
        # were still busy after 5 s at 2,000/s); every server gets the same.
        "warmup": (3000, 15),
        "renew_clients": 30_000,
        "store_leases": 1_000_000,
        "store_ready_s": 60,
        "store_ladder": False,
    },
    "full": {
        "step_s": 10,
        "ladder": [1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000, 12000, 14000, 16000, 18000,
                   20000, 24000, 28000, 32000],
        "descend": [500, 250, 125, 60],
        "warmup": (3000, 30),
        "renew_clients": 100_000,
        "store_leases": 1_000_000,
        "store_ready_s": 300,
        "store_ladder": True,
    },
}


class Interrupted(Exception):
    pass


def on_sigterm(signum, frame):
    raise Interrupted(f"signal {signum}")


def clean(step):
    return step["drop_pct"] <= MAX_DROP_PCT


class Bench:
    def __init__(self, args, lan):
        self.args = args
        # --compare builds its own settings (compare.py); the ramps use a named profile.
        self.profile = PROFILES.get(args.profile, {})
        self.lan = lan
        self.out = args.out
        self.commands = []
        self.results = {"meta": {}, "servers": {}}
        java = os.path.join(args.java_home, "bin", "java")
        self.gen = Generators(lan, java, args.app, self.record, dhcpgen=getattr(args, "dhcpgen", None))
        self.launcher = servermod.Launcher(lan, args.app, args.work, java, shlex.split(args.leasehold_jvm),
                                           os.cpu_count(), self.record)
        self.mac_byte = 0
        self.seed = 0
        self.current_uses_postgres = False
        os.makedirs(os.path.join(self.out, "configs"), exist_ok=True)
        os.makedirs(os.path.join(self.out, "raw"), exist_ok=True)

    # --- bookkeeping ---

    def record(self, kind, argv, files=None):
        self.commands.append((kind, shlex.join(argv)))
        for name, text in (files or {}).items():
            with open(os.path.join(self.out, "configs", name), "w") as f:
                f.write(text)

    def log(self, text):
        print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)

    def save(self, complete=False):
        self.results["meta"]["complete"] = complete
        self.results["meta"]["finished"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        self.results["meta"]["load_average_end"] = os.getloadavg()
        with open(os.path.join(self.out, "results.json"), "w") as f:
            json.dump(self.results, f, indent=1)
        with open(os.path.join(self.out, "commands.txt"), "w") as f:
            f.write("# Every command the run executed, in order (server, perfdhcp, simulate).\n")
            for kind, line in self.commands:
                f.write(f"# {kind}\n{line}\n")
        report.write(self.out, self.results)

    def raw(self, name, text):
        with open(os.path.join(self.out, "raw", name), "w") as f:
            f.write(text)

    # --- one server process ---

    def start(self, server, prefilled=None, ready_deadline=60):
        self.mac_byte = 0
        self.current_uses_postgres = servermod.uses_postgres(server)
        if self.current_uses_postgres and self.launcher.postgres is None:
            self.launcher.postgres = postgresmod.BenchPostgres(self.lan, self.record)
            self.launcher.postgres.start()
        process = self.launcher.start(server, prefilled)
        ready = self.gen.probe(ready_deadline)
        if ready is None or not process.alive():
            tail = process.log_tail()
            process.stop()
            raise RuntimeError(f"{server.name} did not serve within {ready_deadline} s:\n{tail}")
        return process, ready

    def next_mac_byte(self):
        self.mac_byte += 1
        if self.mac_byte > 255:
            raise RuntimeError("more than 255 perfdhcp runs against one server process")
        return self.mac_byte

    def next_seed(self):
        self.seed = self.seed % 127 + 1
        return self.seed

    def measured(self, process, run):
        """Runs one step and adds the server's CPU time and memory to its result."""
        udp0 = {ns: self.lan.udp_counters(ns) for ns in (self.lan.server_ns, self.lan.generator_ns)}
        cpu0 = process.cpu_seconds()
        pg = self.launcher.postgres if self.current_uses_postgres else None
        db0 = (pg.cpu_seconds(), pg.wal_syncs()) if pg else None
        step, extra = run()
        cpu = process.cpu_seconds() - cpu0
        if pg:
            db_cpu = pg.cpu_seconds() - db0[0]
            wal = pg.wal_syncs() - db0[1]
            step["db_cpu_s"] = db_cpu
            step["db_wal_syncs"] = wal
            step["db_cpu_us_per_lease"] = db_cpu / step["leases"] * 1e6 if step["leases"] else None
            step["wal_syncs_per_lease"] = wal / step["leases"] if step["leases"] else None
            step["total_cpu_us_per_lease"] = (cpu + db_cpu) / step["leases"] * 1e6 if step["leases"] else None
        udp1 = {ns: self.lan.udp_counters(ns) for ns in (self.lan.server_ns, self.lan.generator_ns)}
        # Datagrams the kernel dropped for a full socket buffer, on either side: a lost exchange
        # that the server never saw, or whose reply the generator could not take in.
        for side, ns in (("server", self.lan.server_ns), ("generator", self.lan.generator_ns)):
            step[f"{side}_udp_rcvbuf_errors"] = udp1[ns].get("RcvbufErrors", 0) - udp0[ns].get("RcvbufErrors", 0)
        step["server_cpu_s"] = cpu
        step["cpu_us_per_lease"] = cpu / step["leases"] * 1e6 if step["leases"] else None
        step["server_rss_mb"] = process.rss_megabytes()
        step["server_alive"] = process.alive()
        return step, extra

    def warm_up(self, process, server, tag, generator="perfdhcp"):
        """The same load for every server before it is measured, from the generator the scenario
        measures with: a JVM compiles the paths that load takes, and --simulate's (relay port,
        RFC 8357 sub-option) differ from perfdhcp's."""
        rate, seconds = self.profile["warmup"]
        if generator == "simulate":
            step, _ = self.measured(process, lambda: self.gen.simulate(rate * seconds, rate, self.next_seed(),
                                                                       window=max(256, rate)))
        elif generator == "dhcpgen":
            step, out = self.measured(process, lambda: self.gen.dhcpgen(rate, seconds, self.next_mac_byte()))
            self.raw(f"{server.name}-{tag}-warmup.txt", out)
        else:
            step, out = self.measured(process, lambda: self.gen.perfdhcp(rate, seconds, self.next_mac_byte(),
                                                                         timestamps=False))
            self.raw(f"{server.name}-{tag}-warmup.txt", out)
        self.log(f"  warm-up {generator} {rate}/s x {seconds} s: {step['leases']} leases, "
                 f"{step['drop_pct']:.2f} % dropped")
        return step

    def perfdhcp_step(self, process, server, tag, rate):
        step, out = self.measured(process, lambda: self.gen.perfdhcp(rate, self.profile["step_s"], self.next_mac_byte()))
        self.raw(f"{server.name}-{tag}-perfdhcp-{rate}.txt", out)
        self.describe(step)
        return step

    def simulate_step(self, process, server, rate):
        clients = rate * self.profile["step_s"]
        # An open window (a second's worth of exchanges, as many as the 1 s timeout can have in flight)
        # lets the rate, not the window, set the pace, as with perfdhcp.
        step, _ = self.measured(process, lambda: self.gen.simulate(clients, rate, self.next_seed(), window=max(256, rate)))
        self.describe(step)
        return step

    def describe(self, s):
        cpu = f"{s['cpu_us_per_lease']:.0f} µs/lease" if s["cpu_us_per_lease"] else "-"
        if s.get("db_cpu_us_per_lease") is not None:
            cpu += (f" + PostgreSQL {s['db_cpu_us_per_lease']:.0f} µs/lease"
                    f" (total {s['total_cpu_us_per_lease']:.0f}), {s['wal_syncs_per_lease']:.3f} WAL syncs/lease")
        p99 = s["ra"]["p99_ms"]
        self.log(f"  {s['generator']:8} {s['offered_rate']:>6}/s -> {s['achieved_rate']:8.0f} DORA/s, "
                 f"{s['drop_pct']:6.2f} % dropped, RA p99 {p99 if p99 is None else round(p99, 2)} ms, {cpu}")

    def ramp(self, run_step, start_index=0, ladder=None):
        """Climbs the rate ladder until a step drops more than 0.1 %, or the generator cannot reach
        the offered rate (see SHORT_OF_OFFERED); descends below the first rung when that one already
        drops too much."""
        ladder = ladder or self.profile["ladder"]
        steps = []
        first = run_step(ladder[start_index])
        steps.append(first)
        if not clean(first) and start_index == 0:
            for rate in self.profile["descend"]:
                s = run_step(rate)
                steps.append(s)
                if clean(s):
                    break
            return steps
        i = start_index
        while clean(steps[-1]) and steps[-1]["achieved_rate"] >= SHORT_OF_OFFERED * steps[-1]["offered_rate"] \
                and steps[-1]["server_alive"] and i + 1 < len(ladder):
            i += 1
            steps.append(run_step(ladder[i]))
        if clean(steps[-1]) and steps[-1]["achieved_rate"] < SHORT_OF_OFFERED * steps[-1]["offered_rate"]:
            steps[-1]["short_of_offered"] = True
        return steps

    # --- scenarios ---

    def scenario_dora_perfdhcp(self, server, entry):
        self.log(f"{server.name}: new clients, perfdhcp")
        process, ready = self.start(server)
        try:
            entry["dora_perfdhcp"] = {"ready_s": ready, "warmup": self.warm_up(process, server, "dora")}
            run = lambda r: self.perfdhcp_step(process, server, "dora", r)
            steps = self.ramp(run)
            # p99 latency is compared at Kea's own highest clean rate: run that step if the ramp did not.
            kea_name, kea = report.best_kea(self.results, "dora_perfdhcp")
            if kea and server.name != kea_name and kea["offered_rate"] not in {s["offered_rate"] for s in steps}:
                self.log(f"  at {kea_name}'s highest clean rate:")
                steps.append(run(kea["offered_rate"]))
                steps[-1]["at_kea_rate"] = True
            entry["dora_perfdhcp"]["steps"] = steps
        finally:
            process.stop()

    def scenario_dora_simulate(self, server, entry):
        if not server.speaks_rfc8357:
            entry.setdefault("skipped", {})["dora_simulate"] = \
                "dnsmasq answers relays on port 67 only (no RFC 8357), where --simulate does not listen"
            return
        self.log(f"{server.name}: new clients, leasehold client --simulate")
        best = report.best(entry.get("dora_perfdhcp", {}).get("steps", []))
        ladder = self.profile["ladder"]
        start = 0
        if best:
            below = [i for i, r in enumerate(ladder) if r <= best["offered_rate"]]
            start = max(0, below[-1] - 1) if below else 0
        process, ready = self.start(server)
        try:
            entry["dora_simulate"] = {"ready_s": ready,
                                      "warmup": self.warm_up(process, server, "simulate", generator="simulate")}
            entry["dora_simulate"]["steps"] = self.ramp(lambda r: self.simulate_step(process, server, r), start)
        finally:
            process.stop()

    def scenario_renew(self, server, entry):
        if not server.speaks_rfc8357:
            entry.setdefault("skipped", {})["renew"] = \
                "renewals are driven by --simulate --renew, which dnsmasq cannot answer (no RFC 8357)"
            return
        n = self.profile["renew_clients"]
        self.log(f"{server.name}: {n} clients obtain leases, then renew them (--simulate --renew)")
        process, ready = self.start(server)
        try:
            warm = self.warm_up(process, server, "renew")
            with CpuSampler(process.pid) as sampler:
                step, (t0, t1) = self.measured(process, lambda: self.gen.simulate(n, 0, self.next_seed(), renew=True))
            # The generator reports each phase's length; the renewal phase ends just before it exits.
            renew_end = t1
            renew_start = renew_end - step["renew_elapsed_s"]
            dora_start = renew_start - step["elapsed_s"]
            step["renew_cpu_s"] = sampler.cpu_between(renew_start, renew_end)
            step["dora_cpu_s"] = sampler.cpu_between(dora_start, renew_start)
            step["cpu_us_per_renewal"] = step["renew_cpu_s"] / step["renewed"] * 1e6 if step["renewed"] else None
            step["cpu_us_per_lease"] = step["dora_cpu_s"] / step["leases"] * 1e6 if step["leases"] else None
            step["renew_drop_pct"] = 100.0 * (1 - step["renewed"] / step["leases"]) if step["leases"] else 100.0
            entry["renew"] = {"ready_s": ready, "warmup": warm, "run": step}
            self.log(f"  {step['leases']} leases at {step['achieved_rate']:.0f}/s, {step['renewed']} renewals at "
                     f"{step['renew_rate']:.0f}/s, renew p99 {step['renew']['p99_ms']:.2f} ms, "
                     f"{(step['cpu_us_per_renewal'] or 0):.0f} µs CPU/renewal")
        finally:
            process.stop()

    def scenario_store(self, server, entry, prefilled):
        n = self.profile["store_leases"]
        self.log(f"{server.name}: store already holding {n} leases")
        process, ready = self.start(server, prefilled, ready_deadline=self.profile["store_ready_s"])
        try:
            store = {"leases": n, "ready_s": ready, "rss_mb_ready": process.rss_megabytes()}
            entry["store"] = store
            self.log(f"  serving {ready:.1f} s after start, RSS {store['rss_mb_ready']:.0f} MB")
            store["warmup"] = self.warm_up(process, server, "store")
            run = lambda r: self.perfdhcp_step(process, server, "store", r)
            if self.profile["store_ladder"]:
                store["steps"] = self.ramp(run)
            else:
                # quick: the highest clean rate the fresh server sustained, then one rung lower if it drops
                best = report.best(entry.get("dora_perfdhcp", {}).get("steps", []))
                rate = best["offered_rate"] if best else self.profile["descend"][-1]
                store["steps"] = [run(rate)]
                if not clean(store["steps"][-1]):
                    lower = [r for r in self.profile["ladder"] + self.profile["descend"] if r < rate]
                    if lower:
                        store["steps"].append(run(max(lower)))
        finally:
            process.stop()

    def prefill(self):
        n = self.profile["store_leases"]
        target = os.path.join(self.args.work, "prefilled")
        s = servermod.SETTINGS
        argv = [os.path.join(self.args.java_home, "bin", "java"), "-cp", f"{self.args.app}/benchmarks.jar",
                "dev.leasehold.bench.lan.PrefilledLeases", str(n), s["pool_first"], "16", str(s["subnet_id"]),
                str(s["valid"]), target]
        self.record("prefill", argv)
        done = subprocess.run(argv, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
        if done.returncode != 0:
            raise RuntimeError("writing the pre-filled stores failed:\n" + done.stdout)
        self.log("pre-filled stores: " + done.stdout.strip().splitlines()[-1])
        return target

    def run(self, chosen):
        self.results["meta"] = machine_and_versions(self.args, self.lan)
        self.results["meta"]["servers"] = [s.name for s in chosen]
        self.results["meta"]["labels"] = {s.name: s.label for s in chosen}
        scenarios = self.args.scenarios
        prefilled = self.prefill() if "store" in scenarios else None
        for server in chosen:
            entry = self.results["servers"].setdefault(server.name, {"label": server.label})
            for name, scenario in (("dora", self.scenario_dora_perfdhcp), ("simulate", self.scenario_dora_simulate),
                                   ("renew", self.scenario_renew), ("store", None)):
                if name not in scenarios:
                    continue
                try:
                    if name == "store":
                        self.scenario_store(server, entry, prefilled)
                    else:
                        scenario(server, entry)
                except (RuntimeError, subprocess.TimeoutExpired, ValueError) as e:
                    self.log(f"  {server.name} {name} failed: {e}")
                    entry.setdefault("failed", {})[name] = str(e)[:2000]
                self.save()
        if self.launcher.postgres:
            self.launcher.postgres.stop()
        self.save(complete=True)


def command_output(argv):
    try:
        return subprocess.run(argv, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=20).stdout.strip()
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"unavailable ({e})"


def machine_and_versions(args, lan):
    cpu_model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    java = os.path.join(args.java_home, "bin", "java")
    return {
        "started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "profile": args.profile,
        "profile_settings": PROFILES.get(args.profile, {}),
        "command": args.command_line,
        "nproc": os.cpu_count(),
        "cpu_model": cpu_model,
        "kernel": platform.release(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "load_average_start": os.getloadavg(),
        "work_filesystem": command_output(["findmnt", "-n", "-o", "SOURCE,FSTYPE,OPTIONS", "-T", args.work]),
        "lan": lan.describe(),
        "leasehold_jvm_options": args.leasehold_jvm,
        "versions": {
            "leasehold": args.leasehold_version,
            "java": command_output([java, "-version"]).splitlines()[0],
            "kea-dhcp4": command_output(["kea-dhcp4", "-v"]),
            "perfdhcp": command_output(["perfdhcp", "-v"]).splitlines()[-1].replace("VERSION: ", ""),
            "dnsmasq": command_output(["dnsmasq", "-v"]).splitlines()[0],
        },
        "settings": servermod.SETTINGS,
        "max_drop_pct": MAX_DROP_PCT,
    }


def server_jvm_options():
    """The options in scripts/server-jvm-options, its comment lines left out: one place says them."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "server-jvm-options")
    with open(path) as f:
        return " ".join(line.strip() for line in f if line.strip() and not line.startswith("#"))


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--profile", choices=sorted(PROFILES), default="full")
    p.add_argument("--servers", default=",".join(s.name for s in servermod.ALL))
    p.add_argument("--scenarios", default="dora,simulate,renew,store")
    p.add_argument("--out", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--app", required=True, help="folder with leasehold-cli.jar, lib/ and benchmarks.jar")
    p.add_argument("--java-home", required=True)
    p.add_argument("--leasehold-jvm", default=None,
                   help="JVM options for Leasehold (default: scripts/server-jvm-options, the busy-server setting)")
    p.add_argument("--leasehold-version", default="unknown")
    p.add_argument("--command-line", default="")
    p.add_argument("--owner-pid", type=int, default=None, help="pid in the namespace names (run.sh's, for its trap)")
    c = p.add_argument_group("--compare: both generators side by side, servers interleaved round by round")
    c.add_argument("--compare", action="store_true")
    c.add_argument("--rounds", type=int, default=3)
    c.add_argument("--perfdhcp-rates", default="7000,8000,10000,12000", help="'' or none: no perfdhcp steps")
    c.add_argument("--dhcpgen-rates", default="8000,16000,24000,32000,40000", help="'' or none: no dhcpgen steps")
    c.add_argument("--step", type=int, default=10, help="seconds per step")
    c.add_argument("--warmup", type=int, default=10, help="seconds of warm-up for each fresh server")
    c.add_argument("--warmup-rate", type=int, default=3000, help="DORA/s of the warm-up")
    c.add_argument("--dhcpgen", default=None, help="the dhcpgen binary (bench/run.sh builds bench/target/dhcpgen)")
    args = p.parse_args()
    if args.compare:
        args.profile = "compare"
    if args.leasehold_jvm is None:
        args.leasehold_jvm = server_jvm_options()
    args.scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    wanted = [s.strip() for s in args.servers.split(",") if s.strip()]
    unknown = set(wanted) - {s.name for s in servermod.KNOWN}
    if unknown:
        p.error(f"unknown servers {sorted(unknown)}; known: {[s.name for s in servermod.KNOWN]}")
    chosen = []
    for server in servermod.KNOWN:
        if server.name not in wanted:
            continue
        binary = {"leasehold": None, "kea": "kea-dhcp4", "dnsmasq": "dnsmasq"}[server.kind]
        if binary and not any(os.access(os.path.join(d, binary), os.X_OK) for d in os.environ["PATH"].split(":")):
            print(f"skipping {server.name}: {binary} is not installed", file=sys.stderr)
            continue
        if servermod.uses_postgres(server) and not postgresmod.available():
            print(f"skipping {server.name}: PostgreSQL 15 is not installed ({postgresmod.BIN})", file=sys.stderr)
            continue
        chosen.append(server)
    if args.compare:
        chosen.sort(key=lambda s: wanted.index(s.name))
    signal.signal(signal.SIGTERM, on_sigterm)
    signal.signal(signal.SIGHUP, on_sigterm)
    os.makedirs(args.out, exist_ok=True)
    stale = lanmod.remove_stale()
    if stale:
        print(f"removed namespaces left by an earlier run: {stale}")
    bench = None
    try:
        with lanmod.Lan(args.owner_pid) as lan:
            print(f"LAN: {lan.describe()}", flush=True)
            if args.compare:
                import compare
                bench = compare.CompareBench(args, lan)
            else:
                bench = Bench(args, lan)
            bench.run(chosen)
    except (KeyboardInterrupt, Interrupted) as e:
        print(f"\ninterrupted ({e or 'Ctrl-C'}): the LAN is removed; partial results are kept", file=sys.stderr)
        if bench:
            bench.save(complete=False)
        return 130
    finally:
        if bench and bench.launcher.postgres:
            bench.launcher.postgres.stop()
    print(f"results: {args.out}/results.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())

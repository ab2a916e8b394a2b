"""bench/run.sh --compare: both relay generators (perfdhcp and dhcpgen) against every chosen
server, the servers interleaved round by round on one machine (issue 15).

Round 1 runs the servers in the order given, round 2 in the reverse order, and so on. For each
server and generator a fresh server process (empty store) is started, warmed up with that
generator for --warmup seconds at --warmup-rate, then driven through every rate of that
generator's list, --step seconds each, every step with new clients. Nothing stops early: every
listed rate is run, so rounds are comparable step by step. report.write_compare() turns the
rounds into medians.
"""

import subprocess
import time

import report
from bench import Bench, command_output, machine_and_versions
from proc import CpuSampler

GENERATORS = ("perfdhcp", "dhcpgen")


def parse_rates(text):
    text = (text or "").strip()
    if text in ("", "none"):
        return []
    return [int(r) for r in text.split(",") if r.strip()]


def round_order(servers, round_number):
    """Round 1: as given; round 2: reversed; round 3: as given; …"""
    return list(servers) if round_number % 2 == 1 else list(reversed(servers))


class CompareBench(Bench):

    def __init__(self, args, lan):
        super().__init__(args, lan)
        self.rates = {"perfdhcp": parse_rates(args.perfdhcp_rates), "dhcpgen": parse_rates(args.dhcpgen_rates)}
        if self.rates["dhcpgen"] and not args.dhcpgen:
            raise SystemExit("--dhcpgen-rates needs --dhcpgen BINARY (bench/run.sh builds bench/target/dhcpgen)")
        # What Bench.warm_up reads.
        self.profile = {"step_s": args.step, "warmup": (args.warmup_rate, args.warmup)}
        self.results = {"meta": {}, "servers": {}, "rounds": []}

    def save(self, complete=False):
        self.results["meta"]["complete"] = complete
        super().save(complete)  # results.json, commands.txt; report.write sees meta.mode == compare

    @staticmethod
    def add_counts(step, seconds):
        step["generator_cpu_pct"] = 100.0 * step["generator_cpu_s"] / seconds
        step["generator_cpu_us_per_lease"] = step["generator_cpu_s"] / step["leases"] * 1e6 if step["leases"] else None
        step["lost"] = step["discovers"] - step["leases"]
        # Where the lost exchanges ended: a DISCOVER never answered, or a REQUEST not ACKed (or NAKed).
        step["no_offer"] = step["discovers"] - step["offers"]
        step["no_ack"] = step["lost"] - step["no_offer"]

    def step(self, process, server, generator, rate, tag):
        seconds = self.args.step
        started = []

        def run():
            started.append(time.monotonic())
            if generator == "perfdhcp":
                return self.gen.perfdhcp(rate, seconds, self.next_mac_byte())
            return self.gen.dhcpgen(rate, seconds, self.next_mac_byte())

        with CpuSampler(process.pid) as sampler:
            step, out = self.measured(process, run)
        # The server's CPU while the generator was sending (not while it waited for the last replies).
        busy, span = sampler.cpu_and_span_between(started[0], started[0] + seconds)
        step["server_cpu_pct"] = 100.0 * busy / span if span > 0 else None
        self.add_counts(step, seconds)
        step["lost_with_cpu_to_spare"] = report.lost_with_cpu_to_spare(step)
        self.raw(f"{server.name}-{tag}-{rate}.txt", out)
        self.describe(step)
        cpu = step["server_cpu_pct"]
        self.log(f"           server CPU {'-' if cpu is None else f'{cpu:.0f}'} % of a core, "
                 f"OFFER max {report.fmt(step['do'].get('max_ms'), 1)} ms, UDP RcvbufErrors "
                 f"{step['server_udp_rcvbuf_errors']} / {step['generator_udp_rcvbuf_errors']}"
                 f"{', LOST WITH CPU TO SPARE' if step['lost_with_cpu_to_spare'] else ''}")
        return step

    def one(self, server, generator, round_number):
        rates = self.rates[generator]
        tag = f"r{round_number}-{generator}"
        self.log(f"round {round_number}: {server.name}, {generator} {', '.join(map(str, rates))}/s")
        process, ready = self.start(server)
        run = {"ready_s": ready}
        try:
            run["warmup"] = self.warm_up(process, server, tag, generator=generator)
            self.add_counts(run["warmup"], self.args.warmup)
            run["steps"] = []
            for rate in rates:
                run["steps"].append(self.step(process, server, generator, rate, tag))
                if not process.alive():
                    run["failed"] = "the server exited:\n" + process.log_tail()
                    break
        finally:
            process.stop()
        return run

    def run(self, chosen):
        self.results["meta"] = machine_and_versions(self.args, self.lan)
        meta = self.results["meta"]
        meta["mode"] = "compare"
        meta["servers"] = [s.name for s in chosen]
        meta["labels"] = {s.name: s.label for s in chosen}
        meta["compare"] = {
            "rounds": self.args.rounds, "step_s": self.args.step, "warmup_s": self.args.warmup,
            "warmup_rate": self.args.warmup_rate, "rates": self.rates,
            "max_lost_pct": report.COMPARE_MAX_LOST_PCT, "cpu_to_spare_pct": report.CPU_TO_SPARE_PCT,
        }
        if self.args.dhcpgen:
            cc = command_output(["cc", "--version"]).splitlines()
            meta["versions"]["dhcpgen"] = (f"bench/dhcpgen/dhcpgen.c of Leasehold {self.args.leasehold_version}, "
                                           f"built with `cc -O2` ({cc[0] if cc else 'cc'})")
        for server in chosen:
            self.results["servers"][server.name] = {"label": server.label}
        generators = [g for g in GENERATORS if self.rates[g]]
        for number in range(1, self.args.rounds + 1):
            order = round_order(chosen, number)
            this = {"round": number, "order": [s.name for s in order], "runs": {}}
            self.results["rounds"].append(this)
            for server in order:
                for generator in generators:
                    try:
                        run = self.one(server, generator, number)
                    except (RuntimeError, ValueError, OSError, subprocess.TimeoutExpired) as e:
                        self.log(f"  {server.name} {generator} round {number} failed: {e}")
                        run = {"failed": str(e)[:2000], "steps": []}
                    this["runs"].setdefault(server.name, {})[generator] = run
                    self.save()
        self.save(complete=True)

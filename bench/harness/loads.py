"""The two load generators and what their output means.

perfdhcp (Kea 2.2, Debian kea-admin): full DISCOVER-OFFER-REQUEST-ACK exchanges at a fixed rate
(-r) for a fixed period (-p, with -n as a second bound), as a relay: giaddr = its own address,
sent from port 67. It prints min/avg/max/std-dev of each half of the exchange; with `-x t` it
also prints the send and receive time of every successful exchange, from which this module
computes the median and 99th percentile.

`leasehold client --simulate N` (the Java load generator): N new clients through DORA, at most
--window in flight and at most --rate started per second, as a relay with giaddr = --relay that
asks for replies on its own port (RFC 8357); it reports leases/s and latency percentiles itself.

dhcpgen (bench/dhcpgen/, C): full DORA exchanges at a fixed rate (-r, open loop) for -d seconds,
as a relay like perfdhcp (binds UDP 67 on the generator's address, giaddr = that address), at
about a third of perfdhcp's CPU per exchange; it prints one `name value...` line per metric.

All three count an exchange as dropped when it has not completed within 1 s (perfdhcp -d 1,
client --timeout 1s, dhcpgen -t 1000; none retransmits).
"""

import json
import math
import re
import resource
import subprocess
import time

from lan import GENERATOR_ADDRESS, SERVER_ADDRESS

DROP_TIME_S = 1
EXIT_WAIT_US = 1_000_000
PERFDHCP_CLIENTS = 4_000_000   # random MACs within base + [0, 4M): never carries into the base's third byte


def percentile(sorted_values, p):
    """Nearest-rank percentile (p in 0-100) of an ascending list; None when empty."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def parse_perfdhcp(output):
    """perfdhcp's final report → counters, perfdhcp's own latency summary (ms) and, from `-x t`,
    the exchanges' send times and round-trip times (ms)."""
    result = {}
    for exchange, key in (("DISCOVER-OFFER", "do"), ("REQUEST-ACK", "ra")):
        heading = f"***Statistics for: {exchange}***"
        start = output.find(heading)
        if start < 0:
            raise ValueError(f"perfdhcp printed no statistics for {exchange}:\n{output[-2000:]}")
        start += len(heading)
        end = output.find("***", start)
        section = output[start:] if end < 0 else output[start:end]

        def number(name, unit=""):
            m = re.search(r"^" + re.escape(name) + r": ([0-9.]+|n/a)" + unit, section, re.M)
            return float(m.group(1)) if m and m.group(1) != "n/a" else None

        result[key] = {
            "sent": int(number("sent packets") or 0),
            "received": int(number("received packets") or 0),
            "min_ms": number("min delay", " ms"), "avg_ms": number("avg delay", " ms"),
            "max_ms": number("max delay", " ms"), "std_ms": number("std deviation", " ms"),
        }
    for exchange, key in (("DISCOVER-OFFER", "do"), ("REQUEST-ACK", "ra")):
        heading = f"***Timestamps for packets: {exchange}***"
        start = output.find(heading)
        sent, rtt = [], []
        if start >= 0:
            start += len(heading)
            end = output.find("***", start)
            for m in re.finditer(r"sent / received: ([0-9.]+) / ([0-9.]+)", output[start:end if end > 0 else None]):
                s, r = float(m.group(1)), float(m.group(2))
                sent.append(s)
                rtt.append((r - s) * 1000)
        result[key]["sent_times"] = sent
        result[key]["rtt_ms"] = sorted(rtt)
    return result


def summarise_latency(rtt_sorted, scale=1.0):
    if not rtt_sorted:
        return {"p50_ms": None, "p99_ms": None, "max_ms": None}
    return {"p50_ms": percentile(rtt_sorted, 50) * scale, "p99_ms": percentile(rtt_sorted, 99) * scale,
            "max_ms": rtt_sorted[-1] * scale}


def _children_cpu():
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


class Generators:
    """Runs load steps from the generator namespace; every command goes through record()."""

    def __init__(self, lan, java, app, record, dhcpgen=None):
        self.lan = lan
        self.java = java
        self.app = app
        self.record = record
        self.dhcpgen_binary = dhcpgen

    # --- perfdhcp ---

    def perfdhcp(self, rate, seconds, mac_byte, timestamps=True):
        """One perfdhcp step: `rate` DORA/s for `seconds`; new clients (MAC 00:0c:<mac_byte>:…)."""
        if not 0 <= mac_byte <= 255:
            raise ValueError("mac_byte must be 0-255")
        argv = ["perfdhcp", "-4", "-l", self.lan.generator_if, "-r", str(rate), "-p", str(seconds),
                "-n", str(int(rate * seconds)), "-R", str(PERFDHCP_CLIENTS), "-b", f"mac=00:0c:{mac_byte:02x}:00:00:00",
                "-d", str(DROP_TIME_S), "-W", str(EXIT_WAIT_US)]
        if timestamps:
            argv += ["-x", "t"]
        argv.append(SERVER_ADDRESS)
        done, wall, gen_cpu = self._run_timed("perfdhcp", argv, seconds)
        parsed = parse_perfdhcp(done.stdout)
        return perfdhcp_step(rate, seconds, parsed, done.returncode, wall, gen_cpu), _without_timestamps(done.stdout)

    def _run_timed(self, kind, argv, seconds):
        """Runs one generator step in the generator namespace: its result, wall time and CPU time."""
        full = self.lan.in_ns(self.lan.generator_ns, argv)
        self.record(kind, full)
        cpu0, t0 = _children_cpu(), time.monotonic()
        done = subprocess.run(full, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=seconds + 60)
        return done, time.monotonic() - t0, _children_cpu() - cpu0

    def probe(self, deadline_s):
        """Seconds until the server answers a DISCOVER (from a client of its own, 00:0d:…); None if
        it did not within deadline_s. This is how every server's readiness is judged alike."""
        t0 = time.monotonic()
        argv = self.lan.in_ns(self.lan.generator_ns, [
            "perfdhcp", "-4", "-l", self.lan.generator_if, "-r", "1", "-n", "1", "-R", "1",
            "-b", "mac=00:0d:00:00:00:01", "-d", "0.2", "-W", "200000", SERVER_ADDRESS])
        while time.monotonic() - t0 < deadline_s:
            try:
                done = subprocess.run(argv, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=10)
                # perfdhcp -n 1 may exit before the ACK of its one REQUEST arrives: an OFFER is the sign.
                if parse_perfdhcp(done.stdout)["do"]["received"] >= 1:
                    return time.monotonic() - t0
            except (subprocess.TimeoutExpired, ValueError):
                pass
            time.sleep(0.1)
        return None

    # --- dhcpgen ---

    def dhcpgen(self, rate, seconds, mac_byte):
        """One dhcpgen step: `rate` DORA/s for `seconds`, open loop; new clients (MAC 02:<mac_byte>:…),
        at least one per exchange, so no exchange renews an earlier one."""
        if not 0 <= mac_byte <= 255:
            raise ValueError("mac_byte must be 0-255")
        if not self.dhcpgen_binary:
            raise RuntimeError("no dhcpgen binary given")
        clients = dhcpgen_clients(rate, seconds)
        argv = [self.dhcpgen_binary, "-l", GENERATOR_ADDRESS, "-s", SERVER_ADDRESS, "-r", str(rate),
                "-d", str(seconds), "-n", str(clients), "-t", str(DROP_TIME_S * 1000), "-m", str(mac_byte)]
        done, wall, gen_cpu = self._run_timed("dhcpgen", argv, seconds)
        parsed = parse_dhcpgen(done.stdout)
        return dhcpgen_step(rate, seconds, clients, parsed, done.returncode, wall, gen_cpu), done.stdout

    # --- leasehold client --simulate ---

    def simulate(self, clients, rate, seed, window=256, renew=False, timeout_s=600):
        argv = [self.java, "--enable-native-access=ALL-UNNAMED", "-cp", f"{self.app}/leasehold-cli.jar:{self.app}/lib/*",
                "dev.leasehold.cli.Main", "client", "--simulate", str(clients), "--server", SERVER_ADDRESS,
                "--relay", GENERATOR_ADDRESS, "--window", str(window), "--rate", str(rate),
                "--timeout", f"{DROP_TIME_S}s", "--seed", str(seed), "--json"]
        if renew:
            argv.append("--renew")
        full = self.lan.in_ns(self.lan.generator_ns, argv)
        self.record("simulate", full)
        cpu0, t0 = _children_cpu(), time.monotonic()
        done = subprocess.run(full, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout_s)
        t1 = time.monotonic()
        report = None
        for line in done.stdout.splitlines():
            if line.startswith("{"):
                report = json.loads(line)
        if report is None:
            raise RuntimeError(f"leasehold client printed no report (exit {done.returncode}):\n{done.stdout[-2000:]}")
        return simulate_step(rate, clients, report, done.returncode, t1 - t0, _children_cpu() - cpu0), (t0, t1)


def _without_timestamps(output):
    """perfdhcp's output without the per-exchange timestamp lines (they are summarised, not kept)."""
    return "\n".join(l for l in output.splitlines() if not l.startswith("sent / received:")) + "\n"


def perfdhcp_step(rate, seconds, parsed, exit_code, wall_s, generator_cpu_s):
    do, ra = parsed["do"], parsed["ra"]
    sent = do["sent"]
    acks = ra["received"]
    times = do["sent_times"]
    # The sending span of the successful exchanges; the nominal period when there are too few.
    span = (max(times) - min(times)) if len(times) > 1 else seconds
    span = span if span > 0 else seconds
    return {
        "generator": "perfdhcp", "offered_rate": rate, "seconds": seconds,
        "discovers": sent, "offers": do["received"], "requests": ra["sent"], "leases": acks,
        "drop_pct": 100.0 * (1 - acks / sent) if sent else 100.0,
        "achieved_rate": acks / span if acks else 0.0,
        "do": {**summarise_latency(do["rtt_ms"]), "avg_ms": do["avg_ms"], "std_ms": do["std_ms"],
               "min_ms": do["min_ms"], "perfdhcp_max_ms": do["max_ms"]},
        "ra": {**summarise_latency(ra["rtt_ms"]), "avg_ms": ra["avg_ms"], "std_ms": ra["std_ms"],
               "min_ms": ra["min_ms"], "perfdhcp_max_ms": ra["max_ms"]},
        "exit_code": exit_code, "wall_s": wall_s, "generator_cpu_s": generator_cpu_s,
    }


DHCPGEN_MAX_CLIENTS = 16_777_215   # its xid holds the client index in 24 bits


def dhcpgen_clients(rate, seconds):
    """-n for a step: a second more than the step needs, so no client is reused (dhcpgen starts one
    more DORA than rate x seconds at the first tick, and counts a DORA due with no idle client as
    `skipped`)."""
    return min(DHCPGEN_MAX_CLIENTS, int(rate * (seconds + 1)))


def parse_dhcpgen(output):
    """dhcpgen's report (one `name value...` line each) → {name: number or [numbers]}."""
    result = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) < 2 or not re.fullmatch(r"[a-z_]+", parts[0]):
            continue
        try:
            values = [float(v) for v in parts[1:]]
        except ValueError:
            continue
        result[parts[0]] = values[0] if len(values) == 1 else values
    for needed in ("sent_discover", "acks", "disc_offer_us", "req_ack_us"):
        if needed not in result:
            raise ValueError(f"dhcpgen printed no {needed}:\n{output[-2000:]}")
    return result


def dhcpgen_step(rate, seconds, clients, parsed, exit_code, wall_s, generator_cpu_s):
    sent = int(parsed["sent_discover"])
    acks = int(parsed["acks"])
    duration = parsed.get("duration_s") or seconds

    def ms(pair, max_key):
        p50, p99 = (pair + [None, None])[:2] if isinstance(pair, list) else (pair, None)
        mx = parsed.get(max_key)
        # dhcpgen prints 0 when nothing arrived: no latency, not a zero one.
        answered = p50 is not None and (p50 > 0 or (mx or 0) > 0)
        return {"p50_ms": p50 / 1000 if answered else None, "p99_ms": p99 / 1000 if answered and p99 is not None else None,
                "max_ms": mx / 1000 if answered and mx is not None else None}

    return {
        "generator": "dhcpgen", "offered_rate": rate, "seconds": seconds, "clients": clients,
        "discovers": sent, "offers": int(parsed.get("offers", 0)), "requests": int(parsed.get("sent_request", 0)),
        "leases": acks, "naks": int(parsed.get("naks", 0)),
        "dropped_offer": int(parsed.get("dropped_offer", 0)), "dropped_ack": int(parsed.get("dropped_ack", 0)),
        "late": int(parsed.get("late", 0)), "skipped": int(parsed.get("skipped", 0)),
        "send_errors": int(parsed.get("send_errors", 0)),
        "drop_pct": 100.0 * (1 - acks / sent) if sent else 100.0,
        "achieved_rate": acks / duration if duration else 0.0,
        "do": ms(parsed["disc_offer_us"], "disc_offer_max_us"), "ra": ms(parsed["req_ack_us"], "req_ack_max_us"),
        "dhcpgen_cpu_s": parsed.get("gen_cpu_s"),
        "exit_code": exit_code, "wall_s": wall_s, "generator_cpu_s": generator_cpu_s,
    }


def simulate_step(rate, clients, report, exit_code, wall_s, generator_cpu_s):
    def ms(block):
        return {"p50_ms": block["p50"] / 1000, "p90_ms": block["p90"] / 1000, "p99_ms": block["p99"] / 1000,
                "max_ms": block["max"] / 1000}
    leases = report["leases"]
    return {
        "generator": "simulate", "offered_rate": rate, "clients": clients, "leases": leases,
        "naks": report["naks"], "drop_pct": 100.0 * (1 - leases / clients),
        "achieved_rate": report["leasesPerSecond"], "elapsed_s": report["elapsedSeconds"],
        "do": ms(report["discoverOfferMicros"]), "ra": ms(report["requestAckMicros"]),
        "renewed": report.get("renewed", 0), "renew_rate": report.get("renewalsPerSecond", 0.0),
        "renew_elapsed_s": (report["renewed"] / report["renewalsPerSecond"]) if report.get("renewalsPerSecond") else 0.0,
        "renew": ms(report["renewAckMicros"]) if "renewAckMicros" in report else None,
        "exit_code": exit_code, "wall_s": wall_s, "generator_cpu_s": generator_cpu_s,
    }

"""dhcpgen's report, and the --compare report's rules: python3 -m unittest discover -s bench/harness/tests"""

import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import compare  # noqa: E402
import report  # noqa: E402
from loads import dhcpgen_clients, dhcpgen_step, parse_dhcpgen  # noqa: E402

# bench/dhcpgen's report of a 3 s step at 4,000/s: 12,001 DISCOVERs, 11,990 ACKs, 1 NAK, 10 dropped.
DHCPGEN = """sent_discover 12001
offers 11995
sent_request 11995
acks 11990
naks 1
dropped 10
dora_per_s 3996.7
disc_offer_us 150.3 2200.0
req_ack_us 410.0 5100.5
gen_cpu_s 0.420
duration_s 3.000
dropped_offer 6
dropped_ack 4
late 2
other 0
skipped 0
send_errors 0
gen_cpu_us_per_dora 35.03
disc_offer_max_us 8800.0
req_ack_max_us 12000.0
"""


class DhcpgenReportTest(unittest.TestCase):

    def test_one_line_per_metric_and_two_numbers_for_percentiles(self):
        parsed = parse_dhcpgen(DHCPGEN)
        self.assertEqual(parsed["sent_discover"], 12001)
        self.assertEqual(parsed["disc_offer_us"], [150.3, 2200.0])
        self.assertEqual(parsed["req_ack_max_us"], 12000.0)

    def test_a_step_counts_every_discover_without_an_ack_as_lost(self):
        step = dhcpgen_step(4000, 3, 16000, parse_dhcpgen(DHCPGEN), 0, 4.1, 0.43)
        self.assertEqual((step["discovers"], step["leases"], step["naks"]), (12001, 11990, 1))
        self.assertAlmostEqual(step["drop_pct"], 100 * 11 / 12001)
        self.assertAlmostEqual(step["achieved_rate"], 11990 / 3)
        self.assertEqual({k: round(v, 4) for k, v in step["do"].items()}, {"p50_ms": 0.1503, "p99_ms": 2.2, "max_ms": 8.8})
        self.assertAlmostEqual(step["ra"]["max_ms"], 12.0)

    def test_nothing_answered_has_no_latency_not_zero(self):
        text = DHCPGEN.replace("acks 11990", "acks 0").replace("disc_offer_us 150.3 2200.0", "disc_offer_us 0.0 0.0") \
            .replace("disc_offer_max_us 8800.0", "disc_offer_max_us 0.0")
        step = dhcpgen_step(4000, 3, 16000, parse_dhcpgen(text), 0, 4.1, 0.43)
        self.assertIsNone(step["do"]["p99_ms"])
        self.assertIsNone(step["do"]["max_ms"])
        self.assertEqual(step["drop_pct"], 100.0)

    def test_an_older_dhcpgen_without_max_lines_still_parses(self):
        text = "\n".join(l for l in DHCPGEN.splitlines() if "_max_us" not in l)
        step = dhcpgen_step(4000, 3, 16000, parse_dhcpgen(text), 0, 4.1, 0.43)
        self.assertIsNone(step["do"]["max_ms"])
        self.assertEqual(step["do"]["p99_ms"], 2.2)

    def test_an_error_instead_of_a_report_is_an_error(self):
        with self.assertRaises(ValueError):
            parse_dhcpgen("bind: Address already in use\n")

    def test_every_exchange_gets_a_new_client(self):
        self.assertGreaterEqual(dhcpgen_clients(40000, 10), 40000 * 10 + 1)
        self.assertEqual(dhcpgen_clients(10 ** 7, 10), 16_777_215)


def step(rate, drop, cpu=50.0, achieved=None):
    s = {"offered_rate": rate, "achieved_rate": achieved or rate * (1 - drop / 100), "drop_pct": drop,
         "server_cpu_pct": cpu, "discovers": rate, "leases": int(rate * (1 - drop / 100)), "lost": int(rate * drop / 100),
         "do": {"p50_ms": 0.2, "p99_ms": 1.0, "max_ms": 5.0}, "ra": {"p50_ms": 0.5, "p99_ms": 2.0, "max_ms": 9.0},
         "cpu_us_per_lease": 60.0, "generator_cpu_pct": 30.0, "generator_cpu_us_per_lease": 20.0,
         "server_udp_rcvbuf_errors": 0, "generator_udp_rcvbuf_errors": 0}
    s["lost_with_cpu_to_spare"] = report.lost_with_cpu_to_spare(s)
    return s


class CompareRulesTest(unittest.TestCase):

    def test_lost_with_cpu_to_spare_needs_both(self):
        self.assertTrue(report.lost_with_cpu_to_spare(step(8000, 2.0, 55.0)))
        self.assertFalse(report.lost_with_cpu_to_spare(step(8000, 2.0, 95.0)))   # out of CPU: capacity
        self.assertFalse(report.lost_with_cpu_to_spare(step(8000, 0.5, 40.0)))   # 0.5 % is still sustained
        self.assertFalse(report.lost_with_cpu_to_spare({**step(8000, 2.0, 0), "server_cpu_pct": None}))

    def test_sustained_rate_is_the_highest_step_within_half_a_percent(self):
        self.assertEqual(report.sustained_rate([step(4000, 0), step(8000, 0.5), step(12000, 3)]), 8000)
        # not the first clean run of steps: a noisy middle step does not hide a clean higher one
        self.assertEqual(report.sustained_rate([step(4000, 0), step(8000, 1), step(12000, 0.2)]), 12000)
        self.assertIsNone(report.sustained_rate([step(4000, 1)]))

    def test_median_step_takes_each_column_apart_and_counts_flags(self):
        m = report.median_step([step(8000, 0, 50), step(8000, 2, 60), step(8000, 4, 99)])
        self.assertEqual(m["drop_pct"], 2)
        self.assertEqual(m["server_cpu_pct"], 60)
        self.assertEqual(m["do"]["max_ms"], 5.0)
        self.assertEqual((m["flagged"], m["rounds"]), (1, 3))

    def test_lost_is_split_into_unanswered_discovers_and_requests(self):
        self.assertEqual(report.lost_cell({"drop_pct": 0.5, "lost": 40, "no_offer": 30, "no_ack": 10}),
                         "0.50 % (40: 30 no OFFER, 10 no ACK)")
        self.assertEqual(report.lost_cell({"drop_pct": 0.0, "lost": 0, "no_offer": 0, "no_ack": 0}), "0.00 % (0)")

    def test_dhcpgen_skipping_dora_is_a_warning(self):
        results = {"rounds": [{"round": 1, "runs": {"kea-st": {"dhcpgen": {"steps": [
            {**step(40000, 0), "skipped": 12, "send_errors": 0}]}}}}]}
        notes = report.generator_notes(results)
        self.assertIn("12 DORAs skipped", "\n".join(notes))
        self.assertEqual(report.generator_notes({"rounds": []}), [])

    def test_rounds_alternate_the_servers_order(self):
        self.assertEqual(compare.round_order(["leasehold", "kea"], 1), ["leasehold", "kea"])
        self.assertEqual(compare.round_order(["leasehold", "kea"], 2), ["kea", "leasehold"])
        self.assertEqual(compare.round_order(["leasehold", "kea"], 3), ["leasehold", "kea"])

    def test_rates_lists(self):
        self.assertEqual(compare.parse_rates("2000, 4000"), [2000, 4000])
        self.assertEqual(compare.parse_rates("none"), [])

    def test_the_report_has_summary_medians_and_every_round(self):
        def run(*steps):
            return {"ready_s": 1.0, "warmup": step(3000, 0, None), "steps": list(steps)}
        rounds = [{"round": n, "order": order, "runs": {
            "leasehold-batch": {"perfdhcp": run(step(2000, 0, 30), step(4000, 1.0, 50)),
                                "dhcpgen": run(step(4000, 0, 40), step(8000, 0.1, 70))},
            "kea-st": {"perfdhcp": run(step(2000, 0, 40), step(4000, 0, 80)),
                       "dhcpgen": {"failed": "kea-st did not serve within 60 s", "steps": []}}}}
            for n, order in ((1, ["leasehold-batch", "kea-st"]), (2, ["kea-st", "leasehold-batch"]))]
        results = {"meta": {"mode": "compare", "complete": True, "servers": ["leasehold-batch", "kea-st"],
                            "versions": {}, "compare": {"rounds": 2, "step_s": 3, "warmup_s": 5, "warmup_rate": 3000,
                                                        "rates": {"perfdhcp": [2000, 4000], "dhcpgen": [4000, 8000]}}},
                   "servers": {"leasehold-batch": {"label": "Leasehold"}, "kea-st": {"label": "Kea"}},
                   "rounds": rounds}
        with tempfile.TemporaryDirectory() as out:
            report.write(out, json.loads(json.dumps(results)))
            with open(os.path.join(out, "results.md")) as f:
                md = f.read()
        self.assertIn("| Leasehold | perfdhcp | 2,000 (2,000) | 2,000 (2,000) | 2,000 | 2 of 4 |", md)
        self.assertIn("| Kea | perfdhcp | 4,000 (4,000) | 4,000 (4,000) | 4,000 | 0 of 4 |", md)
        self.assertIn("| Kea | dhcpgen | failed | failed | – | 0 of 0 |", md)
        self.assertIn("## dhcpgen: medians of 2 rounds", md)
        self.assertIn("| leasehold-batch | 4,000 | 3,960 | 1.00 % (40) | yes, 2 of 2 |", md)
        self.assertIn("### Round 2 (order: kea-st, leasehold-batch)", md)
        self.assertIn("kea-st did not serve", md)


if __name__ == "__main__":
    unittest.main()


class FakeProcess:
    def __init__(self):
        self.pid = os.getpid()  # CpuSampler reads /proc/<pid>/stat: this test's own process
        self.cpu = 0.0

    def alive(self):
        return True

    def cpu_seconds(self):
        self.cpu += 0.01
        return self.cpu

    def rss_megabytes(self):
        return 100.0

    def stop(self):
        pass


class FakeLan:
    server_ns, generator_ns = "srv", "gen"

    def udp_counters(self, ns):
        return {"RcvbufErrors": 0}

    def describe(self):
        return "fake LAN"


class FakeGenerators:
    def __init__(self):
        self.calls = []

    def probe(self, deadline):
        return 0.1

    def _step(self, name, rate, seconds, mac_byte):
        self.calls.append((name, rate, mac_byte))
        sent = int(rate * seconds)
        return ({"generator": name, "offered_rate": rate, "seconds": seconds, "discovers": sent, "offers": sent - 2,
                 "requests": sent - 2, "leases": sent - 3, "drop_pct": 300 / sent, "achieved_rate": rate * 0.99,
                 "do": {"p50_ms": 0.1, "p99_ms": 1.0, "max_ms": 3.0}, "ra": {"p50_ms": 0.2, "p99_ms": 2.0, "max_ms": 4.0},
                 "exit_code": 0, "wall_s": seconds + 1, "generator_cpu_s": 0.5}, f"{name} report\n")

    def perfdhcp(self, rate, seconds, mac_byte, timestamps=True):
        return self._step("perfdhcp", rate, seconds, mac_byte)

    def dhcpgen(self, rate, seconds, mac_byte):
        return self._step("dhcpgen", rate, seconds, mac_byte)


class CompareRunTest(unittest.TestCase):

    def test_two_rounds_interleave_servers_and_give_each_a_fresh_warmed_process(self):
        import argparse
        from servers import ALL
        chosen = [s for s in ALL if s.name == "leasehold-batch"] + [s for s in ALL if s.name == "kea-st"]
        with tempfile.TemporaryDirectory() as out:
            args = argparse.Namespace(
                profile="compare", out=out, work=out, app=out, java_home="/nonexistent", leasehold_jvm="",
                leasehold_version="test", command_line="bench/run.sh --compare", dhcpgen="/bin/true",
                perfdhcp_rates="2000,4000", dhcpgen_rates="4000", rounds=2, step=1, warmup=1, warmup_rate=3000)
            bench = compare.CompareBench(args, FakeLan())
            bench.gen = FakeGenerators()
            bench.log = lambda text: None
            started = []
            bench.launcher.start = lambda server, prefilled=None: started.append(server.name) or FakeProcess()
            bench.run(chosen)
            with open(os.path.join(out, "results.json")) as f:
                results = json.load(f)
            self.assertTrue(os.path.exists(os.path.join(out, "results.md")))
            self.assertTrue(os.path.exists(os.path.join(out, "commands.txt")))
        # a fresh process per server and generator, servers reversed in round 2
        self.assertEqual(started, ["leasehold-batch"] * 2 + ["kea-st"] * 4 + ["leasehold-batch"] * 2)
        # warm-up first (3,000/s), then the rates; a new MAC byte for each run of one process
        self.assertEqual(bench.gen.calls[:4], [("perfdhcp", 3000, 1), ("perfdhcp", 2000, 2), ("perfdhcp", 4000, 3),
                                               ("dhcpgen", 3000, 1)])
        run = results["rounds"][1]["runs"]["kea-st"]["dhcpgen"]
        self.assertEqual(results["rounds"][1]["order"], ["kea-st", "leasehold-batch"])
        step = run["steps"][0]
        self.assertEqual((step["lost"], step["no_offer"], step["no_ack"]), (3, 2, 1))
        self.assertAlmostEqual(step["generator_cpu_pct"], 50.0)
        self.assertIn("server_cpu_pct", step)
        self.assertIn("lost_with_cpu_to_spare", step)
        self.assertEqual(run["warmup"]["lost"], 3)
        self.assertTrue(results["meta"]["complete"])

"""Parsing the load generators' reports: python3 -m unittest discover -s bench/harness/tests"""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from loads import parse_perfdhcp, percentile, perfdhcp_step, simulate_step  # noqa: E402

# perfdhcp 2.2 output, shortened: 4 DISCOVERs of which 3 got an OFFER, 3 REQUESTs of which 2 got an ACK;
# `-x t` adds one "sent / received" line (seconds since start) per successful exchange.
PERFDHCP = """Running: perfdhcp -4 -l veth -r 4 -p 1 -n 4 -x t 10.0.0.1
***Rate statistics***
Rate: 1.5 4-way exchanges/second, expected rate: 4

***Statistics for: DISCOVER-OFFER***
sent packets: 4
received packets: 3
drops: 1
drops ratio: 25 %
orphans: 0

min delay: 1.000 ms
avg delay: 2.000 ms
max delay: 3.000 ms
std deviation: 0.816 ms
collected packets: 0

***Statistics for: REQUEST-ACK***
sent packets: 3
received packets: 2
drops: 1
drops ratio: 33.333 %
orphans: 0

min delay: 0.500 ms
avg delay: 0.750 ms
max delay: 1.000 ms
std deviation: 0.250 ms
collected packets: 0

***Timestamps for packets: DISCOVER-OFFER***
sent / received: 000000.000000 / 000000.001000
sent / received: 000000.250000 / 000000.252000
sent / received: 000000.500000 / 000000.503000
***Timestamps for packets: REQUEST-ACK***
sent / received: 000000.001000 / 000000.001500
sent / received: 000000.252000 / 000000.253000
"""


class PerfdhcpReportTest(unittest.TestCase):

    def test_counters_come_from_their_own_exchange_section(self):
        parsed = parse_perfdhcp(PERFDHCP)
        self.assertEqual((parsed["do"]["sent"], parsed["do"]["received"]), (4, 3))
        self.assertEqual((parsed["ra"]["sent"], parsed["ra"]["received"]), (3, 2))
        self.assertEqual(parsed["do"]["avg_ms"], 2.0)
        self.assertEqual(parsed["ra"]["std_ms"], 0.25)

    def test_round_trip_times_come_from_the_timestamps(self):
        parsed = parse_perfdhcp(PERFDHCP)
        self.assertEqual([round(x, 3) for x in parsed["do"]["rtt_ms"]], [1.0, 2.0, 3.0])
        self.assertEqual([round(x, 3) for x in parsed["ra"]["rtt_ms"]], [0.5, 1.0])

    def test_a_step_counts_every_discover_without_an_ack_as_dropped(self):
        step = perfdhcp_step(4, 1, parse_perfdhcp(PERFDHCP), 3, 2.1, 0.01)
        self.assertEqual(step["leases"], 2)
        self.assertAlmostEqual(step["drop_pct"], 50.0)
        # 2 ACKs over the 0.5 s between the first and last answered DISCOVER
        self.assertAlmostEqual(step["achieved_rate"], 4.0)
        self.assertAlmostEqual(step["do"]["p50_ms"], 2.0, places=3)
        self.assertAlmostEqual(step["ra"]["p99_ms"], 1.0, places=3)

    def test_missing_statistics_are_an_error_not_zero(self):
        with self.assertRaises(ValueError):
            parse_perfdhcp("Running: perfdhcp\nError: cannot open socket\n")


class PercentileTest(unittest.TestCase):

    def test_nearest_rank(self):
        values = list(range(1, 101))
        self.assertEqual(percentile(values, 50), 50)
        self.assertEqual(percentile(values, 99), 99)
        self.assertEqual(percentile([7], 99), 7)
        self.assertIsNone(percentile([], 50))


class SimulateReportTest(unittest.TestCase):

    def test_microseconds_become_milliseconds_and_missing_leases_drops(self):
        report = {"clients": 1000, "leases": 998, "naks": 0, "drops": 2, "elapsedSeconds": 0.5,
                  "leasesPerSecond": 1996.0,
                  "discoverOfferMicros": {"p50": 150, "p90": 300, "p99": 900, "max": 2000},
                  "requestAckMicros": {"p50": 1200, "p90": 2000, "p99": 5000, "max": 9000},
                  "renewed": 990, "renewalsPerSecond": 1980.0,
                  "renewAckMicros": {"p50": 100, "p90": 200, "p99": 300, "max": 400}}
        step = simulate_step(2000, 1000, report, 3, 1.5, 0.2)
        self.assertAlmostEqual(step["drop_pct"], 0.2)
        self.assertEqual(step["ra"]["p99_ms"], 5.0)
        self.assertEqual(step["renew"]["p50_ms"], 0.1)
        self.assertAlmostEqual(step["renew_elapsed_s"], 0.5)


if __name__ == "__main__":
    unittest.main()

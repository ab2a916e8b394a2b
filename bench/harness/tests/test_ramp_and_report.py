"""The ramp's stopping rules and the report's choice of the best step."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import bench  # noqa: E402
import report  # noqa: E402


def step(rate, achieved=None, drop=0.0):
    return {"offered_rate": rate, "achieved_rate": rate if achieved is None else achieved, "drop_pct": drop,
            "server_alive": True, "leases": rate, "discovers": rate}


def ramp_with(server, ladder=(1000, 2000, 4000, 8000), descend=(500, 250)):
    """Runs Bench.ramp against a fake server: server(rate) -> step."""
    b = bench.Bench.__new__(bench.Bench)
    b.profile = {"ladder": list(ladder), "descend": list(descend)}
    tried = []

    def run(rate):
        tried.append(rate)
        return server(rate)
    return b.ramp(run), tried


class RampTest(unittest.TestCase):

    def test_climbs_until_the_first_step_dropping_more_than_a_tenth_of_a_percent(self):
        steps, tried = ramp_with(lambda r: step(r, drop=0.0 if r <= 2000 else 0.2))
        self.assertEqual(tried, [1000, 2000, 4000])
        self.assertEqual(report.best(steps)["offered_rate"], 2000)

    def test_exactly_a_tenth_of_a_percent_is_still_clean(self):
        steps, tried = ramp_with(lambda r: step(r, drop=0.1))
        self.assertEqual(tried, [1000, 2000, 4000, 8000])

    def test_descends_when_the_first_rung_already_drops(self):
        steps, tried = ramp_with(lambda r: step(r, drop=0.0 if r <= 250 else 5.0))
        self.assertEqual(tried, [1000, 500, 250])
        self.assertEqual(report.best(steps)["offered_rate"], 250)

    def test_stops_when_a_clean_step_falls_short_of_its_offered_rate(self):
        steps, tried = ramp_with(lambda r: step(r, achieved=min(r, 3000)))
        self.assertEqual(tried, [1000, 2000, 4000])
        self.assertTrue(steps[-1]["short_of_offered"])
        self.assertEqual(report.best(steps)["achieved_rate"], 3000)


class ReportTest(unittest.TestCase):

    def test_best_is_the_clean_step_with_the_highest_achieved_rate(self):
        steps = [step(1000), step(2000, achieved=1900), step(4000, achieved=3500, drop=2.0)]
        self.assertEqual(report.best(steps)["offered_rate"], 2000)
        self.assertIsNone(report.best([step(1000, drop=1.0)]))

    def test_the_faster_kea_is_the_reference(self):
        results = {"servers": {"kea-st": {"dora_perfdhcp": {"steps": [step(1000), step(2000)]}},
                               "kea-mt": {"dora_perfdhcp": {"steps": [step(1000), step(2000, drop=3.0)]}}}}
        name, best = report.best_kea(results, "dora_perfdhcp")
        self.assertEqual((name, best["offered_rate"]), ("kea-st", 2000))

    def test_the_step_above_names_replies_lost_in_the_generators_buffer(self):
        above = {**step(2000, achieved=1800, drop=5.0), "leases": 1900, "generator_udp_rcvbuf_errors": 100}
        self.assertEqual(report.next_step([step(1000), above], step(1000)),
                         "2,000/s: 100 lost (5.00 %); 100 replies discarded")


if __name__ == "__main__":
    unittest.main()

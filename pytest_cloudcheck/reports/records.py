"""Per-test results merged from their phase records, in the process that writes the reports."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..controls import merge
from ..outcomes import OUTCOMES, worst

#: outcomes a finding can have (a finding only exists where an assertion failed)
FINDING_OUTCOMES = ("failed", "audit", "waived")
#: test outcomes in the order the terminal and the Markdown summary count them
TEST_OUTCOMES = ("failed", "error", "audit", "waived", "skipped", "passed")


class RunResults:
    """Test records by node id; phases merge into one record (the most severe outcome wins)."""

    def __init__(self) -> None:
        self.tests: dict[str, dict[str, Any]] = {}

    def add(self, record: dict[str, Any]) -> None:
        nodeid = record["nodeid"]
        current = self.tests.get(nodeid)
        if current is None:
            self.tests[nodeid] = {
                "nodeid": nodeid,
                "outcome": record["outcome"],
                "controls": list(record["controls"]),
                "address": record["address"],
                "findings": list(record["findings"]),
                "message": record["message"],
            }
            return
        current["outcome"] = worst(current["outcome"], record["outcome"])
        current["controls"] = list(merge(current["controls"], record["controls"]))
        current["address"] = current["address"] or record["address"]
        current["findings"].extend(record["findings"])
        current["message"] = current["message"] or record["message"]

    def sorted_tests(self) -> list[dict[str, Any]]:
        """By node id: the order tests ran in differs under xdist, the report must not."""
        return [self.tests[k] for k in sorted(self.tests)]

    def findings(self) -> list[dict[str, Any]]:
        """Every finding once (several tests may assert the same one), with the tests that did."""
        merged: dict[tuple[str, str, str, str], dict[str, Any]] = {}
        for test in self.sorted_tests():
            for f in test["findings"]:
                key = (f["check"], f["address"], f["message"], f["kind"])
                seen = merged.get(key)
                if seen is None:
                    merged[key] = {**f, "controls": list(merge(f["controls"], test["controls"])), "tests": []}
                    seen = merged[key]
                else:
                    seen["outcome"] = worst(seen["outcome"], f["outcome"])
                    seen["waiver"] = seen["waiver"] or f["waiver"]
                    seen["controls"] = list(merge(seen["controls"], f["controls"], test["controls"]))
                seen["tests"].append(test["nodeid"])
        return [merged[k] for k in sorted(merged)]

    def test_counts(self) -> dict[str, int]:
        counts = Counter(t["outcome"] for t in self.tests.values())
        return {outcome: counts.get(outcome, 0) for outcome in OUTCOMES}

    @staticmethod
    def by_check(findings: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
        table: dict[str, Counter[str]] = {}
        for f in findings:
            table.setdefault(f["check"], Counter())[f["outcome"]] += 1
        return {check: {o: table[check].get(o, 0) for o in FINDING_OUTCOMES} for check in sorted(table)}

    @staticmethod
    def used_waivers(findings: list[dict[str, Any]]) -> set[int]:
        return {f["waiver"]["number"] for f in findings if f["waiver"] is not None}

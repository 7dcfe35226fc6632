"""The Markdown summary draws the network (hub, spokes, peerings) with Mermaid, violations marked."""

from __future__ import annotations

import pytest
from planbuilder import PlanBuilder
from test_topology import landing

SQUAD = """
from pytest_cloudcheck import checks

def test_network(cloud):
    assert not checks.hub_and_spoke(cloud)
"""


def test_markdown_summary_embeds_the_topology_picture(pytester: pytest.Pytester):
    landing(PlanBuilder()).write(pytester.path / "plan.json")
    pytester.makepyfile(test_squad=SQUAD)
    result = pytester.runpytest("--cloudcheck-plan", "plan.json", "--cloudcheck-markdown", "summary.md")
    result.assert_outcomes(passed=1)
    text = (pytester.path / "summary.md").read_text()
    assert "### Network" in text and "```mermaid" in text
    picture = text.split("```mermaid", 1)[1].split("```", 1)[0]
    assert picture.strip().startswith("flowchart")
    assert "vnet-hub" in picture and "vnet-spoke" in picture
    assert "<-->" in picture  # the peering both ways


def test_violations_are_marked_in_the_picture(pytester: pytest.Pytester):
    landing(PlanBuilder(), allow_forwarded_traffic=False).write(pytester.path / "plan.json")
    pytester.makepyfile(test_squad=SQUAD)
    result = pytester.runpytest("--cloudcheck-plan", "plan.json", "--cloudcheck-markdown", "summary.md")
    result.assert_outcomes(failed=1)
    picture = (pytester.path / "summary.md").read_text().split("```mermaid", 1)[1]
    assert "classDef" in picture and "violation" in picture

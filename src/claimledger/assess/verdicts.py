"""What the analysts' decisions change in a group, beyond the grade it would get:

- a group confirmed or refuted gets credibility 1 or 5, with who and why;
- a claim an analyst refuted is left out of its group's count: the estimate, the origins
  and the grade are worked out from the other claims (the refuted claim stays a member,
  listed as refuted);
- a source reliability set by an analyst that changes the group's grade is named in the
  group's explanation (with the grade it would have without it) and kept in its audit.
"""

from __future__ import annotations

from dataclasses import replace

from .corroboration import Origin
from .registry import UNREGISTERED_GRADE, Registry

PAST = {"confirm": "confirmed", "refute": "refuted"}


def verdict_credibility(verdict: dict) -> int:
    return 1 if verdict["action"] == "confirm" else 5


def group_verdict_note(verdict: dict) -> str:
    return f"An analyst ({verdict['who']}) marked it {PAST[verdict['action']]}: {verdict['why']}"


def claim_verdict_note(verdict: dict) -> str:
    return f"An analyst ({verdict['who']}) marked this claim {PAST[verdict['action']]}: {verdict['why']}"


def refuted_note(refutations: list[dict]) -> str:
    who = ", ".join(dict.fromkeys(o["who"] for o in refutations))
    n = len(refutations)
    return (f"{n} claim{'s' if n != 1 else ''} refuted by an analyst ({who}) {'are' if n != 1 else 'is'} left "
            f"out of the estimate, origins and grade: {refutations[0]['why']}")


def all_refuted_note(refutations: list[dict]) -> str:
    who = ", ".join(dict.fromkeys(o["who"] for o in refutations))
    return f"Every claim of this group was refuted by an analyst ({who}): {refutations[0]['why']}"


def without_setting(origins: dict[str, list[Origin]], setting: dict, registry: Registry) -> dict[str, list[Origin]]:
    """The origins as they would be without one analyst's reliability setting."""
    target = setting["target_id"]
    entry = registry.get(target)
    default = entry.reliability if entry else UNREGISTERED_GRADE
    return {cid: [replace(o, reliability=default) if target in (o.registry_id, o.party) else o for o in found]
            for cid, found in origins.items()}


def reliability_note(setting: dict, registry: Registry, grade: str, grade_before: str) -> str:
    entry = registry.get(setting["target_id"])
    name = entry.name if entry else setting["target_id"].removeprefix("unregistered:")
    registry_grade = entry.reliability if entry else UNREGISTERED_GRADE
    return (f"An analyst ({setting['who']}) set the reliability of {name} to {setting['value']} (the registry says "
            f"{registry_grade}), which makes this group {grade} rather than {grade_before}: {setting['why']}")

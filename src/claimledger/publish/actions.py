"""Analysts' decisions: confirm or refute a group or a claim, set a source's reliability,
merge two groups or split a claim out of its group.

Each decision is checked here (the target exists, the value makes sense), recorded by
`Ledger.add_override` (which keeps who, when and why, and the replaced decisions as the
audit trail), and then the groups it changes are assessed again so that the grades show it.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from sqlalchemy import select

from ..errors import ClaimledgerError, NotFound, StoreError
from ..store import schema
from ..store.db import OVERRIDE_ACTIONS
from . import queries

log = logging.getLogger(__name__)
_rebuild_lock = threading.Lock()

GRADE_LETTERS = "ABCDEF"
MAX_WHY = 2000


class InvalidAction(ClaimledgerError):
    """An analyst's decision that cannot be recorded as given."""


@dataclass
class Outcome:
    override: dict
    rebuilt: bool
    group: str | None  # the group to show afterwards

    def as_dict(self) -> dict:
        return {"override": self.override, "rebuilt": self.rebuilt, "group": self.group}


def _exists(conn, table, column, value) -> bool:
    return conn.execute(select(column).where(column == value).limit(1)).first() is not None


def validate(ctx, target: str, target_id: str, action: str, value: str | None, who: str, why: str) -> str | None:
    """Raise InvalidAction or NotFound unless the decision can be recorded; return the
    value as it will be stored."""
    if target not in OVERRIDE_ACTIONS:
        raise InvalidAction(f"unknown target {target!r}: one of {', '.join(sorted(OVERRIDE_ACTIONS))}")
    if action not in OVERRIDE_ACTIONS[target]:
        allowed = ", ".join(sorted(OVERRIDE_ACTIONS[target]))
        raise InvalidAction(f"a {target} takes one of these actions: {allowed}")
    if not (who or "").strip():
        raise InvalidAction("say who makes this decision")
    if not (why or "").strip():
        raise InvalidAction("say why: the reason is kept in the audit trail")
    if len(why) > MAX_WHY:
        raise InvalidAction(f"the reason is limited to {MAX_WHY} characters")
    with ctx.engine.connect() as conn:
        if target == "cluster" and not _exists(conn, schema.clusters, schema.clusters.c.id, target_id):
            raise NotFound(f"no claim group {target_id!r}")
        if target == "claim" and not _exists(conn, schema.claims, schema.claims.c.id, target_id):
            raise NotFound(f"no claim {target_id!r}")
        if target == "source":
            index = ctx.sources.get(conn)
            if index.get(target_id) is None and ctx.registry.get(target_id) is None:
                raise NotFound(f"no source {target_id!r}")
        if action == "reliability":
            value = (value or "").strip().upper()
            if len(value) != 1 or value not in GRADE_LETTERS:
                raise InvalidAction("reliability is one letter, A (completely reliable) to F (cannot be judged)")
        elif action == "merge":
            value = (value or "").strip()
            if not value:
                raise InvalidAction("name the other group to merge this one into")
            if value == target_id:
                raise InvalidAction("a group cannot be merged into itself")
            if not _exists(conn, schema.clusters, schema.clusters.c.id, value):
                raise NotFound(f"no claim group {value!r} to merge into")
        else:
            value = (value or "").strip() or None
    return value


def rebuild(ctx) -> bool:
    """Assess again the groups a decision changes, so that it shows in the grades (and a
    refuted claim leaves its group's count: incremental.update_assessment); False when
    the assessment stage is unavailable or fails (the override is kept either way)."""
    if not ctx.rebuild:
        return False
    try:
        from ..incremental import update_assessment
    except ImportError:
        return False
    with _rebuild_lock:
        try:
            update_assessment(ctx.ledger, ctx.registry)
        except Exception:  # the decision is recorded; a failed rebuild must not lose it
            log.exception("rebuilding the ledger after an override failed")
            return False
    return True


def decision(conn, override_id: int) -> dict | None:
    """One recorded decision (for the confirmation shown after it), or None."""
    if not override_id:
        return None
    row = conn.execute(select(schema.overrides).where(schema.overrides.c.id == override_id)).first()
    return dict(row._mapping) if row else None


def _group_of(conn, target: str, target_id: str) -> str | None:
    if target == "cluster":
        return target_id
    if target == "claim":
        claim = queries.get_claim(conn, target_id)
        return claim.get("cluster") if claim else None
    return None


def grade_before(ctx, target: str, target_id: str, action: str, value: str | None) -> str | None:
    """The grade of the group a decision (or the undo of one) is about to change."""
    with ctx.engine.connect() as conn:
        if action == "undo":
            undone = decision(conn, int(value)) if (value or "").isdigit() else None
            if undone is None:
                return None
            target, target_id = undone["target"], undone["target_id"]
        group = _group_of(conn, target, target_id)
        cluster = queries.get_cluster(conn, group) if group else None
    return cluster.get("grade") if cluster else None


def undo(ctx, override_id: int, who: str, why: str) -> Outcome:
    """Reverse a decision in force with a new, audited one (`Ledger.undo_override`)."""
    if not (who or "").strip():
        raise InvalidAction("say who makes this decision")
    if not (why or "").strip():
        raise InvalidAction("say why: the reason is kept in the audit trail")
    if len(why) > MAX_WHY:
        raise InvalidAction(f"the reason is limited to {MAX_WHY} characters")
    try:
        undo_id = ctx.ledger.undo_override(override_id, who.strip(), why.strip())
    except StoreError as exc:
        raise InvalidAction(exc.message) from exc
    rebuilt = rebuild(ctx)
    with ctx.engine.connect() as conn:
        row = decision(conn, undo_id)
        group = _group_of(conn, row["target"], row["target_id"])
        if group and queries.get_cluster(conn, group) is None:
            group = None
    return Outcome(row, rebuilt, group)


def record(ctx, target: str, target_id: str, action: str, value: str | None, who: str, why: str) -> Outcome:
    value = validate(ctx, target, target_id, action, value, who, why)
    try:
        override_id = ctx.ledger.add_override(target, target_id, action, value, who.strip(), why.strip())
    except StoreError as exc:
        raise InvalidAction(exc.message) from exc
    rebuilt = rebuild(ctx)
    with ctx.engine.connect() as conn:
        row = conn.execute(select(schema.overrides).where(schema.overrides.c.id == override_id)).first()
        group = None
        if target == "cluster":
            group = value if action == "merge" else target_id
            if action == "merge" and queries.get_cluster(conn, value) is None:
                group = None
        elif target == "claim":
            claim = queries.get_claim(conn, target_id)
            group = claim.get("cluster") if claim else None
    return Outcome(dict(row._mapping), rebuilt, group)

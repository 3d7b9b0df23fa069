"""The incremental assessment gives the ledger a full one gives: documents ingested in
batches (new documents, edited versions, near-identical reports, people named across
reports, statements sharing words) and analysts' decisions applied one by one, each
followed by `update_assessment`, whose stored groups and grades are compared with a
from-scratch assessment of the same ledger, group by group.

The claims are generated (as extraction would give them) from a small vocabulary, so
that reports collide in buckets, statements share words and groups merge; the bucket
window and a word's statement index are made small so that a new claim shifts the pairs
around it."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from claimledger import incremental
from claimledger.assess import groups
from claimledger.assess.context import origins_in_context
from claimledger.assess.frames import frames_of
from claimledger.assess.ledger import assess, assess_groups, group_with_decisions, source_settings
from claimledger.assess.registry import load_registry
from claimledger.incremental import update_assessment
from claimledger.models import Claim, Document, Hop, Quantity, TimeRef, claim_id
from claimledger.store import open_ledger, schema

PEOPLES = ["North Korean", "Russian", "Ukrainian"]
KINDS = ["soldiers", "troops", "civilians"]
EVENTS = ["killed", "wounded", "deployed"]
PLACES = ["Kursk", "Bakhmut", "Rafah", "Gaza"]
SOURCES = ["Yonhap", "Reuters", "TASS", "South Korea's National Intelligence Service", "the Pentagon",
           "Global Defense Corp.", "Ukraine's military intelligence"]
PERSONS = ["Lee Sung-kweun", "John Kirby", "Kyrylo Budanov"]
WORDS = ["troops", "border", "deployment", "shelling", "artillery", "positions", "withdrew", "ceasefire", "talks", "envoy", "denied", "reports"]


def _claims_of(doc_id: str, published: str, outlet: str, rng: random.Random) -> list[Claim]:
    claims = []
    for i in range(rng.randint(1, 4)):
        start = i * 200
        kind = "figure" if rng.random() < 0.7 else "statement"
        person = rng.random() < 0.25
        if person:
            name = rng.choice(PERSONS)
            said = f"{rng.choice(['South Korean lawmaker', 'spokesperson', ''])} {name}".strip()
            chain = (Hop(name, "person", "said"),)
        else:
            said = rng.choice(SOURCES)
            chain = tuple(Hop(rng.choice(SOURCES), "organization", "said") for _ in range(rng.randint(0, 2)))
        if kind == "figure":
            value = float(rng.choice([100, 300, 500, 600, 1500]))
            people, what, event, place = rng.choice(PEOPLES), rng.choice(KINDS), rng.choice(EVENTS), rng.choice(PLACES)
            name = f" in the Operation {rng.choice(['Dawn', 'Storm'])} strike" if rng.random() < 0.3 else ""
            text = f"about {value:.0f} {people} {what} were {event} in {place}{name}"
            quantity = Quantity(value, None, None, True, f"about {value:.0f}", "approx")
            stance = "denied" if rng.random() < 0.05 else "asserted"
        elif rng.random() < 0.3:  # a denial naming what it denies, not the event: it joins a figure of its report
            text = rng.choice(["rejected the figures on border shelling as false",
                               "rejected the figures on artillery positions as false", f"had not lost any {rng.choice(KINDS)}"])
            event, quantity, people, what, stance = None, None, None, None, "denied"
        else:
            text = " ".join(rng.sample(WORDS, 5))
            event, quantity, people, what, stance = None, None, None, None, "asserted"
        # a figure of another event in the same sentence: a companion ("killed and 40 wounded")
        companion = None
        if kind == "figure" and rng.random() < 0.4:
            other = rng.choice([e for e in EVENTS if e != event])
            value_2 = float(rng.choice([20, 40, 60]))
            text = f"{text} and about {value_2:.0f} {other}"
            companion = (other, Quantity(value_2, None, None, True, f"about {value_2:.0f}", "approx"))
        sentence = f"{said} said {text}."
        day = f"2024-11-{rng.randint(1, 20):02d}"
        time = TimeRef("on Monday", day) if rng.random() < 0.5 else None
        for figure_event, figure in [(event, quantity)] + ([companion] if companion else []):
            claims.append(Claim(
                id=claim_id(doc_id, start, start + len(text), kind, f"{text}{figure_event}"), doc=doc_id, outlet=outlet,
                published=published, sentence=sentence, text=text, start=start, end=start + len(text), kind=kind,
                event=figure_event, quantity=figure, subject=f"{people} {what}" if people else None, time=time,
                chains=(chain,) if chain else (), stance=stance,
            ))
    return claims


def _document(doc_id: str, rng: random.Random, version: int = 0) -> tuple[Document, list[Claim]]:
    published = f"2024-11-{rng.randint(1, 25):02d}"
    outlet = rng.choice(["Harbor Wire", "Eastbridge Post", "Yonhap", "Polish Radio"])
    claims = _claims_of(doc_id, published, outlet, rng)
    text = f"version {version} of {doc_id}: " + " ".join(c.sentence for c in claims) + f" {rng.random()}"
    return Document(id=doc_id, text=text, outlet=outlet, published=published, input_kind="text"), claims


def _full_assessment(ledger, registry) -> tuple[dict, dict]:
    """A from-scratch assessment of the ledger: its object, and each group's basis."""
    claims, overrides = list(ledger.claims()), ledger.overrides()
    origins = origins_in_context(claims, registry, source_settings(overrides))
    grouping, followed, _ = group_with_decisions(claims, origins, frames_of(claims), overrides)
    clusters, out_claims, bases = assess_groups(grouping, origins, ledger.story_roots(), followed, registry)
    assert clusters == assess(claims, ledger.story_roots(), overrides, registry)["clusters"]
    return {"clusters": clusters, "claims": out_claims}, bases


def _compare_with_full(ledger, registry, with_bases: bool = True) -> None:
    full, bases = _full_assessment(ledger, registry)
    with ledger.engine.connect() as conn:
        rows = conn.execute(select(schema.clusters)).all()
        stored = {row.id: (row.record, row.basis) for row in rows}
        assert all(row.explanation == row.record["explanation"] for row in rows)
        # a claim's explanation is stored empty where it is its group's
        grades = {row.claim_id: (row.cluster_id, row.grade, row.explanation or stored[row.cluster_id][0]["explanation"])
                  for row in conn.execute(select(schema.claim_grades))}
        assert all(row.explanation != stored[row.cluster_id][0]["explanation"]
                   for row in conn.execute(select(schema.claim_grades)))
    expected = {c["id"]: c for c in full["clusters"]}
    assert set(stored) == set(expected)
    for gid, record in expected.items():
        assert stored[gid] == (record, bases[gid] if with_bases else stored[gid][1]), gid  # members, estimate,
        # origins, grade, explanation, matching
    assert grades == {c["id"]: (c["cluster"], c["grade"], c["explanation"]) for c in full["claims"]}


@pytest.fixture
def small_windows(monkeypatch):
    """Few neighbours per bucket and few statements per word: changes shift pairs."""
    monkeypatch.setitem(groups._rules(), "neighbours", 2)
    monkeypatch.setattr(groups, "STATEMENT_INDEX", 3)


def _ingest_in_batches(ledger, rng: random.Random, doc_name=lambda rng, batch, n: f"doc-{rng.randint(0, 9999)}-{batch}-{n}"):
    registry = load_registry()
    kinds = []
    for batch in range(5):
        for n in range(12 if batch == 0 else 4):
            ledger.store(*_document(doc_name(rng, batch, n), rng))
        if batch >= 2:  # edited versions of earlier documents
            with ledger.engine.connect() as conn:
                docs = sorted(set(conn.execute(select(schema.documents.c.doc_id)).scalars()))
            for doc_id in rng.sample(docs, 3):
                ledger.store(*_document(doc_id, rng, version=batch))
        kinds.append(update_assessment(ledger, registry).kind)
        _compare_with_full(ledger, registry)
    assert kinds[0] == "full" and set(kinds[1:]) == {"incremental"}


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_ingesting_in_batches_gives_the_full_assessment(ledger_url, small_windows, seed):
    _ingest_in_batches(open_ledger(ledger_url), random.Random(seed))


@pytest.mark.postgres
@pytest.mark.parametrize("seed", [1, 2])
def test_a_postgresql_database_sorting_text_by_language_gives_the_full_assessment(postgres, small_windows, seed):
    """A server whose databases sort text by a language's rules (here ICU's en-US: case
    and punctuation weigh less than letters) orders document ids unlike Python; the
    statements a word indexes first must still be those a full assessment takes."""
    url = postgres.create_database("icu", icu_locale="en-US")
    try:
        names = ["Doc", "doc", "DOC-", "doc_", "d.oc", "Zed/", "a b"]
        _ingest_in_batches(open_ledger(url), random.Random(seed),
                           lambda rng, batch, n: f"{rng.choice(names)}{rng.randint(0, 99)}-{batch}{n}")
    finally:
        postgres.drop_database(url)


def _groups_by_size(ledger) -> list[tuple[str, list[str]]]:
    """The stored groups (id, member ids), largest first."""
    with ledger.engine.connect() as conn:
        rows = conn.execute(select(schema.claim_grades.c.cluster_id, schema.claim_grades.c.claim_id)).all()
    found: dict[str, list[str]] = {}
    for gid, cid in rows:
        found.setdefault(gid, []).append(cid)
    return sorted(found.items(), key=lambda item: (-len(item[1]), item[0]))


def test_analysts_decisions_one_by_one_give_the_full_assessment(ledger_url, small_windows):
    rng = random.Random(7)
    registry = load_registry()
    ledger = open_ledger(ledger_url)
    for n in range(30):
        ledger.store(*_document(f"doc-{n}", rng))
    assert update_assessment(ledger, registry).kind == "full"

    def decide(target, target_id, action, value=None):
        ledger.add_override(target, target_id, action, value, "ana", "checked")
        assert update_assessment(ledger, registry).kind == "incremental"
        _compare_with_full(ledger, registry)

    (big, members), (second, _), (third, others) = _groups_by_size(ledger)[:3]
    decide("cluster", big, "refute")
    decide("claim", members[0], "confirm")
    decide("cluster", second, "merge", big)
    decide("claim", members[-1], "split")
    decide("claim", others[0], "refute")
    decide("source", "yonhap", "reliability", "E")
    decide("source", "unregistered:harbor wire", "reliability", "A")
    decide("cluster", third, "confirm")
    undone = ledger.overrides()[0]["id"]
    ledger.undo_override(undone, "ana", "second thoughts")
    assert update_assessment(ledger, registry).kind == "incremental"
    _compare_with_full(ledger, registry)
    for n in range(4):  # reports arriving after the decisions: the decisions follow their groups
        ledger.store(*_document(f"late-{n}", rng))
    assert update_assessment(ledger, registry).kind == "incremental"
    _compare_with_full(ledger, registry)


def test_nothing_changed_is_nothing_to_do(ledger_url):
    rng = random.Random(3)
    registry = load_registry()
    ledger = open_ledger(ledger_url)
    for n in range(5):
        ledger.store(*_document(f"doc-{n}", rng))
    assert update_assessment(ledger, registry).kind == "full"
    assert update_assessment(ledger, registry).kind == "current"


def test_the_demo_corpus_ingested_in_two_batches_is_assessed_as_in_one(ledger_url, extractor):
    """On real text (our demo corpus): the wires and outlets first, then the blogs,
    briefings, feeds and batches, kept current incrementally."""
    from claimledger.cli import demo_folder
    from claimledger.pipeline import ingest_paths

    registry = load_registry()
    ledger = open_ledger(ledger_url)
    demo = demo_folder()
    ingest_paths(ledger, [str(demo / "wire"), str(demo / "outlets")], extractor=extractor)
    assert update_assessment(ledger, registry).kind == "full"
    ingest_paths(ledger, [str(demo / name) for name in ("blogs", "briefings", "feeds", "batches")], extractor=extractor)
    assert update_assessment(ledger, registry).kind == "incremental"
    _compare_with_full(ledger, registry)


def _echoed_report(doc_id: str, rng: random.Random) -> tuple[Document, list[Claim]]:
    """A report whose statements all echo one story (a few words vary: one group of
    hundreds of statements across the ledger), with a figure of its own."""
    published = f"2024-11-{rng.randint(1, 25):02d}"
    outlet = rng.choice(["Harbor Wire", "Eastbridge Post", "Polish Radio"] + [f"Outlet {n}" for n in range(8)])
    claims = []
    for i in range(3):
        text = f"troops shelled border positions near the river crossing {rng.choice(WORDS)}"
        chain = tuple(Hop(rng.choice(SOURCES), "organization", "said") for _ in range(rng.randint(0, 2)))
        stance = rng.choice(["asserted"] * 8 + ["hedged", "denied"])
        claims.append(Claim(
            id=claim_id(doc_id, i * 100, i * 100 + len(text), "statement", text), doc=doc_id, outlet=outlet,
            published=published, sentence=f"Officials said {text}.", text=text, start=i * 100,
            end=i * 100 + len(text), kind="statement", chains=(chain,) if chain else (), stance=stance))
    claims += _claims_of(doc_id, published, outlet, rng)[:1]
    text = " ".join(c.sentence for c in claims) + f" {rng.random()}"
    return Document(id=doc_id, text=text, outlet=outlet, published=published, input_kind="text"), claims


def test_a_group_of_hundreds_kept_current_gives_the_full_assessment(ledger_url):
    """Reports joining a group of hundreds of statements, and decisions on it and on a
    source cited across it: each update grades the whole group again and rewrites only
    the rows that changed (its members' grades a chunk at a time)."""
    rng = random.Random(11)
    registry = load_registry()
    ledger = open_ledger(ledger_url)
    for n in range(200):
        ledger.store(*_echoed_report(f"echo-{n:03d}", rng))
    assert update_assessment(ledger, registry).kind == "full"

    def largest():
        return _groups_by_size(ledger)[0]

    big, members = largest()
    assert len(members) > 500  # more than a chunk of claim ids (matching.CHUNK)

    def updated():
        update = update_assessment(ledger, registry)
        assert update.kind == "incremental" and update.claims >= len(largest()[1])
        _compare_with_full(ledger, registry)

    for n in range(5):  # a statement that joins it, from a report ordered before the others
        ledger.store(*_echoed_report(f"a-late-{n}", rng))
    updated()
    big, members = largest()
    for target, target_id, action, value in [
            ("cluster", big, "refute", None), ("claim", sorted(members)[3], "confirm", None),
            ("source", "yonhap", "reliability", "E"), ("source", "unregistered:outlet 3", "reliability", "A"),
            ("claim", sorted(members)[5], "refute", None), ("claim", sorted(members)[7], "split", None)]:
        ledger.add_override(target, target_id, action, value, "ana", "checked")
        updated()
    ledger.undo_override(ledger.overrides()[0]["id"], "ana", "second thoughts")
    updated()


def test_decisions_on_a_group_of_hundreds_leave_its_grouping_alone(ledger_url, monkeypatch):
    """Decisions that change grades only, and their undoing: a source's reliability set
    and a claim refuted grade the groups holding those claims again from their stored
    members, without grouping them again; confirming or refuting a group, or confirming a
    claim, is applied to the group's stored basis without reading a claim, with the
    setting and the refuted claim in force (whose notes the verdict changes). A ledger
    whose bases are not stored yet is grouped again instead."""
    rng = random.Random(5)
    registry = load_registry()
    ledger = open_ledger(ledger_url)
    for n in range(200):
        ledger.store(*_echoed_report(f"echo-{n:03d}", rng))
    assert update_assessment(ledger, registry).kind == "full"
    big, members = _groups_by_size(ledger)[0]
    assert len(members) > 500

    def forbidden(*args, **kwargs):
        raise AssertionError("read more than the decision needs")

    def updated(*forbid: tuple) -> int:
        with monkeypatch.context() as patch:
            for owner, name in ((incremental._Region, "assess"), *forbid):
                patch.setattr(owner, name, forbidden)
            update = update_assessment(ledger, registry)
        assert update.kind == "incremental"
        _compare_with_full(ledger, registry)
        return update.claims

    without_claims = (incremental.matching, "records_of")
    ledger.add_override("source", "ua-hur", "reliability", "A", "ana", "a good record")
    assert updated() >= len(members)
    ledger.add_override("claim", sorted(members)[5], "refute", None, "ana", "a misquote")
    assert updated() == len(members)
    with ledger.engine.connect() as conn:
        record = conn.execute(select(schema.clusters.c.record).where(schema.clusters.c.id == big)).scalar_one()
    assert "set the reliability of Defence Intelligence of Ukraine" in record["explanation"]
    assert "1 claim refuted by an analyst" in record["explanation"]
    ledger.add_override("cluster", big, "refute", None, "ana", "a forged wire")
    assert updated(without_claims) == len(members)
    ledger.add_override("claim", sorted(members)[9], "confirm", None, "ana", "seen on video")
    assert updated(without_claims) == len(members)
    ledger.add_override("cluster", big, "confirm", None, "bo", "three witnesses")  # the last verdict holds
    assert updated(without_claims) == len(members)
    for override in ledger.overrides():
        ledger.undo_override(override["id"], "ana", "second thoughts")
        updated(*([without_claims] if override["target"] != "source" and override["action"] == "confirm" or
                  override["target"] == "cluster" else []))
    with ledger.writing() as conn:  # as a ledger assessed before bases were stored
        conn.execute(schema.clusters.update().values(basis=None))
    ledger.add_override("cluster", big, "confirm", None, "ana", "checked")
    update = update_assessment(ledger, registry)
    assert update.kind == "incremental" and update.claims > len(members)  # the region: grouped and graded again
    _compare_with_full(ledger, registry, with_bases=False)  # (those of the groups outside the region are missing)


def test_updates_overlapping_in_two_threads_leave_the_cycle_collector_running():
    """An update pauses Python's cycle collector; two at once (the web app's threads),
    the second ending last, must not leave it paused."""
    import gc
    import threading

    from claimledger.assess.ledger import collector_paused

    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    while_second_alone = []

    def first():
        with collector_paused():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second():
        first_in.wait(5)
        with collector_paused():
            second_in.set()
            first_out.wait(5)
            while_second_alone.append(gc.isenabled())  # the first ended: still paused for this one

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert while_second_alone == [False] and gc.isenabled()

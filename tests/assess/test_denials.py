"""Denials that name no event, on constructed cases both ways: they deny a figure of
their own report when they name what it counts or speak of its figures, never a figure of
their own source's; a denier has its own say among a group's independent origins. Every
sentence here was written for these tests."""

from __future__ import annotations

from test_matching import apart, groups_of, said, together

JETS = "Pakistan's army said its air defences destroyed five Indian jets in Wednesday's clashes."
NO_JET = "India's foreign ministry said India had not lost a single jet."
UN = "The United Nations said 798 people had been killed near aid sites since late May."


def test_a_denial_of_what_a_figure_counts_joins_it_and_counts_as_an_origin():
    group = together([
        said("j", JETS, "five", 5, event="other", subject="Indian jets", sources=[["Pakistan's army"]]),
        said("j", NO_JET, event=None, stance="denied", sources=[["India's foreign ministry"]], at=len(JETS) + 1),
    ])
    assert group["contradiction"] and group["independent_origins"] == 2
    assert [o["denies"] for o in group["origins"]].count(True) == 1


def test_a_denial_of_the_reports_figures_joins_them():
    rejected = "The foundation dismissed the U.N. figures, calling them invented."
    group = together([
        said("u", UN, "798", 798, subject="people", sources=[["The United Nations"]]),
        said("u", rejected, event=None, stance="denied", sources=[["The foundation"]], at=len(UN) + 1),
    ])
    assert group["independent_origins"] == 2


def test_a_source_does_not_deny_its_own_figure():
    other = "The United Nations said there was no evidence to support that claim."
    apart([
        said("v", UN, "798", 798, subject="people", sources=[["The United Nations"]]),
        said("v", other, event=None, stance="denied", sources=[["The United Nations"]], at=len(UN) + 1),
    ])


def test_a_denial_that_names_neither_what_nor_whose_figures_stays_apart():
    wounded = "Another 200 people were wounded near the site, medics said."
    denial = "The foundation denied that anything had happened near its site."
    claims = [
        said("w", UN, "798", 798, subject="people", sources=[["The United Nations"]]),
        said("w", wounded, "200", 200, event="wounded", subject="people", sources=[["medics"]], at=len(UN) + 1),
        said("w", denial, event=None, stance="denied", sources=[["The foundation"]], at=len(UN) + len(wounded) + 2),
    ]
    home, _ = groups_of(claims)
    assert home[claims[2].id] not in {home[claims[0].id], home[claims[1].id]}

"""The source registry: the shipped data, resolution of names, layering a user's file."""

from __future__ import annotations

import re
import time
from collections import Counter

import pytest

from claimledger.assess.registry import GRADES, KINDS, Entry, load_registry, registry_from_settings
from claimledger.errors import ClaimledgerError


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def resolved_id(registry, name, kind=None):
    entry = registry.resolve(name, kind)
    return entry.id if entry else None


# ---------------------------------------------------------------- the shipped data

def test_shipped_registry_is_large_and_covers_every_kind(registry):
    assert len(registry) >= 220
    kinds = Counter(entry.kind for entry in registry)
    assert set(kinds) == set(KINDS)


def test_shipped_entries_are_well_formed(registry):
    ids = [entry.id for entry in registry]
    assert len(ids) == len(set(ids))
    for entry in registry:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry.id), entry.id
        assert entry.reliability in GRADES and entry.reliability != "F", entry.id  # F: unregistered
        assert entry.reason.strip() and "\n" not in entry.reason, entry.id
        assert entry.country is None or re.fullmatch(r"[A-Z]{2}", entry.country), entry.id
        for conflict, side in entry.conflicts:
            assert side in registry.conflicts[conflict].sides


def test_no_alias_is_claimed_by_two_entries(registry):
    owners: dict[str, set[str]] = {}
    for entry in registry:
        for alias in (entry.name, *entry.aliases):
            key = registry.normalize(alias).removeprefix("the ")
            owners.setdefault(key, set()).add(entry.id)
    shared = {key: ids for key, ids in owners.items() if len(ids) > 1}
    assert shared == {}


def test_conflicts_are_listed(registry):
    assert registry.conflicts["russia-ukraine"].sides == ("ukraine", "russia")
    assert {"israel-hamas", "sudan"} <= set(registry.conflicts)


def test_grades_follow_the_rationale(registry):
    assert registry.get("reuters").reliability == "A"
    assert registry.get("yonhap").reliability in "AB"
    assert registry.get("global-defense-corp").reliability == "E"
    assert registry.get("ua-hur").reliability in "CD"
    assert registry.get("ru-mod").reliability in "CD"


# ---------------------------------------------------------------- resolution

@pytest.mark.parametrize("name", [
    "HUR", "GUR", "DIU", "HUR MO", "Defence Intelligence of Ukraine", "Defense Intelligence of Ukraine",
    "Main Intelligence Directorate", "Ukraine's military intelligence agency",
    "Ukraine\u2019s military intelligence", "the Defense Intelligence of Ukraine (DIU)", "ГУР",
    "Kyiv\u2019s intelligence authorities", "Ukraine's defense intelligence",
    "Ukrainian military intelligence", "the Ukrainian intelligence", "HUR's Telegram channel",
    "Kyrylo Budanov", "Budanov", "ukrainian  defence   intelligence",
])
def test_hur_variants_resolve_to_one_entry(registry, name):
    assert resolved_id(registry, name) == "ua-hur"


@pytest.mark.parametrize("name", [
    "NIS", "National Intelligence Service", "South Korea's National Intelligence Service",
    "South Korea's spy agency", "Seoul's spy agency", "Seoul\u2019s spy agency",
    "South Korean intelligence", "the South Korean spy agency", "국정원", "NIS officials",
])
def test_nis_variants(registry, name):
    assert resolved_id(registry, name) == "kr-nis"


@pytest.mark.parametrize("name", ["RBC Ukraine", "RBC-Ukraine", "RBK-Ukraina", "rbc ukraine",
                                  "RBC\u2013Ukraine"])
def test_rbc_ukraine_variants(registry, name):
    assert resolved_id(registry, name) == "rbc-ukraine"


@pytest.mark.parametrize("name", ["Global Defense Corp.", "Global Defense Corp",
                                  "Global Defense Corporation", "global defense corp"])
def test_global_defense_corp_variants(registry, name):
    assert resolved_id(registry, name) == "global-defense-corp"


@pytest.mark.parametrize("name, expected", [
    ("Pentagon press secretary", "us-dod"),
    ("a Pentagon spokesperson", "us-dod"),
    ("a senior Pentagon official", "us-dod"),
    ("the chief of Ukraine's General Staff", "ua-armed-forces"),
    ("Kyiv's top military officer", "ua-armed-forces"),
    ("the chief of the General Staff of the Armed Forces of Ukraine", "ua-armed-forces"),
    ("Kremlin spokesman", "ru-kremlin"),
    ("the press service of the Main Intelligence Directorate", "ua-hur"),
    ("a South Korean lawmaker", "kr-national-assembly"),
    ("spokesperson for the State Department", "us-state-department"),
])
def test_role_phrases_resolve_to_their_organisation(registry, name, expected):
    assert resolved_id(registry, name) == expected


@pytest.mark.parametrize("name, expected", [
    ("Zelensky", "ua-president"),
    ("Zelenskyy", "ua-president"),
    ("President Volodymyr Zelensky", "ua-president"),
    ("Ukrainian President Volodymyr Zelensky", "ua-president"),
    ("Maj. Gen. Pat Ryder", "us-dod"),
    ("Ryder", "us-dod"),
    ("Pentagon press secretary Maj. Gen. Pat Ryder", "us-dod"),
    ("Anatolii Barhylevych", "ua-armed-forces"),
    ("Anatolii Barhylevych, the chief of the General Staff of the Armed Forces of Ukraine",
     "ua-armed-forces"),
    ("Lee Seong-kweun", "kr-national-assembly"),
    ("South Korean lawmaker Lee Seong-kweun", "kr-national-assembly"),
    ("Sergei Shoigu", "ru-security-council"),
    ("Global Defense Corp., a defense news publisher", "global-defense-corp"),
    ("Russia's Security Council secretary Sergei Shoigu", "ru-security-council"),
    ("Kremlin spokesman Dmitry Peskov", "ru-kremlin"),
    ("Lt. Gen. Kim Kye-hwan", "kr-marine-corps"),
])
def test_people_with_titles_resolve_to_their_organisation(registry, name, expected):
    assert resolved_id(registry, name) == expected


@pytest.mark.parametrize("name, expected", [
    ("Ukraine's defense ministry", "ua-mod"),
    ("the Ministry of Defence of Ukraine", "ua-mod"),
    ("Russian defence ministry", "ru-mod"),
    ("Pyongyang's military", "kp-kpa"),
    ("North Korean state media", "kcna"),
    ("Washington's spy agencies", "us-odni"),
    ("British intelligence", "gb-defence-intelligence"),
    ("South Korea's military", "kr-jcs"),
    ("Ukrainian officials", "ua-president"),
    ("Kyiv", "ua-president"),
    ("Moscow", "ru-kremlin"),
    ("the Gaza health ministry", "gaza-health-ministry"),
    ("Israeli army", "idf"),
    ("U.S. officials", "us-white-house"),
])
def test_normalised_forms_use_place_and_head(registry, name, expected):
    assert resolved_id(registry, name) == expected


@pytest.mark.parametrize("name", [
    "", "Kursk", "an anonymous Western official", "South Korean and U.S. officials",
    "critics of Vladimir Putin", "Lee", "Kim", "some random blog", "Storm Shadow",
    "Ukraine, Russia and Belarus", "Singh", "who dismissed the reports",
])
def test_unknown_or_ambiguous_names_stay_unresolved(registry, name):
    assert registry.resolve(name) is None


def test_kind_filters_the_result(registry):
    assert resolved_id(registry, "NIS", kind="intelligence") == "kr-nis"
    assert registry.resolve("NIS", kind="outlet") is None


def test_resolution_is_fast_for_seen_names(registry):
    names = ["HUR", "Seoul's spy agency", "Maj. Gen. Pat Ryder", "RBC Ukraine", "Kursk"] * 20_000
    for name in set(names):
        registry.resolve(name)
    start = time.perf_counter()
    for name in names:
        registry.resolve(name)
    rate = len(names) / (time.perf_counter() - start)
    assert rate > 50_000


# ---------------------------------------------------------------- parties and conflicts

def test_organs_of_one_state_share_a_party(registry):
    assert registry.party_of(registry.resolve("HUR")) == registry.party_of(
        registry.resolve("President of Ukraine")) == "state-ua"
    assert registry.party_of(registry.resolve("NIS")) == registry.party_of(
        registry.resolve("South Korea's defense ministry")) == "state-kr"
    assert registry.party_of(registry.resolve("Lee Seong-kweun")) == "state-kr"


def test_russian_state_media_share_state_ru(registry):
    for name in ("TASS", "RIA Novosti", "RT", "Sputnik", "Russian Ministry of Defence", "Kremlin"):
        assert registry.party_of(registry.resolve(name)) == "state-ru", name


def test_independent_outlets_are_their_own_party(registry):
    assert registry.party_of(registry.get("reuters")) == "reuters"
    assert registry.party_of(registry.get("meduza")) != registry.party_of(registry.get("tass"))


def test_is_party_to(registry):
    assert registry.is_party_to(registry.get("ua-hur"), "russia-ukraine") == "ukraine"
    assert registry.is_party_to(registry.get("kcna"), "russia-ukraine") == "russia"
    assert registry.is_party_to(registry.get("kr-nis"), "russia-ukraine") is None
    assert registry.is_party_to(registry.get("reuters"), "russia-ukraine") is None


def test_get_iteration_and_membership(registry):
    assert isinstance(registry.get("kr-nis"), Entry)
    assert registry.get("no-such-source") is None
    assert "kr-nis" in registry
    assert sum(1 for _ in registry) == len(registry)
    assert registry.resolve("kr-nis").id == "kr-nis"  # an id given verbatim


def test_shipped_load_is_cached():
    assert load_registry() is load_registry()


# ---------------------------------------------------------------- a user's own file

USER_FILE = """
sources:
  - id: reuters
    reliability: B
    reason: "Our desk downgrades every wire."
  - id: ua-hur
    add_aliases: [Budanov's people]
  - id: kursk-daily-blog
    name: Kursk Daily Blog
    aliases: [KDB]
    kind: outlet
    country: RU
    reliability: D
    reason: "Local blog, unverified."
"""


def test_user_file_overrides_and_adds(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(USER_FILE, encoding="utf-8")
    layered = load_registry(path)
    assert layered.get("reuters").reliability == "B"
    assert layered.get("reuters").name == "Reuters"  # fields it does not give are kept
    assert layered.resolve("KDB").id == "kursk-daily-blog"
    assert layered.resolve("Budanov's people").id == "ua-hur"
    assert layered.resolve("HUR").id == "ua-hur"  # existing aliases are kept by add_aliases
    assert len(layered) == len(load_registry()) + 1
    assert load_registry().get("reuters").reliability == "A"  # the shipped one is untouched


def test_registry_file_setting(tmp_path, monkeypatch):
    path = tmp_path / "mine.yaml"
    path.write_text(USER_FILE, encoding="utf-8")
    monkeypatch.setenv("CLAIMLEDGER_REGISTRY_FILE", str(path))
    assert registry_from_settings().get("kursk-daily-blog") is not None
    monkeypatch.setenv("CLAIMLEDGER_REGISTRY_FILE", "")
    assert registry_from_settings() is load_registry()


@pytest.mark.parametrize("text, message", [
    (("sources:\n  - {id: my-blog, name: A, kind: outlet, reliability: C, reason: x}\n"
      "  - {id: my-blog, name: B, kind: outlet, reliability: C, reason: y}\n"),
     "duplicate source id 'my-blog'"),
    ("sources:\n  - {id: my-blog, name: A, kind: outlet, reliability: G, reason: x}\n", "reliability"),
    ("sources:\n  - {id: my-blog, name: A, kind: blog, reliability: C, reason: x}\n", "unknown kind 'blog'"),
    ("sources:\n  - {id: my-blog, name: A, aliases: [Yonhap], kind: outlet, reliability: C}\n",
     "already claimed by source 'yonhap'"),
    ("sources:\n  - {id: My Blog, name: A, kind: outlet, reliability: C}\n", "kebab-case"),
    ("sources:\n  - {id: my-blog, name: A, kind: outlet, reliability: C, colour: red}\n", "unknown field"),
    (("sources:\n  - {id: my-blog, name: A, kind: outlet, reliability: C,\n"
      "     conflicts: [{conflict: russia-ukraine, side: nato}]}\n"), "side 'nato'"),
    ("sources:\n  - id: my-blog\n    name: [unclosed\n", "not valid YAML"),
    ("- just a list\n", "must be a mapping"),
])
def test_bad_user_file_names_the_file(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ClaimledgerError) as caught:
        load_registry(path)
    assert message in caught.value.message
    assert caught.value.path == str(path)
    assert str(path) in str(caught.value)


def test_error_gives_the_line_of_the_bad_entry(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("sources:\n  - id: ok-blog\n    name: A\n    kind: outlet\n    reliability: C\n"
                    "  - id: bad-blog\n    name: B\n    kind: outlet\n    reliability: Z\n",
                    encoding="utf-8")
    with pytest.raises(ClaimledgerError) as caught:
        load_registry(path)
    assert caught.value.line == 6
    assert "bad-blog" in caught.value.message


def test_missing_user_file(tmp_path):
    with pytest.raises(ClaimledgerError) as caught:
        load_registry(tmp_path / "nope.yaml")
    assert "not found" in caught.value.message

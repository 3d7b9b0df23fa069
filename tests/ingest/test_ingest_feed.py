"""RSS and Atom feeds: items as documents, entity attacks refused, broken XML reported."""

from __future__ import annotations

import time
from pathlib import Path

import feedparser
import pytest

from claimledger.errors import InputError
from claimledger.ingest import read_feed_file

FIXTURES = Path(__file__).parent / "fixtures"

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol0 "lol">\n'
    + b"".join(  # each level refers ten times to the one below: 10**9 "lol"s if expanded
        b'<!ENTITY lol%d "%s">\n' % (level, b"&lol%d;" % (level - 1) * 10)
        for level in range(1, 10)
    )
    + b']>\n<rss version="2.0"><channel><title>&lol9;</title>'
    b"<item><title>&lol9;</title><description>&lol9;</description></item></channel></rss>\n"
)


def test_rss_items_become_documents(read_batch):
    path = FIXTURES / "kursk_watch.rss"
    (first, second, third), errors = read_batch([path])
    assert errors == []
    assert first.id == "kurskwatch-2024-11-25-seoul"  # the guid
    assert first.url == "https://kurskwatch.example/2024/11/25/seoul-estimate"
    assert first.title == "Seoul: about 11,000 North Korean troops in Kursk"
    assert first.published == "2024-11-25T07:45:00+01:00"
    assert first.outlet == "Kursk Watch"  # the feed's title
    assert (first.input_kind, first.source_path, first.language) == ("feed", str(path), "en")
    assert first.text.startswith("South Korea's intelligence service gave lawmakers")
    assert "tracking" not in first.text  # scripts in item content are dropped, never run
    (block,) = first.quoted
    assert first.text[block.start:block.end] == (
        "About 11,000 North Korean soldiers are now in the Kursk region, and some have joined "
        "combat, the agency said."
    )
    assert block.cite == "https://wire.example/item/8812"
    assert second.id == second.url == "https://kurskwatch.example/2024/11/26/casualties"  # no guid
    assert second.published == "2024-11-26T18:00:00+00:00"
    assert second.outlet == "Example Wire"  # the item's <source> names its origin
    assert second.text[second.quoted[0].start:second.quoted[0].end] == "heavy losses"
    assert third.text == third.title == "Moscow denies North Korean deployment"  # headline only


def test_atom_entries_become_documents(read_batch):
    (first, second, third), errors = read_batch([FIXTURES / "kursk_watch.atom"])
    assert errors == []
    assert first.id == "urn:uuid:6a1c2f5e-1111-4c3b-9e7d-000000000001"
    assert first.url == "https://bordermonitor.example/camps"
    assert first.published == "2024-11-27T09:30:00+02:00"  # published wins over updated
    assert first.outlet == "Border Monitor"
    assert first.language == "en"
    (block,) = first.quoted
    assert first.text[block.start:block.end] == "The camps could house several thousand soldiers."
    assert block.cite == "Open Imagery Lab"
    assert second.published == "2024-11-26"  # only a date is known
    assert second.text == "Officials in Seoul expect a second rotation of troops."
    (block,) = third.quoted  # xhtml content
    assert third.text[block.start:block.end] == "Hundreds of enemy soldiers were put out of action."
    assert block.cite == "https://ministry.example/release"
    assert third.url is None  # no link: the urn:uuid id is not a web address


def test_item_without_text_or_title_is_an_error(tmp_path, read_batch, names_file):
    feed = tmp_path / "thin.rss"
    feed.write_text('<rss version="2.0"><channel><title>Thin</title><item><guid>t-1</guid>'
                    "</item><item><title>Seoul counts 11,000</title></item></channel></rss>")
    (doc,), (error,) = read_batch([feed])
    names_file(error, feed, "feed item 1 has no text, summary or title")
    assert doc.text == "Seoul counts 11,000"


def test_outlet_argument_fills_only_a_feed_without_title(tmp_path, read_batch):
    untitled = tmp_path / "untitled.rss"
    untitled.write_text('<rss version="2.0"><channel><item><guid>u-1</guid><description>'
                        "Seoul reports new arrivals.</description></item></channel></rss>")
    documents, _ = read_batch([untitled, FIXTURES / "kursk_watch.atom"], outlet="Given Outlet")
    assert [d.outlet for d in documents] == ["Given Outlet"] + ["Border Monitor"] * 3


def test_billion_laughs_is_refused_fast_and_never_parsed(
    tmp_path, read_batch, names_file, monkeypatch
):
    def must_not_run(*args, **kwargs):
        raise AssertionError("feedparser must not see an entity-declaring feed")

    monkeypatch.setattr(feedparser, "parse", must_not_run)
    attack = tmp_path / "laughs.xml"
    attack.write_bytes(BILLION_LAUGHS)
    began = time.perf_counter()
    documents, (error,) = read_batch([attack, FIXTURES / "report.txt"])
    assert time.perf_counter() - began < 1.0
    names_file(error, attack, "feed declares XML entities (refused: entity expansion attack)")
    assert len(documents) == 1


def test_external_entity_is_refused(tmp_path, read_batch, names_file):
    attack = tmp_path / "xxe.rss"
    attack.write_bytes(b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY secret SYSTEM '
                       b'"file:///etc/passwd">]><rss version="2.0"><channel><title>&secret;'
                       b"</title></channel></rss>")
    _, (error,) = read_batch([attack])
    names_file(error, attack, "refused: entity expansion attack")


def test_broken_xml_is_an_error_naming_the_problem(tmp_path, read_batch, names_file):
    broken = tmp_path / "broken.rss"
    broken.write_bytes(b'<?xml version="1.0"?>\n<rss version="2.0">\n<channel><title>Kursk'
                       b"</titel>\n<<<item>>>\n")
    documents, (error,) = read_batch([broken, FIXTURES / "kursk_watch.atom"])
    names_file(error, broken, "broken XML")
    assert "mismatched tag" in error.message
    assert error.line == 3
    assert len(documents) == 3


def test_items_of_a_mildly_broken_feed_are_kept(tmp_path, read_batch):
    sloppy = tmp_path / "sloppy.rss"
    sloppy.write_bytes(b'<rss version="2.0"><channel><title>Border & Front</title><item>'
                       b"<guid>s-1</guid><title>Troops &amp; tanks</title><description>Seoul says"
                       b" 11,000&nbsp;troops are in Kursk.</description></item></channel></rss>")
    (doc,), errors = read_batch([sloppy])
    assert errors == []
    assert doc.id == "s-1"
    assert doc.text == "Seoul says 11,000 troops are in Kursk."
    assert doc.outlet == "Border & Front"


def test_truncated_feed_keeps_whole_items_and_reports_the_cut_one(tmp_path, read_batch, names_file):
    whole = (FIXTURES / "kursk_watch.rss").read_bytes()
    cut = tmp_path / "cut.rss"
    cut.write_bytes(whole[: whole.index(b"Ukrainian officials spoke")])
    (doc,), (error,) = read_batch([cut])
    assert doc.id == "kurskwatch-2024-11-25-seoul"
    names_file(error, cut, "feed item 2 has no text: broken XML")
    assert error.line is not None


def test_xml_that_is_not_a_feed_is_an_error(tmp_path, read_batch, names_file):
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text('<?xml version="1.0"?><urlset><url><loc>https://a.example/</loc></url></urlset>')
    _, (error,) = read_batch([sitemap])
    names_file(error, sitemap, "not an RSS or Atom feed")


def test_read_feed_file_raises_for_an_unreadable_feed():
    with pytest.raises(InputError, match="broken XML"):
        read_feed_file(b"<rss><channel", "x.rss")

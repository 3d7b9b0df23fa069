"""HTML pages and fragments: main text, quoted blocks with offsets, metadata, bad pages."""

from __future__ import annotations

from pathlib import Path

import pytest
import trafilatura

from claimledger.errors import InputError
from claimledger.ingest import read_html_file
from claimledger.ingest.html import extract_fragment

FIXTURES = Path(__file__).parent / "fixtures"
WIRE_PASSAGE = (
    "About 11,000 North Korean troops have been deployed to Russia's Kursk region, South Korean "
    "intelligence officials told lawmakers, and some of them have already taken part in combat."
    "\n\nThe officials did not say how many of the soldiers had been killed or wounded."
)


@pytest.fixture(scope="module")
def blog_post():
    path = FIXTURES / "blog_post.html"
    (doc,) = read_html_file(path.read_bytes(), str(path))
    return doc


def test_page_keeps_the_writers_paragraphs_and_drops_boilerplate(blog_post):
    text = blog_post.text
    assert text.index("For a month now") < text.index("About 11,000") < text.index("We will keep")
    for boilerplate in ("Archive", "Subscribe", "Popular", "All rights reserved", "analytics"):
        assert boilerplate not in text
    assert "\n\nThe figure most often cited" in text  # paragraphs split by a blank line
    assert "South Korean intelligence | about 11,000" in text  # table text kept


def test_blockquote_is_in_the_text_and_located_with_its_cite(blog_post):
    block = blog_post.quoted[0]
    assert blog_post.text[block.start:block.end] == WIRE_PASSAGE
    assert block.cite == "https://wire.example/world/2024/11/25/kursk-korea"
    assert "Example Wire, 25 November" not in blog_post.text  # the attribution line is the cite


def test_inline_q_is_located(blog_post):
    (inline,) = [q for q in blog_post.quoted if q.cite == "https://gov.example/statement"]
    assert blog_post.text[inline.start:inline.end] == "significant losses"


def test_page_metadata(blog_post):
    assert blog_post.title == "Counting soldiers in Kursk"
    assert blog_post.outlet == "Frontline Notes"
    assert blog_post.published == "2024-11-26T08:15:00+00:00"
    assert blog_post.url == "https://frontline.example/posts/counting-kursk"
    assert blog_post.id == blog_post.url  # the canonical URL is the page's own id
    assert blog_post.language == "en-GB"
    assert blog_post.input_kind == "html"


def test_page_without_canonical_url_is_named_by_its_path_and_og_url():
    page = b"""<html><head><meta property="og:url" content="https://x.example/a">
    <title>T</title></head><body><p>Seoul counts 11,000 soldiers.</p></body></html>"""
    (doc,) = read_html_file(page, "pages/a.html")
    assert doc.url == "https://x.example/a"
    assert doc.id == "https://x.example/a"
    (doc,) = read_html_file(page.replace(b"og:url", b"og:other"), "pages/./a.html")
    assert (doc.url, doc.id, doc.title) == (None, "pages/a.html", "T")


def test_short_page_that_trafilatura_drops_falls_back_to_body_text(monkeypatch):
    extracted = []
    real_extract = trafilatura.extract

    def spy(*args, **kwargs):
        extracted.append(real_extract(*args, **kwargs))
        return extracted[-1]

    monkeypatch.setattr(trafilatura, "extract", spy)
    path = FIXTURES / "short_page.html"
    (doc,) = read_html_file(path.read_bytes(), str(path))
    assert extracted == [None]  # the case the fallback is for
    assert doc.text == (
        "Seoul says about 11,000 North Korean troops are in Kursk.\n\n"
        "They have begun fighting, officials said."
    )
    (block,) = doc.quoted
    assert doc.text[block.start:block.end] == "They have begun fighting, officials said."
    assert block.cite == "https://wire.example/1"


def test_fallback_keeps_quotes_and_footer_attribution(monkeypatch):
    monkeypatch.setattr(trafilatura, "extract", lambda *args, **kwargs: None)
    page = (FIXTURES / "blog_post.html").read_bytes().replace(b' cite="https://wire', b' data-x="')
    (doc,) = read_html_file(page, "blog_post.html")
    block = doc.quoted[0]
    assert doc.text[block.start:block.end] == WIRE_PASSAGE
    assert block.cite == "Example Wire, 25 November 2024"
    assert "All rights reserved" not in doc.text and "Archive" not in doc.text


def test_truncated_html_gives_what_can_be_parsed(read_batch):
    path = FIXTURES / "truncated.html"
    (doc,), errors = read_batch([path])
    assert errors == []
    assert doc.text.startswith("Officials in Kyiv said on Tuesday")
    assert "could not be confirmed independently, and Moscow" in doc.text
    (block,) = doc.quoted
    assert doc.text[block.start:block.end].startswith("About 11,000 soldiers were sent")
    assert doc.outlet == "Border Daily"


def test_page_without_text_is_an_error_and_the_batch_goes_on(tmp_path, read_batch, names_file):
    empty = tmp_path / "empty.html"
    empty.write_text("<html><head><title>Nothing</title><script>var a;</script></head>"
                     "<body><nav><a href='/'>Home</a></nav></body></html>")
    documents, (error,) = read_batch([empty, FIXTURES / "blog_post.html"])
    names_file(error, empty, "no text found in the page")
    assert len(documents) == 1


def test_malformed_markup_soup_does_not_crash(tmp_path, read_batch, names_file):
    soup = tmp_path / "soup.html"
    soup.write_bytes(b"<<html><body <p>>Kursk</p></td></tr><blockquote><q><q>11,000</b>")
    nothing = tmp_path / "nothing.htm"
    nothing.write_bytes(b"</div></p><br><img src='x.png'><hr")
    documents, errors = read_batch([soup, nothing])
    assert "11,000" in documents[0].text
    names_file(errors[0], nothing, "no text found")


def test_cp1252_page_decodes_by_its_meta_charset():
    words = "Zelens\u2019kyi\u2019s office said the caf\u00e9 was hit \u2013 \u201cbadly\u201d."
    page = f'<html><head><meta charset="windows-1252"></head><body><p>{words}</p></body></html>'
    (doc,) = read_html_file(page.encode("cp1252"), "page.html")
    assert doc.text == words


def test_fragment_keeps_every_quote_and_layout():
    fragment = (
        "<p>Writer's text.</p><blockquote><p>About 11,000 troops.</p><p>Second   <b>part</b>."
        "</p><cite>\u2014 Example Wire</cite></blockquote><p>A <q>short</q> one.<br>Next line"
        "<br><br>New paragraph</p><script>alert(1)</script>"
    )
    extracted = extract_fragment(fragment)
    assert extracted.text == (
        "Writer's text.\n\nAbout 11,000 troops.\n\nSecond part.\n\nA short one.\nNext line"
        "\n\nNew paragraph"
    )
    block, inline = extracted.quoted
    assert extracted.text[block.start:block.end] == "About 11,000 troops.\n\nSecond part."
    assert block.cite == "Example Wire"
    assert extracted.text[inline.start:inline.end] == "short"


def test_read_html_file_raises_for_a_binary_file():
    with pytest.raises(InputError, match="binary file, not text"):
        read_html_file(b"GIF89a\x01\x00\x01\x00\x00\xff", "image.html")

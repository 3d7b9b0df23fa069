"""HTML pages and fragments: the main text, with quoted blocks kept in it and located.

A blog post often quotes another outlet's item in a <blockquote> between the writer's own
paragraphs. Both belong in the text, but later stages must know which words the writer
quotes, so each <blockquote> and <q> becomes a QuotedBlock(start, end, cite) with offsets
into the document text. `cite` is the block's cite= attribute, else the text of a <cite>
or <footer> that is a direct child of the blockquote (that attribution line is recorded as
the cite and left out of the text).

Pages go through trafilatura, which drops navigation, comments and boilerplate. Its XML
output marks quotes as <quote> but loses cite= attributes and some <q>s, so quotes are
also collected from the page itself and matched to the extracted text by their words.
When trafilatura finds nothing (a short page), the text is taken from <body> without
scripts, styles, navigation and footers. Fragments (a feed item's content, a JSONL `html`
field) are short and all content, so they skip trafilatura: it could drop them whole.

Metadata: title (og:title, else <title>), outlet (og:site_name), published
(article:published_time and kin), url (<link rel=canonical>, else og:url), language
(<html lang>). The document id is the url when there is one, else the file path.

Text layout: paragraphs are separated by a blank line, <br> by a newline, table cells by
" | "; other whitespace runs become one space. Nothing is fetched or executed: lxml's
parser runs without network access and scripts are dropped unread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.etree
import lxml.html
import trafilatura

from ..errors import InputError
from ..models import Document, QuotedBlock
from .decode import decode_text, normalize_published
from .folder import path_id

# Content that is never article text, whether or not trafilatura runs.
SKIPPED_TAGS = frozenset({
    "script", "style", "noscript", "template", "nav", "footer", "aside", "form", "button",
    "select", "textarea", "iframe", "object", "embed", "svg", "canvas", "head", "title",
})
_HTML_BLOCKS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "pre",
    "table", "thead", "tbody", "tfoot", "caption", "section", "article", "main", "header",
    "figure", "figcaption", "address", "hr", "details", "summary", "center", "blockquote",
})
# The element names of trafilatura's XML output format.
_XML_BLOCKS = frozenset({"doc", "main", "p", "head", "list", "item", "table", "code", "div"})
_XML_INLINE_PARENTS = frozenset({"p", "head", "item", "cell", "hi"})

# Meta fields that state a page's publication date, in order of trust.
PUBLISHED_META = (
    "article:published_time", "datepublished", "pubdate", "publishdate", "publish-date",
    "dc.date.issued", "dcterms.issued", "dc.date", "date",
)

_XML_DECLARATION = re.compile(r"^(?:\s*<\?xml[^>]*\?>)+")
# Characters lxml cannot hold (controls, lone surrogates, non-characters): never text anyway.
_NOT_XML_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_PAGE_MARKUP = re.compile(r"<(?:html|head|body)[\s>]", re.IGNORECASE)
_PARA, _LINE, _CELL, _SPACE = 4, 3, 2, 1
_SEPARATORS = {_PARA: "\n\n", _LINE: "\n", _CELL: " | ", _SPACE: " "}


@dataclass
class Extracted:
    """What a page or fragment says: its text, quoted blocks and stated metadata."""

    text: str
    quoted: tuple[QuotedBlock, ...] = ()
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    language: str | None = None


def read_html_file(data: bytes, path: str) -> list[Document]:
    """The one document of an HTML file (raises InputError if it holds no text)."""
    match = _META_CHARSET.search(data[:4096])
    declared = match.group(1).decode("ascii") if match else None
    page = extract_page(decode_text(data, path, declared=declared))
    if not page.text:
        raise InputError("no text found in the page", path=path)
    return [
        Document(
            id=page.url or path_id(path), text=page.text, source_path=path,
            input_kind="html", url=page.url, outlet=page.outlet, published=page.published,
            title=page.title, language=page.language, quoted=page.quoted,
        )
    ]


def extract_markup(markup: str) -> Extracted:
    """A whole page (it has <html>, <head> or <body>) as a page, anything else as a fragment."""
    return extract_page(markup) if _PAGE_MARKUP.search(markup) else extract_fragment(markup)


def extract_fragment(markup: str) -> Extracted:
    """Text and quoted blocks of an HTML fragment, all of it kept (no boilerplate removal)."""
    # lxml's own fragment parsing gives up on stray <html>/<body> tags; a wrapped
    # document does not, and its <body> is never empty.
    tree = lxml.html.document_fromstring(
        f"<html><body>{_clean(markup)}</body></html>", parser=_parser()
    )
    body = tree.find("body")
    root = body if body is not None else tree
    _move_attributions(root)
    text, quoted = _html_text(root)
    return Extracted(text=text, quoted=quoted)


def extract_page(markup: str) -> Extracted:
    """Main text, quoted blocks and metadata of a whole page; malformed markup is repaired."""
    try:
        tree = lxml.html.document_fromstring(_clean(markup), parser=_parser())
    except lxml.etree.ParserError:
        return Extracted(text="")
    page = _page_metadata(tree)
    _move_attributions(tree)
    for element in list(tree.iter(*SKIPPED_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()
    page.text, page.quoted = _main_text(tree)
    if not page.text:
        body = tree.find("body")
        page.text, page.quoted = _html_text(body if body is not None else tree)
    return page


def _move_attributions(root) -> None:
    """Make a blockquote's attribution line (a <cite> or <footer> child) its cite=, out of
    the text: it names the quoted source, and trafilatura would keep it as quoted words."""
    for blockquote in list(root.iter("blockquote")):
        attribution = [c for c in blockquote if c.tag in ("cite", "footer")]
        for child in attribution:
            words = _collapse(child.text_content()).lstrip("—–- ")
            if words and not _attribute(blockquote, "cite"):
                blockquote.set("cite", words)
            child.drop_tree()


@dataclass
class _Original:
    """A <blockquote> or <q> of the page, to be found again in trafilatura's text."""

    text: str
    cite: str | None
    used: bool = False


def _main_text(tree) -> tuple[str, tuple[QuotedBlock, ...]]:
    """Trafilatura's main text, its quotes given the cite of the page quote they came from,
    and page quotes it kept as plain paragraphs located by their words."""
    originals = [
        _Original(_html_text(e, in_blockquote=True)[0], _attribute(e, "cite"))
        for e in tree.iter("blockquote", "q")
        if e.tag == "blockquote" or not any(a.tag == "blockquote" for a in e.iterancestors())
    ]
    xml = trafilatura.extract(
        lxml.html.tostring(tree, encoding="unicode"), output_format="xml",
        include_formatting=True, include_tables=True, include_comments=False,
        include_images=False, include_links=False, deduplicate=False,
    )
    try:
        main = lxml.etree.fromstring(xml.encode("utf-8")).find("main") if xml else None
    except lxml.etree.XMLSyntaxError:
        main = None  # trafilatura wrote XML it cannot read back: use the fallback
    if main is None:
        return "", ()
    builder = _TextBuilder()
    _walk_xml(main, builder)
    text, spans = builder.result()
    quoted = []
    for span in spans:
        original = _match(text[span.start:span.end], originals)
        quoted.append(QuotedBlock(span.start, span.end, original.cite if original else None))
    cursor = 0
    for original in originals:
        if original.used or not original.text:
            continue
        start = text.find(original.text, cursor)
        end = start + len(original.text)
        if start >= 0 and not any(q.start < end and start < q.end for q in quoted):
            quoted.append(QuotedBlock(start, end, original.cite))
            cursor = end
    return text, tuple(sorted(quoted, key=_position))


def _match(quote_text: str, originals: list[_Original]) -> _Original | None:
    """The page's quote that trafilatura's <quote> came from (it may have trimmed a little)."""
    ours = _collapse(quote_text)
    for original in originals:
        theirs = _collapse(original.text)
        trimmed = len(ours) >= 20 and (ours[:50] in theirs or theirs[:50] in ours)
        if not original.used and theirs and (ours == theirs or trimmed):
            original.used = True
            return original
    return None


def _page_metadata(tree) -> Extracted:
    meta = {}
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop")
        value = _collapse(element.get("content") or "")
        if key and value:
            meta.setdefault(key.strip().lower(), value)
    for element in tree.xpath("//*[@itemprop='datePublished'][@datetime]"):
        meta.setdefault("datepublished", element.get("datetime").strip())
    title = tree.find(".//title")
    title = _collapse(title.text_content()) if title is not None else ""
    canonical = tree.xpath(
        "//link[@href][contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]"
    )
    stated = (normalize_published(meta[key]) for key in PUBLISHED_META if key in meta)
    published = next((date for date in stated if date), None)
    return Extracted(
        text="",
        title=meta.get("og:title") or title or None,
        outlet=meta.get("og:site_name"),
        published=published,
        url=(canonical[0].get("href").strip() if canonical else None) or meta.get("og:url"),
        language=_attribute(tree, "lang"),
    )


def _html_text(element, in_blockquote: bool = False) -> tuple[str, tuple[QuotedBlock, ...]]:
    builder = _TextBuilder()
    _walk_html(element, builder, in_blockquote)
    return builder.result()


def _walk_html(element, builder: _TextBuilder, in_blockquote: bool) -> None:
    """Feed an HTML element's text to the builder, marking blocks, breaks and quotes.

    A <q> inside a blockquote is not marked again: the whole block is quoted already."""
    tag = element.tag  # lxml.html gives tag names in lower case
    if not isinstance(tag, str) or tag in SKIPPED_TAGS:
        return  # a comment, or content that is never article text
    quote = tag == "blockquote" or (tag == "q" and not in_blockquote)
    block = _PARA if tag in _HTML_BLOCKS else _LINE if tag == "tr" else 0
    builder.separate(block)
    if quote:
        builder.open_quote(_attribute(element, "cite"))
    builder.add_text(element.text)
    for child in element:
        if child.tag == "br":
            builder.line_break()
        else:
            _walk_html(child, builder, in_blockquote or tag == "blockquote")
        if child.tag in ("td", "th"):
            builder.separate(_CELL)
        builder.add_text(child.tail)
    if quote:
        builder.close_quote()
    builder.separate(block)


def _walk_xml(element, builder: _TextBuilder) -> None:
    """The same for trafilatura's XML: <p>, <head>, <list>/<item>, <table>/<row>/<cell>, <quote>."""
    tag = element.tag
    quote = tag == "quote"
    inline_quote = quote and element.getparent().tag in _XML_INLINE_PARENTS
    block = _PARA if tag in _XML_BLOCKS or (quote and not inline_quote) else 0
    builder.separate(_LINE if tag == "row" else block)
    if quote:
        builder.open_quote(None)
    builder.add_text(element.text)
    for child in element:
        if child.tag == "lb":
            builder.line_break()
        else:
            _walk_xml(child, builder)
        if child.tag == "cell":
            builder.separate(_CELL)
        builder.add_text(child.tail)
    if quote:
        builder.close_quote()
    builder.separate(_LINE if tag == "row" else block)


class _TextBuilder:
    """Builds the document text while recording quote offsets.

    Separators are held back until the next visible character, so that the text never
    starts or ends with one, two blocks are split by exactly one blank line, and a quote
    opened before whitespace starts at its first word and ends at its last.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._pending = 0
        self._breaks = 0
        self._open: list[list] = []  # [start, end, cite] of quotes not closed yet
        self._spans: list[list] = []

    def add_text(self, text: str | None) -> None:
        for run in re.split(r"(\s+)", text or ""):
            if not run:
                continue
            if run.isspace():
                self.separate(_SPACE)
            else:
                self._emit(run)

    def separate(self, strength: int) -> None:
        self._pending = max(self._pending, strength)

    def line_break(self) -> None:
        self._breaks += 1
        self.separate(_PARA if self._breaks > 1 else _LINE)  # <br><br> ends a paragraph

    def open_quote(self, cite: str | None) -> None:
        self._open.append([None, None, cite])  # starts at the next visible character

    def close_quote(self) -> None:
        span = self._open.pop()
        if span[0] is not None:  # else nothing visible was quoted
            span[1] = self._length
            self._spans.append(span)

    def result(self) -> tuple[str, tuple[QuotedBlock, ...]]:
        blocks = sorted((QuotedBlock(*span) for span in self._spans), key=_position)
        return "".join(self._parts), tuple(blocks)

    def _emit(self, run: str) -> None:
        if self._length and self._pending:
            self._append(_SEPARATORS[self._pending])
        self._pending = self._breaks = 0
        for span in self._open:
            if span[0] is None:
                span[0] = self._length
        self._append(run)

    def _append(self, piece: str) -> None:
        self._parts.append(piece)
        self._length += len(piece)


def _clean(markup: str) -> str:
    """Markup lxml accepts from a str: no XML declaration, no characters XML forbids."""
    return _XML_DECLARATION.sub("", _NOT_XML_CHARACTERS.sub("", markup))


def _parser() -> lxml.html.HTMLParser:
    """A parser per call: lxml parsers must not be shared between threads. No network."""
    return lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)


def _position(block: QuotedBlock) -> tuple[int, int]:
    return block.start, block.end


def _attribute(element, name: str) -> str | None:
    value = (element.get(name) or "").strip()
    return value or None


def _collapse(text: str) -> str:
    return " ".join(text.split())

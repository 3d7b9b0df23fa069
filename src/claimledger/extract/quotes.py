"""Direct quotations: pair the quotation marks of a document, curly or straight.

Runs on the raw text before any parse. Newspaper convention lets a quotation run over
several paragraphs: each continuing paragraph opens with a quotation mark and only the
last one closes it. An odd number of marks never fails: an unclosed quotation ends at
its paragraph's end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .segment import paragraphs


@dataclass(frozen=True)
class Quote:
    start: int  # the opening mark
    end: int  # just after the closing mark (or the paragraph's end when unclosed)
    closed: bool

    @property
    def inner(self) -> tuple[int, int]:
        return self.start + 1, self.end - 1 if self.closed else self.end


_OPEN = "“«„"
_MARKS = re.compile(r"[\"“”«»„]")


def _is_opening(text: str, i: int) -> bool:
    """A straight quote opens when it follows a space, a line start or an opening bracket."""
    return i == 0 or text[i - 1].isspace() or text[i - 1] in "([{—–-:"


def find_quotes(text: str) -> list[Quote]:
    quotes: list[Quote] = []
    paras = paragraphs(text)
    open_at: int | None = None
    for p_start, p_end in paras:
        for match in _MARKS.finditer(text, p_start, p_end):
            i, mark = match.start(), match.group()
            if open_at is None:
                if mark in _OPEN or (mark == '"' and _is_opening(text, i)):
                    open_at = i
            elif mark in "”»\"" or (mark == "“" and not _is_opening(text, i)):
                quotes.append(Quote(open_at, i + 1, True))
                open_at = None
            else:  # a new opening mark before the previous one closed: restart there
                open_at = i
        if open_at is not None:
            # Unclosed at the paragraph's end: either a quotation continued by the next
            # paragraph (see continued_runs) or a stray mark; both end here.
            quotes.append(Quote(open_at, p_end, False))
            open_at = None
    return [q for q in quotes if q.end - q.start > 2]


def continued_runs(text: str, quotes: list[Quote]) -> list[list[Quote]]:
    """Group quotes into runs: an unclosed paragraph quote continued by the next one."""
    runs: list[list[Quote]] = []
    for quote in quotes:
        if runs and not runs[-1][-1].closed and _only_space_between(text, runs[-1][-1].end, quote.start):
            runs[-1].append(quote)
        else:
            runs.append([quote])
    return runs


def _only_space_between(text: str, a: int, b: int) -> bool:
    return not text[a:b].strip()

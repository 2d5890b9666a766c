"""Quotation spans: paired marks in every common style, never crashing on odd ones.

Handles straight and curly double quotes, guillemets, the ``...'' style, and single
quotes used as primary marks. A paragraph that opens a quotation without closing it
continues into the next paragraph when that one opens with a quotation mark (news
style for multi-paragraph quotes); otherwise the quotation ends with its paragraph.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

from stance.types import Article

_MARK = re.compile(r"``|''|[\"“”„«»‘’']")
_OPENERS = {"“": "”", "„": "“", "«": "»", "``": "''", "‘": "’"}
_WORDCHAR = re.compile(r"\w")
_ELISION = re.compile(r"\d\d(?:s)?(?!\w)")  # the '90s, class of '08: no quotation opens


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation: ``start:end`` includes its marks, ``inner_*`` excludes them."""

    start: int
    end: int
    inner_start: int
    inner_end: int


class Quotes(Sequence[Quote]):
    """An article's quotations (sorted and disjoint, as ``quote_spans`` returns them),
    with the range questions attribution asks answered by bisection, not by a scan."""

    def __init__(self, quotes: list[Quote]) -> None:
        self._quotes = quotes
        self._starts = [q.start for q in quotes]
        self._ends = [q.end for q in quotes]
        self._inner_starts = [q.inner_start for q in quotes]

    @overload
    def __getitem__(self, k: int) -> Quote: ...
    @overload
    def __getitem__(self, k: slice) -> Sequence[Quote]: ...
    def __getitem__(self, k: int | slice) -> Quote | Sequence[Quote]:
        return self._quotes[k]

    def __len__(self) -> int:
        return len(self._quotes)

    def inside(self, at: int) -> bool:
        """Whether ``at`` lies between the marks of a quotation."""
        k = bisect_right(self._inner_starts, at) - 1
        return k >= 0 and at < self._quotes[k].inner_end

    def overlapping(self, start: int, end: int) -> list[Quote]:
        """The quotations that share a character with ``start:end``."""
        return self._quotes[bisect_right(self._ends, start) : bisect_left(self._starts, end)]

    def quoted_chars(self, start: int, end: int) -> int:
        """How many characters of ``start:end`` lie in quotations (marks included)."""
        return sum(min(q.end, end) - max(q.start, start) for q in self.overlapping(start, end))

    def last_end(self, at: int) -> int:
        """The end of the last quotation that closes at or before ``at`` (-1 if none)."""
        k = bisect_right(self._ends, at) - 1
        return self._ends[k] if k >= 0 else -1


def _is_word(ch: str) -> bool:
    return bool(ch) and _WORDCHAR.match(ch) is not None


def _opens_straight(text: str, at: int, width: int) -> bool:
    before = text[at - 1] if at > 0 else " "
    after = text[at + width] if at + width < len(text) else " "
    return not _is_word(before) and not after.isspace()


def _closes_single(text: str, at: int) -> bool:
    after = text[at + 1] if at + 1 < len(text) else " "
    return not _is_word(after)


def quote_spans(article: Article) -> list[Quote]:
    """Every top-level quotation in ``article``, in order, paragraph rules applied."""
    text = article.text
    quotes: list[Quote] = []
    paragraphs = list(article.paragraphs)
    carry: tuple[int, str] | None = None  # an unclosed quote waiting for the next paragraph
    for number, paragraph in enumerate(paragraphs):
        open_at: int | None = None
        open_mark = ""
        close_mark = ""
        if carry is not None:
            first = _MARK.match(text, paragraph.start)
            if first is not None and first.group() in (carry[1], '"', "“", "«", "``", "‘"):
                open_at, open_mark = carry[0], carry[1]
                close_mark = _OPENERS.get(open_mark, open_mark)
                # skip the re-opening mark of the continued paragraph
                scan_from = first.end()
            else:
                prev = paragraphs[number - 1]
                quotes.append(Quote(carry[0], prev.end, carry[0] + len(carry[1]), prev.end))
                scan_from = paragraph.start
            carry = None
        else:
            scan_from = paragraph.start
        for match in _MARK.finditer(text, scan_from, paragraph.end):
            mark, at = match.group(), match.start()
            if open_at is None:
                if mark in ("'", "‘") and _ELISION.match(text, match.end()):
                    continue
                if mark in _OPENERS and (mark != "‘" or _opens_straight(text, at, 1)):
                    open_at, open_mark, close_mark = at, mark, _OPENERS[mark]
                elif mark in ('"', "'", "''") and _opens_straight(text, at, len(mark)):
                    open_at, open_mark, close_mark = at, mark, mark
                continue
            if (
                mark == close_mark
                or (close_mark == '"' and mark in ("”",))
                or (close_mark == "”" and mark == '"')
            ):
                if close_mark in ("'", "’") and not _closes_single(text, at):
                    continue  # an apostrophe inside the quotation (Russia's)
                end = match.end()
                quotes.append(Quote(open_at, end, open_at + len(open_mark), at))
                open_at = None
        if open_at is not None:
            is_last = number + 1 >= len(paragraphs)
            if open_mark in ("'", "‘") or is_last:
                if open_mark not in ("'", "‘"):
                    quotes.append(
                        Quote(open_at, paragraph.end, open_at + len(open_mark), paragraph.end)
                    )
            else:
                carry = (open_at, open_mark)
    return quotes

"""The data the pipeline passes around: frozen dataclasses over one article text.

Every span is a pair of character offsets into ``Article.text`` plus the text it
covers, so any row can be checked against the article it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Frame = Literal["cooperation", "blame", "nationalism", "neutral"]
Kind = Literal["direct", "indirect", "narration"]

FRAMES: tuple[Frame, ...] = ("cooperation", "blame", "nationalism", "neutral")
KINDS: tuple[Kind, ...] = ("direct", "indirect", "narration")


@dataclass(frozen=True, slots=True)
class Span:
    """Characters ``start:end`` of an article, with the text they cover."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class Article:
    """One news text exactly as read, with its headline and paragraph spans."""

    id: str
    text: str
    paragraphs: tuple[Span, ...] = ()
    title: Span | None = None
    meta: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    def span(self, start: int, end: int) -> Span:
        """The span ``start:end`` of this article; raises ValueError when out of bounds."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(
                f"span {start}-{end} is outside article {self.id!r} ({len(self.text)} chars)"
            )
        return Span(start, end, self.text[start:end])


@dataclass(frozen=True, slots=True)
class Statement:
    """One attributed statement: whole sentences, their kind, source and cue.

    ``speaker`` is the canonical entity (codebook §1); ``speaker_mention`` the words
    that name it in this statement; both are None for narration.
    """

    article_id: str
    index: int
    kind: Kind
    span: Span
    content: Span
    speaker: str | None = None
    speaker_mention: Span | None = None
    cue: Span | None = None

    def to_row(self) -> dict[str, object]:
        """The JSON row of ``stance extract`` (design.md, without frame fields)."""
        return {
            "article": self.article_id,
            "index": self.index,
            "kind": self.kind,
            "speaker": self.speaker,
            "speaker_mention": self.speaker_mention.to_dict() if self.speaker_mention else None,
            "cue": self.cue.to_dict() if self.cue else None,
            "span": self.span.to_dict(),
            "content": self.content.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class Framing:
    """A gold or predicted frame: one primary frame and any secondary ones."""

    primary: Frame
    secondary: tuple[Frame, ...] = ()


@dataclass(frozen=True, slots=True)
class FramePrediction:
    """The classifier's answer for one statement: frames plus a probability per frame."""

    primary: Frame
    secondary: tuple[Frame, ...]
    scores: dict[str, float]


@dataclass(frozen=True, slots=True)
class AnnotatedArticle:
    """An article with its gold statements and their framings (corpus, gold files)."""

    article: Article
    statements: tuple[Statement, ...]
    framings: tuple[Framing, ...]
    tags: tuple[tuple[str, ...], ...] = ()

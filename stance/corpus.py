"""The annotated corpus: reading, anchoring drafts, validating, counting, exporting.

Layout (design.md): ``articles/<id>.txt``, ``annotations/<id>.jsonl`` (one gold
statement per line, offsets into the .txt), ``splits.json``. Annotators may write
``drafts/<id>.jsonl`` with the statement texts only; :func:`anchor_drafts` finds
the offsets so nobody counts characters by hand.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from stance.articles import make_article
from stance.errors import CorpusError
from stance.types import FRAMES, KINDS, AnnotatedArticle, Article, Framing, Span, Statement

SPLITS = ("train", "dev", "test")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’»)]*\s+")
_WORD = re.compile(r"[\w'’-]+")


# ---------------------------------------------------------------- anchoring drafts


def _find_in(text: str, needle: str, lo: int, hi: int, nth: int = 1) -> int:
    pos = lo - 1
    for _ in range(max(nth, 1)):
        pos = text.find(needle, pos + 1, hi)
        if pos < 0:
            return -1
    return pos


def anchor_drafts(text: str, drafts: Sequence[dict], source: str = "") -> list[dict]:
    """Annotation rows with offsets, from draft rows that give statement texts in order.

    Each draft's ``text`` must start at the next non-space character after the previous
    statement; ``mention``/``cue``/``content`` are searched inside the statement
    (``mention_nth``/``cue_nth`` pick a later occurrence).
    """
    rows = []
    cursor = 0
    for number, draft in enumerate(drafts, start=1):
        body = draft.get("text") or ""
        skipped = len(text[cursor:]) - len(text[cursor:].lstrip())
        start = cursor + skipped
        if not body or not text.startswith(body, start):
            found = text.find(body, cursor) if body else -1
            hint = f"found later at {found}" if found >= 0 else "not found"
            raise CorpusError(
                source,
                f"statement text does not follow the previous one ({hint}): "
                f"{body[:60]!r}; copy it exactly from the article",
                line=number,
            )
        end = start + len(body)
        row: dict[str, object] = {"start": start, "end": end, "text": body}
        row["kind"] = draft.get("kind")
        row["speaker"] = draft.get("speaker")
        for key, nth_key in (("mention", "mention_nth"), ("cue", "cue_nth")):
            words = draft.get(key)
            if not words:
                row["speaker_mention" if key == "mention" else key] = None
                continue
            at = _find_in(text, words, start, end, int(draft.get(nth_key, 1)))
            if at < 0:
                raise CorpusError(
                    source, f"{key} {words!r} is not inside the statement text", line=number
                )
            span = {"start": at, "end": at + len(words), "text": words}
            row["speaker_mention" if key == "mention" else key] = span
        content = draft.get("content")
        if content:
            at = _find_in(text, content, start, end)
            if at < 0:
                raise CorpusError(
                    source, f"content {content[:40]!r} is not inside the statement", line=number
                )
            row["content"] = {"start": at, "end": at + len(content), "text": content}
        else:
            row["content"] = None
        row["frame"] = draft.get("frame")
        row["secondary"] = list(draft.get("secondary") or [])
        if draft.get("tags"):
            row["tags"] = list(draft["tags"])
        rows.append(row)
        cursor = end
    return rows


def anchor_directory(root: Path) -> list[CorpusError]:
    """Anchor every ``drafts/<id>.jsonl`` under ``root`` into ``annotations/<id>.jsonl``."""
    problems = []
    (root / "annotations").mkdir(exist_ok=True)
    for draft_path in sorted((root / "drafts").glob("*.jsonl")):
        article_path = root / "articles" / f"{draft_path.stem}.txt"
        try:
            if not article_path.exists():
                raise CorpusError(draft_path, f"no article {article_path.name}")
            text = article_path.read_text(encoding="utf-8")
            drafts = []
            for number, line in enumerate(draft_path.read_text(encoding="utf-8").splitlines(), 1):
                if line.strip():
                    try:
                        drafts.append(json.loads(line))
                    except json.JSONDecodeError as err:
                        raise CorpusError(
                            draft_path, f"malformed JSON ({err.msg})", line=number
                        ) from None
            rows = anchor_drafts(text, drafts, str(draft_path))
        except CorpusError as err:
            problems.append(err)
            continue
        out = root / "annotations" / f"{draft_path.stem}.jsonl"
        out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return problems


# ---------------------------------------------------------------- reading


def _span(article: Article, value: object, what: str, source: str, line: int) -> Span | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not {"start", "end"} <= value.keys():
        raise CorpusError(source, f"{what} must be null or {{start, end, text}}", line=line)
    start, end = value["start"], value["end"]
    if not (isinstance(start, int) and isinstance(end, int)):
        raise CorpusError(source, f"{what} offsets must be integers", line=line)
    try:
        span = article.span(start, end)
    except ValueError as err:
        raise CorpusError(source, f"{what}: {err}", line=line) from None
    if "text" in value and value["text"] != span.text:
        raise CorpusError(
            source,
            f"{what} {start}-{end} text {value['text'][:40]!r} does not match the "
            f"article ({span.text[:40]!r}); was the article edited?",
            line=line,
        )
    return span


def gold_statement(
    article: Article, row: dict, index: int, source: str, line: int
) -> tuple[Statement, Framing, tuple[str, ...]]:
    """One validated gold statement row (corpus annotation or interchange format)."""
    span = _span(
        article,
        {k: row.get(k) for k in ("start", "end", "text") if k in row},
        "statement",
        source,
        line,
    )
    assert span is not None
    kind = row.get("kind")
    if kind not in KINDS:
        raise CorpusError(source, f"kind {kind!r} is not one of {', '.join(KINDS)}", line=line)
    frame = row.get("frame")
    if frame not in FRAMES:
        raise CorpusError(source, f"frame {frame!r} is not one of {', '.join(FRAMES)}", line=line)
    secondary = row.get("secondary") or []
    if not isinstance(secondary, list) or any(
        s not in FRAMES or s == "neutral" or s == frame for s in secondary
    ):
        raise CorpusError(
            source,
            f"secondary {secondary!r} must list non-neutral frames other than the primary",
            line=line,
        )
    speaker = row.get("speaker")
    if kind == "narration" and speaker:
        raise CorpusError(source, "narration has no speaker; use kind indirect", line=line)
    if kind != "narration" and not (isinstance(speaker, str) and speaker.strip()):
        raise CorpusError(source, f"{kind} statement needs a speaker", line=line)
    mention = _span(article, row.get("speaker_mention"), "speaker_mention", source, line)
    cue = _span(article, row.get("cue"), "cue", source, line)
    content = _span(article, row.get("content"), "content", source, line) or span
    for what, inner in (("speaker_mention", mention), ("cue", cue), ("content", content)):
        if inner is not None and not (span.start <= inner.start and inner.end <= span.end):
            raise CorpusError(source, f"{what} lies outside its statement", line=line)
    statement = Statement(
        article_id=article.id,
        index=index,
        kind=kind,
        span=span,
        content=content,
        speaker=speaker or None,
        speaker_mention=mention,
        cue=cue,
    )
    tags = tuple(str(t) for t in row.get("tags") or ())
    return statement, Framing(frame, tuple(secondary)), tags


def _tiling_problems(article: Article, statements: Sequence[Statement]) -> list[str]:
    problems = []
    cursor = 0
    for st in statements:
        if st.span.start < cursor:
            problems.append(
                f"statement {st.index + 1} at {st.span.start} overlaps the previous one"
            )
        elif article.text[cursor : st.span.start].strip():
            gap = article.text[cursor : st.span.start].strip()
            problems.append(
                f"text before statement {st.index + 1} belongs to no statement: {gap[:50]!r}"
            )
        if st.span.text != st.span.text.strip():
            problems.append(f"statement {st.index + 1} starts or ends with whitespace")
        cursor = max(cursor, st.span.end)
    if article.text[cursor:].strip():
        problems.append(
            f"text after the last statement belongs to none: {article.text[cursor:].strip()[:50]!r}"
        )
    return problems


def read_annotated(article: Article, rows: Iterable[dict], source: str) -> AnnotatedArticle:
    """Validate ``rows`` against ``article``; raises CorpusError on the first problem."""
    statements, framings, tags = [], [], []
    for index, row in enumerate(rows):
        line = index + 1
        statement, framing, tag = gold_statement(article, row, index, source, line)
        statements.append(statement)
        framings.append(framing)
        tags.append(tag)
    problems = _tiling_problems(article, statements)
    if problems:
        raise CorpusError(source, problems[0])
    return AnnotatedArticle(article, tuple(statements), tuple(framings), tuple(tags))


def _read_rows(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise CorpusError(path, f"malformed JSON ({err.msg})", line=number) from None
        if not isinstance(row, dict):
            raise CorpusError(path, "line is not a JSON object", line=number)
        rows.append(row)
    return rows


def read_splits(root: Path) -> dict[str, list[str]]:
    """``splits.json``: ``{"train": [ids], "dev": [ids], "test": [ids]}``."""
    path = root / "splits.json"
    try:
        splits = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CorpusError(path, "missing; assign every article to train/dev/test") from None
    except json.JSONDecodeError as err:
        raise CorpusError(path, f"malformed JSON ({err.msg})") from None
    return {name: list(splits.get(name, [])) for name in SPLITS}


def load_article(root: Path, article_id: str) -> AnnotatedArticle:
    """One corpus article with its validated annotations."""
    path = root / "annotations" / f"{article_id}.jsonl"
    try:
        text = (root / "articles" / f"{article_id}.txt").read_text(encoding="utf-8")
        rows = _read_rows(path)
    except FileNotFoundError as err:
        raise CorpusError(err.filename, "missing; every article needs its annotations") from None
    except UnicodeDecodeError as err:
        raise CorpusError(root / article_id, f"not UTF-8 at byte {err.start}") from None
    return read_annotated(make_article(article_id, text), rows, str(path))


def load_corpus(root: str | Path, *, split: str | None = None) -> list[AnnotatedArticle]:
    """Every article of the corpus at ``root`` (or of one split), validated, sorted by id."""
    root = Path(root)
    if split is None:
        ids = sorted(p.stem for p in (root / "articles").glob("*.txt"))
    else:
        if split not in SPLITS:
            raise CorpusError(root, f"unknown split {split!r}; use one of {', '.join(SPLITS)}")
        ids = sorted(read_splits(root)[split])
    if not ids:
        raise CorpusError(root, "no articles found (expected articles/<id>.txt)")
    return [load_article(root, i) for i in ids]


def read_gold(path: str | Path) -> list[AnnotatedArticle]:
    """Articles of a gold interchange JSONL file (design.md), validated."""
    path = Path(path)
    out = []
    for number, row in enumerate(_read_rows(path), start=1):
        text = row.get("text")
        if not isinstance(text, str):
            raise CorpusError(path, 'record has no "text"', line=number)
        article = make_article(str(row.get("id") or f"{path.stem}:{number}"), text)
        statements = row.get("statements")
        if not isinstance(statements, list):
            raise CorpusError(path, 'record has no "statements" list', line=number)
        out.append(read_annotated(article, statements, f"{path}:{number}"))
    return out


def load_gold(path: str | Path, *, split: str | None = None) -> list[AnnotatedArticle]:
    """A corpus directory (optionally one split) or an interchange JSONL file."""
    path = Path(path)
    if path.is_dir():
        return load_corpus(path, split=split)
    if not path.exists():
        raise CorpusError(path, "no such file or directory")
    if split is not None:
        raise CorpusError(
            path,
            f"--split {split} needs a corpus directory with splits.json; "
            "an interchange file is evaluated whole",
        )
    return read_gold(path)


# ---------------------------------------------------------------- checking


def sentence_keys(text: str) -> list[str]:
    """Sentences of ``text``, whitespace- and case-folded, for duplicate detection."""
    return [" ".join(s.split()).casefold() for s in _SENTENCE_END.split(text) if s.strip()]


def check_corpus(root: str | Path, *, splits: bool = True) -> list[str]:
    """Every problem in the corpus at ``root``, one line each naming file and line."""
    root = Path(root)
    problems: list[str] = []
    article_ids = sorted(p.stem for p in (root / "articles").glob("*.txt"))
    annotation_ids = sorted(p.stem for p in (root / "annotations").glob("*.jsonl"))
    if not article_ids:
        problems.append(f"{root / 'articles'}: no articles (<id>.txt) found")
    for missing in sorted(set(article_ids) - set(annotation_ids)):
        problems.append(f"{root / 'annotations' / (missing + '.jsonl')}: missing annotations")
    for orphan in sorted(set(annotation_ids) - set(article_ids)):
        problems.append(f"{root / 'annotations' / (orphan + '.jsonl')}: no article {orphan}.txt")
    loaded: dict[str, AnnotatedArticle] = {}
    for article_id in sorted(set(article_ids) & set(annotation_ids)):
        try:
            loaded[article_id] = load_article(root, article_id)
        except CorpusError as err:
            problems.append(str(err))
        except UnicodeDecodeError as err:
            problems.append(f"{root}/{article_id}: not UTF-8 at byte {err.start}")
    if not splits:
        return problems
    try:
        split_ids = read_splits(root)
    except CorpusError as err:
        return [*problems, str(err)]
    seen: dict[str, str] = {}
    for name, ids in split_ids.items():
        for article_id in ids:
            if article_id in seen:
                problems.append(
                    f"{root / 'splits.json'}: {article_id} is in both {seen[article_id]} and {name}"
                )
            seen[article_id] = name
            if article_id not in article_ids:
                problems.append(f"{root / 'splits.json'}: {article_id} ({name}) has no article")
    for article_id in article_ids:
        if article_id not in seen:
            problems.append(f"{root / 'splits.json'}: {article_id} is in no split")
    owner: dict[str, tuple[str, str]] = {}
    for article_id, annotated in loaded.items():
        split = seen.get(article_id)
        if split is None:
            continue
        for statement in annotated.statements:
            for key in sentence_keys(statement.span.text):
                if len(key) < 25:
                    continue  # short formulae ("by Staff Reporter") may recur legitimately
                first = owner.setdefault(key, (split, article_id))
                if first[0] != split:
                    problems.append(
                        f"{root / 'annotations' / (article_id + '.jsonl')}:{statement.index + 1}: "
                        f"sentence also in {first[0]} article {first[1]}: {key[:50]!r}"
                    )
    return problems


# ---------------------------------------------------------------- stats and export


def _opening(text: str) -> str:
    return " ".join(w.casefold() for w in _WORD.findall(text)[:4])


def corpus_stats(
    articles: Sequence[AnnotatedArticle],
    splits: dict[str, list[str]] | None = None,
    regions: dict[str, str] | None = None,
) -> dict[str, object]:
    """Counts by frame, kind, split, speaker, region and tag, plus repeated openings."""
    frames: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    speakers: Counter[str] = Counter()
    tags: Counter[str] = Counter()
    region_counts: Counter[str] = Counter()
    openings: Counter[str] = Counter()
    by_split: dict[str, Counter[str]] = {}
    split_of = {i: name for name, ids in (splits or {}).items() for i in ids}
    for annotated in articles:
        region = _region(annotated.article.id, regions or {})
        region_counts[region] += 1
        split = split_of.get(annotated.article.id, "unassigned")
        split_counter = by_split.setdefault(split, Counter())
        split_counter["articles"] += 1
        for statement, framing, tag in zip(
            annotated.statements,
            annotated.framings,
            annotated.tags or [()] * len(annotated.statements),
            strict=True,
        ):
            frames[framing.primary] += 1
            kinds[statement.kind] += 1
            split_counter["statements"] += 1
            split_counter[framing.primary] += 1
            if statement.speaker:
                speakers[statement.speaker] += 1
            tags.update(tag)
            openings[_opening(statement.span.text)] += 1
    total = sum(frames.values())
    repeated = sum(n for n in openings.values() if n > 1)
    return {
        "articles": len(articles),
        "statements": total,
        "frames": dict(frames.most_common()),
        "frame_shares": {f: round(frames[f] / total, 3) if total else 0 for f in FRAMES},
        "kinds": dict(kinds.most_common()),
        "kind_shares": {k: round(kinds[k] / total, 3) if total else 0 for k in KINDS},
        "splits": {k: dict(v) for k, v in sorted(by_split.items())},
        "distinct_speakers": len(speakers),
        "top_speakers": dict(speakers.most_common(20)),
        "regions": dict(region_counts.most_common()),
        "tags": dict(tags.most_common()),
        "repeated_opening_share": round(repeated / total, 3) if total else 0,
        "most_repeated_openings": {k: v for k, v in openings.most_common(10) if v > 1},
    }


def _region(article_id: str, regions: dict[str, str]) -> str:
    for prefix, region in regions.items():
        if article_id.startswith(prefix):
            return region
    return "other"


def read_regions(root: Path) -> dict[str, str]:
    """``regions.json``: article-id prefix -> region name (optional)."""
    path = root / "regions.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def gold_record(annotated: AnnotatedArticle) -> dict[str, object]:
    """One article in the gold interchange format of design.md."""
    article = annotated.article
    statements = []
    for statement, framing in zip(annotated.statements, annotated.framings, strict=True):
        row = {
            "start": statement.span.start,
            "end": statement.span.end,
            "text": statement.span.text,
            "kind": statement.kind,
            "speaker": statement.speaker,
            "speaker_mention": statement.speaker_mention.to_dict()
            if statement.speaker_mention
            else None,
            "cue": statement.cue.to_dict() if statement.cue else None,
            "content": statement.content.to_dict(),
            "frame": framing.primary,
            "secondary": list(framing.secondary),
        }
        statements.append(row)
    return {
        "id": article.id,
        "title": article.title.text if article.title else None,
        "text": article.text,
        "statements": statements,
    }


def export_records(articles: Iterable[AnnotatedArticle]) -> Iterator[dict[str, object]]:
    """The interchange records of ``articles``, in order."""
    for annotated in articles:
        yield gold_record(annotated)


def corpus_digest(root: str | Path) -> str:
    """sha256 over every article and annotation file, to pin a model to its data."""
    root = Path(root)
    digest = hashlib.sha256()
    for sub in ("articles", "annotations"):
        for path in sorted((root / sub).glob("*")):
            digest.update(f"{sub}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    split_path = root / "splits.json"
    if split_path.exists():
        digest.update(split_path.read_bytes())
    return digest.hexdigest()

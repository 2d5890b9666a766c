"""Reading inputs: decoding files, and finding an article's headline and paragraphs.

Every input becomes either an :class:`Article` or an :class:`InputError` that names
the file (and line) and says how to fix it, so a batch never stops on one bad input.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from stance.errors import InputError
from stance.types import Article, Span

DEFAULT_MAX_BYTES = 5_000_000

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_NON_SPACE = re.compile(r"\S")


def paragraph_spans(text: str) -> list[Span]:
    """Blocks of text separated by blank lines, trimmed of surrounding whitespace."""
    spans = []
    start = 0
    for match in [*_BLANK_LINE.finditer(text), None]:
        end = match.start() if match else len(text)
        block = text[start:end]
        first = _NON_SPACE.search(block)
        if first:
            s = start + first.start()
            e = start + len(block.rstrip())
            spans.append(Span(s, e, text[s:e]))
        if match:
            start = match.end()
    return spans


def make_article(article_id: str, text: str, **meta: object) -> Article:
    """An Article over ``text``: paragraphs, and the first line as title when it stands alone."""
    paragraphs = tuple(paragraph_spans(text))
    title = None
    if paragraphs:
        first = paragraphs[0]
        newline = first.text.find("\n")
        line = first.text if newline < 0 else first.text[:newline]
        has_more = newline >= 0 or len(paragraphs) > 1
        if has_more and len(line) <= 200:
            title = Span(first.start, first.start + len(line.rstrip()), line.rstrip())
    return Article(id=article_id, text=text, paragraphs=paragraphs, title=title, meta=meta)


def decode(data: bytes, source: str | Path, *, encoding: str = "utf-8") -> str:
    """Bytes to text; binary or mis-encoded data raises InputError saying where and why."""
    if b"\x00" in data[:8192]:
        raise InputError(source, "looks like a binary file (NUL bytes); give a text file")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        raise InputError(
            source,
            f"not valid {encoding} at byte {err.start}; "
            "re-save as UTF-8 or pass --encoding (e.g. --encoding latin-1)",
        ) from None
    except LookupError:
        raise InputError(source, f"unknown encoding {encoding!r}") from None
    return text.removeprefix("\ufeff")


def checked_text(text: object, source: str | Path, *, line: int | None = None) -> str:
    """The text itself when it is a non-empty string, else an InputError."""
    if not isinstance(text, str):
        raise InputError(source, 'record has no "text" string field', line=line)
    if not text.strip():
        raise InputError(source, "text is empty or whitespace only", line=line)
    return text


def read_article(
    path: str | Path, *, encoding: str = "utf-8", max_bytes: int = DEFAULT_MAX_BYTES
) -> Article:
    """Read one ``.txt`` file as an Article whose id is the file name without extension.

    Raises
    ------
    InputError
        When the file is missing, empty, binary, too large or not decodable.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                path, f"file is {size:,} bytes, over the {max_bytes:,} limit; raise --max-bytes"
            )
        data = path.read_bytes()
    except OSError as err:
        raise InputError(path, f"cannot read: {err.strerror or err}") from None
    text = checked_text(decode(data, path, encoding=encoding), path)
    return make_article(path.stem, text)


Record = Article | InputError


def _jsonl_records(
    path: Path,
    stream: Iterable[bytes],
    *,
    id_field: str,
    text_field: str,
    encoding: str,
    max_bytes: int,
) -> Iterator[Record]:
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        where = f"{path}:{number}"
        try:
            if len(raw) > max_bytes:
                raise InputError(path, f"line is over the {max_bytes:,} byte limit", line=number)
            line = decode(raw, where, encoding=encoding)
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise InputError(path, f"malformed JSON ({err.msg})", line=number) from None
            if not isinstance(record, dict):
                raise InputError(path, "line is not a JSON object", line=number)
            text = checked_text(record.get(text_field), path, line=number)
            article_id = str(record.get(id_field) or f"{path.stem}:{number}")
            meta = {k: v for k, v in record.items() if k not in (id_field, text_field)}
            yield make_article(article_id, text, **meta)
        except InputError as err:
            yield err


def _csv_records(
    path: Path, *, id_column: str, text_column: str, encoding: str, max_bytes: int
) -> Iterator[Record]:
    try:
        data = path.read_bytes()
        content = decode(data, path, encoding=encoding)
    except OSError as err:
        yield InputError(path, f"cannot read: {err.strerror or err}")
        return
    except InputError as err:
        yield err
        return
    reader = csv.DictReader(io.StringIO(content, newline=""))
    if reader.fieldnames is None or text_column not in reader.fieldnames:
        yield InputError(
            path, f"no column {text_column!r} (columns: {reader.fieldnames}); use --text-column"
        )
        return
    for record in reader:
        number = reader.line_num  # the line the row ends on (quoted fields may span lines)
        try:
            text = checked_text(record.get(text_column), path, line=number)
            if len(text.encode()) > max_bytes:
                raise InputError(path, f"text is over the {max_bytes:,} byte limit", line=number)
            article_id = str(record.get(id_column) or f"{path.stem}:{number}")
            meta = {k: v for k, v in record.items() if k not in (id_column, text_column)}
            yield make_article(article_id, text, **meta)
        except InputError as err:
            yield err


def expand_inputs(inputs: Iterable[str | Path]) -> Iterator[str | Path]:
    """Directories become their readable files (sorted); globs their matches; others as given."""
    for item in inputs:
        if str(item) == "-":
            yield "-"
            continue
        path = Path(item)
        if path.is_dir():
            files = [p for p in sorted(path.iterdir()) if p.suffix in (".txt", ".jsonl", ".csv")]
            yield from files
        elif not path.exists() and any(ch in str(item) for ch in "*?["):
            yield from (
                sorted(Path().glob(str(item)))
                if not path.is_absolute()
                else sorted(Path(path.anchor).glob(str(path.relative_to(path.anchor))))
            )
        else:
            yield path


def iter_records(
    inputs: Iterable[str | Path],
    *,
    encoding: str = "utf-8",
    max_bytes: int = DEFAULT_MAX_BYTES,
    id_column: str = "id",
    text_column: str = "text",
) -> Iterator[Record]:
    """Every article of every input, in order, or an InputError in its place.

    ``.jsonl`` files give one article per line (``id``/``text`` fields, others kept as
    ``meta``), ``.csv`` one per row, ``-`` reads stdin as one article, anything else
    is read as one text file.
    """
    for item in expand_inputs(inputs):
        if item == "-":
            try:
                data = sys.stdin.buffer.read(max_bytes + 1)
                if len(data) > max_bytes:
                    sys.stdin.buffer.read()  # drain, so the writer upstream is not blocked
                    raise InputError(
                        "<stdin>", f"input is over the {max_bytes:,} byte limit; raise --max-bytes"
                    )
                text = checked_text(decode(data, "<stdin>", encoding=encoding), "<stdin>")
                yield make_article("stdin", text)
            except InputError as err:
                yield err
            continue
        path = Path(item)
        if path.suffix == ".jsonl":
            try:
                with path.open("rb") as stream:
                    yield from _jsonl_records(
                        path,
                        stream,
                        id_field=id_column,
                        text_field=text_column,
                        encoding=encoding,
                        max_bytes=max_bytes,
                    )
            except OSError as err:
                yield InputError(path, f"cannot read: {err.strerror or err}")
        elif path.suffix == ".csv":
            yield from _csv_records(
                path,
                id_column=id_column,
                text_column=text_column,
                encoding=encoding,
                max_bytes=max_bytes,
            )
        else:
            try:
                yield read_article(path, encoding=encoding, max_bytes=max_bytes)
            except InputError as err:
                yield err

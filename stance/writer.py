"""Writing rows: JSON lines or CSV, to stdout or atomically to a file, resumable.

A file is written as ``OUT.partial`` and renamed to ``OUT`` when the run ends. If
the run is interrupted, the partial file is cut back to the last complete article
and renamed, so ``OUT`` never holds half an article. ``--resume`` keeps the
articles already complete (all but the last one found, which is redone to be
safe) and appends the rest, giving exactly the rows of an uninterrupted run.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from stance.errors import StanceError
from stance.types import FRAMES


class OutputError(StanceError):
    """The output file cannot be written where asked."""


Row = dict[str, Any]
NESTED_FIELDS = frozenset({"span", "scores"})
CSV_COLUMNS = [
    "article",
    "index",
    "kind",
    "speaker",
    "speaker_mention",
    "cue",
    "start",
    "end",
    "text",
    "content",
    "frame",
    "secondary",
    *(f"score_{f}" for f in FRAMES),
    "model",
    "error",
]


def encode_jsonl(rows: Iterable[Row]) -> str:
    """Rows as JSON lines (UTF-8 text, one object per line)."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def flat_row(row: Row) -> dict[str, Any]:
    """A row with its spans and scores flattened into CSV columns."""
    out: dict[str, Any] = {
        k: v
        for k, v in row.items()
        if k not in ("span", "content", "speaker_mention", "cue", "scores", "secondary")
    }
    span = row.get("span") or {}
    out["start"], out["end"], out["text"] = span.get("start"), span.get("end"), span.get("text")
    out["content"] = (row.get("content") or {}).get("text")
    out["speaker_mention"] = (row.get("speaker_mention") or {}).get("text")
    out["cue"] = (row.get("cue") or {}).get("text")
    if "secondary" in row:
        out["secondary"] = ";".join(row["secondary"])
    for frame, value in (row.get("scores") or {}).items():
        out[f"score_{frame}"] = value
    return out


def starts_record(row: Row, previous: Row | None) -> bool:
    """Does ``row`` start a new record (article or error) after ``previous``?"""
    if previous is None or "error" in row or "error" in previous:
        return True
    return row.get("article") != previous.get("article") or row.get("index") == 0


def completed_records(path: Path, fmt: str = "jsonl") -> tuple[int, int]:
    """(bytes to keep, records they hold) of a previous run's output, dropping the last
    record found (it may be incomplete) and any torn line."""
    if not path.exists():
        return 0, 0
    boundaries: list[int] = []  # byte offset where each record starts
    previous: Row | None = None
    for offset, row in _csv_rows(path) if fmt == "csv" else _jsonl_rows(path):
        if starts_record(row, previous):
            boundaries.append(offset)
        previous = row
    if len(boundaries) <= 1:
        return (0, 0)
    return boundaries[-1], len(boundaries) - 1


def _jsonl_rows(path: Path) -> Iterator[tuple[int, Row]]:
    """(byte offset, row) of each complete JSON line; stops at a torn or bad line."""
    offset = 0
    with path.open("rb") as stream:
        for raw in stream:
            if not raw.endswith(b"\n"):
                return
            try:
                row = json.loads(raw)
            except ValueError:
                return
            yield offset, row
            offset += len(raw)


def _csv_rows(path: Path) -> Iterator[tuple[int, Row]]:
    """(byte offset, row) of each complete CSV record, quoted newlines included."""
    ends = [0]  # byte offset after each physical line

    def lines() -> Iterator[str]:
        with path.open("rb") as stream:
            for raw in stream:
                if not raw.endswith(b"\n"):
                    return
                ends.append(ends[-1] + len(raw))
                yield raw.decode("utf-8")

    reader = csv.reader(lines())
    header = next(reader, None)
    if header is None:
        return
    start_line = reader.line_num
    for values in reader:
        row: Row = dict(zip(header, values, strict=False))
        try:
            row["index"] = int(row["index"]) if row.get("index") else None
        except ValueError:
            return
        if not row.get("error"):
            row.pop("error", None)
        yield ends[start_line], row
        start_line = reader.line_num


class RowWriter:
    """Streams rows to stdout or to a file (atomically, resumable)."""

    def __init__(
        self,
        output: Path | None,
        *,
        fmt: str = "jsonl",
        resume: bool = False,
        columns: Iterable[str] = (),
    ) -> None:
        self.output = Path(output) if output is not None else None
        self.fmt = fmt
        self.columns = [*CSV_COLUMNS, *[c for c in columns if c not in CSV_COLUMNS]]
        self.skip = 0
        self._csv: Any = None
        self._header_written = False
        if self.output is None:
            self.stream: IO[str] = sys.stdout
            self.partial: Path | None = None
            return
        if not self.output.parent.is_dir():
            raise OutputError(f"{self.output}: the directory {self.output.parent} does not exist")
        self.partial = self.output.with_name(self.output.name + ".partial")
        source = self.partial if self.partial.exists() else self.output
        keep = 0
        if resume:
            keep, self.skip = completed_records(source, fmt)
        if keep and source != self.partial:
            with source.open("rb") as old, self.partial.open("wb") as new:
                new.write(old.read(keep))
        elif keep:
            with self.partial.open("r+b") as new:
                new.truncate(keep)
        else:
            self.partial.write_bytes(b"")
        self._header_written = fmt == "csv" and keep > 0
        if self._header_written:
            with source.open(encoding="utf-8", newline="") as previous:
                self.columns = next(csv.reader(previous), self.columns)
        self.stream = self.partial.open("a", encoding="utf-8", newline="")
        self._good = self.stream.tell()

    def write_record(self, rows: list[Row]) -> None:
        """Write all rows of one record (article or error) and mark the record complete."""
        if self.fmt == "csv":
            if not self._header_written:
                # the first record's extra fields (outlet, date, url) become columns too
                extra = [
                    k
                    for row in rows
                    for k in row
                    if k not in self.columns and k not in NESTED_FIELDS
                ]
                self.columns += list(dict.fromkeys(extra))
            buffer = io.StringIO()
            writer = csv.DictWriter(
                buffer, fieldnames=self.columns, extrasaction="ignore", lineterminator="\n"
            )
            if not self._header_written:
                writer.writeheader()
                self._header_written = True
            for row in rows:
                writer.writerow(flat_row(row))
            self.stream.write(buffer.getvalue())
        else:
            self.stream.write(encode_jsonl(rows))
        self._mark_complete()

    def write_text(self, text: str) -> None:
        """Write one record already encoded as JSON lines and mark it complete."""
        if self.fmt != "jsonl":
            raise ValueError("write_text takes JSON lines; use write_record for CSV")
        self.stream.write(text)
        self._mark_complete()

    def _mark_complete(self) -> None:
        if self.partial is not None:
            self._good = self.stream.tell()

    def close(self, *, complete: bool = True) -> None:
        """Finish: rename the partial file into place (cut to whole records if interrupted)."""
        if self.partial is None:
            self.stream.flush()
            return
        self.stream.flush()
        if not complete:
            self.stream.truncate(self._good)
        empty = self.stream.tell() == 0
        self.stream.close()
        assert self.output is not None
        if empty and not complete and not self.output.exists():
            self.partial.unlink()  # a run that failed before any row leaves no file behind
            return
        os.replace(self.partial, self.output)


def write_jsonl(rows: Iterable[Row], output: Path | None) -> int:
    """Write rows as JSON lines to ``output`` (atomically) or stdout; returns the count."""
    writer = RowWriter(output)
    count = 0
    try:
        for row in rows:
            writer.write_record([row])
            count += 1
    except BaseException:
        writer.close(complete=False)
        raise
    writer.close()
    return count

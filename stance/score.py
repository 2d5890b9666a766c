"""Articles to rows: the ordered stream of statement rows (or error rows) for many inputs."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from stance.articles import DEFAULT_MAX_BYTES, iter_records
from stance.attribution import extract_statements
from stance.errors import InputError


def error_row(err: InputError) -> dict[str, object]:
    """The one row an input that cannot be processed yields."""
    where = f"{err.source}:{err.line}" if err.line is not None else err.source
    return {"article": where, "error": str(err)}


def extract_paths(
    paths: Iterable[str | Path], *, encoding: str = "utf-8", max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[dict[str, object]]:
    """Statement rows (without frames) for every article of ``paths``, in input order."""
    for record in iter_records(paths, encoding=encoding, max_bytes=max_bytes):
        if isinstance(record, InputError):
            yield error_row(record)
            continue
        for statement in extract_statements(record):
            yield statement.to_row()


def write_jsonl(rows: Iterable[dict[str, object]], output: Path | None, *,
                append: bool = False) -> int:
    """Write rows as JSON lines to ``output`` or stdout; returns how many were written.

    A file is written through a temporary file renamed at the end, so an
    interrupted run never leaves a half-written line behind.
    """
    count = 0
    if output is None:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
        sys.stdout.flush()
        return count
    output = Path(output)
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent or Path("."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            if append and output.exists():
                with output.open(encoding="utf-8") as previous:
                    for line in previous:
                        out.write(line)
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count

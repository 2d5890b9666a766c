"""Frame counts and shares per speaker (article, outlet, date): the table for a paper."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stance.errors import InputError
from stance.types import FRAMES

KEYS = ("speaker", "article", "outlet", "date")


def read_scored(paths: Iterable[str | Path]) -> Iterator[dict[str, Any]]:
    """Rows of scored JSONL files; error rows and malformed lines are skipped (counted)."""
    for path in paths:
        path = Path(path)
        try:
            stream = path.open(encoding="utf-8")
        except OSError as err:
            raise InputError(path, f"cannot read: {err.strerror or err}") from None
        with stream:
            for number, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    row = {"error": f"{path}:{number}: malformed JSON line"}
                yield row if isinstance(row, dict) else {"error": f"{path}:{number}: not a row"}


@dataclass
class FrameTable:
    """Frame counts per key value, with totals."""

    key: str
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    skipped: int = 0

    def add(self, row: dict[str, Any]) -> None:
        frame = row.get("frame")
        if "error" in row or frame not in FRAMES:
            self.skipped += 1
            return
        value = row.get(self.key)
        if self.key == "date" and isinstance(value, str):
            value = value[:10]
        name = str(value) if value not in (None, "") else "(none)"
        self.counts.setdefault(name, Counter())[frame] += 1

    def rows(self) -> list[dict[str, Any]]:
        """One dict per key value (most statements first), then the total."""
        out = []
        total: Counter[str] = Counter()
        ordered = sorted(self.counts.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
        if self.key == "date":
            ordered = sorted(self.counts.items())
        for name, counter in ordered:
            total.update(counter)
            out.append(self._row(name, counter))
        out.append(self._row("TOTAL", total))
        return out

    def _row(self, name: str, counter: Counter[str]) -> dict[str, Any]:
        n = sum(counter.values())
        row: dict[str, Any] = {self.key: name, "statements": n}
        for frame in FRAMES:
            row[frame] = counter.get(frame, 0)
        for frame in FRAMES:
            row[f"{frame}_share"] = round(counter.get(frame, 0) / n, 3) if n else 0.0
        return row


def summarize(paths: Iterable[str | Path], *, by: str = "speaker") -> FrameTable:
    """Frame counts per ``by`` (speaker, article, outlet or date) over scored files.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "scored.jsonl"
    >>> _ = path.write_text("\\n".join(json.dumps(r) for r in [
    ...     {"speaker": "A", "frame": "blame"}, {"speaker": "A", "frame": "neutral"}]))
    >>> summarize([path]).rows()[0]["blame_share"]
    0.5
    """
    if by not in KEYS:
        raise ValueError(f"by must be one of {', '.join(KEYS)}")
    table = FrameTable(by)
    for row in read_scored(paths):
        table.add(row)
    return table


def format_table(rows: list[dict[str, Any]], key: str) -> str:
    """A fixed-width text table of summary rows."""
    width = max([len(key), *(len(str(r[key])) for r in rows)])
    width = min(width, 40)
    header = f"{key:<{width}} {'n':>6} " + " ".join(f"{f[:11]:>14}" for f in FRAMES)
    lines = [header, "-" * len(header)]
    for r in rows:
        cells = " ".join(f"{r[f]:>6} ({r[f + '_share']:>5.1%})" for f in FRAMES)
        lines.append(f"{str(r[key])[:width]:<{width}} {r['statements']:>6} {cells}")
    return "\n".join(lines)

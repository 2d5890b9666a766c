"""One self-contained HTML report of scored rows: charts, a sortable table, highlighted articles.

The page needs nothing but itself: the CSS and a small sorting script are inline, the
charts are matplotlib SVG drawn here and pasted into the page, and a Content Security
Policy forbids the page from loading anything. It opens from disk, offline.

Sections: an overview (counts; frames per speaker; frames per outlet and over time when
the rows carry ``outlet`` or ``date``), the speaker x frame table, every article in full
with its statements highlighted in the colour of their frame, and the inputs that could
not be scored (error rows).
"""

from __future__ import annotations

import bisect
import html
import io
import logging
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from stance.articles import make_article, paragraph_spans
from stance.summary import FrameTable
from stance.types import FRAMES, Article

log = logging.getLogger(__name__)

Row = dict[str, Any]

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies; every
# use on the page also carries the frame's name, so colour is never the only cue.
FRAME_COLOURS: dict[str, str] = {
    "cooperation": "#009E73",
    "blame": "#D55E00",
    "nationalism": "#0072B2",
    "neutral": "#999999",
}
# text drawn on a full-colour badge: the one of black/white with the better contrast
_ON_COLOUR = {"cooperation": "#000", "blame": "#000", "nationalism": "#fff", "neutral": "#000"}
UNSCORED = "unscored"
UNSCORED_COLOUR = "#cccccc"
TOP_BARS = 20
LONG_GAP = 2  # rebuilt text: a gap of this many characters or more becomes a paragraph break
OPEN_ARTICLES = 10  # with more articles than this, each starts folded (<details>)
NO_SPEAKER = "(no speaker: narration)"
TALL_TABLE = 25  # with more speakers, the table scrolls in its own box under a fixed header


# ---------------------------------------------------------------- entry points


def write_report(
    rows: Iterable[Row], output: str | Path, *, articles: Mapping[str, Article] | None = None
) -> Path:
    """Write the HTML report of scored ``rows`` to ``output`` (atomically) and return its path.

    Parameters
    ----------
    rows
        Output rows of ``stance score`` (design.md), error rows included.
    output
        The HTML file to write; its folder must exist.
    articles
        The articles the rows came from, by id: their texts are shown exactly. Without
        them each text is rebuilt from its rows (see :func:`render_report`).

    Returns
    -------
    Path
        ``output``.

    Raises
    ------
    OSError
        When the file cannot be written.
    """
    output = Path(output)
    page = render_report(rows, articles=articles)
    tmp = output.with_name(f".{output.name}.{os.getpid()}.tmp")  # same folder: atomic
    try:
        tmp.write_text(page, encoding="utf-8", newline="\n")
        os.replace(tmp, output)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return output


def render_report(rows: Iterable[Row], articles: Mapping[str, Article] | None = None) -> str:
    """The report of scored ``rows`` as one HTML document (a string).

    Each article's text is ``articles[id].text`` exactly when ``articles`` has it.
    Otherwise it is rebuilt from the article's rows: every statement's span text at its
    offsets, and between two spans a space when the gap is one character, nothing when
    there is none, and a paragraph break when the gap is two characters or more (the
    blank line that separates paragraphs; a double space after a full stop is read as
    a paragraph break too). Text no statement covers is unknown and left out.

    Odd rows are tolerated: a missing speaker counts as narration, a missing or unknown
    frame as "unscored", a missing or inconsistent span leaves the statement out of the
    text (it is still counted). Rows that are not dicts are ignored.

    Examples
    --------
    >>> page = render_report([{"article": "a", "index": 0, "kind": "indirect",
    ...     "speaker": "The minister", "span": {"start": 0, "end": 18,
    ...     "text": "The minister said."}, "frame": "neutral"}])
    >>> page.startswith("<!doctype html>") and "The minister" in page
    True
    """
    data = _ReportData.collect(rows, articles or {})
    body = [
        _header_html(data),
        '<main id="main" class="wrap">',
        _overview_html(data),
        _speaker_table_html(data),
        _articles_html(data),
        _errors_html(data),
        "</main>",
        _FOOTER,
    ]
    return _PAGE.format(
        title=html.escape(_page_title(data)), css=_css(), body="\n".join(body), script=_SCRIPT
    )


# ---------------------------------------------------------------- the rows, sorted out


@dataclass
class _ReportData:
    """The rows grouped for the page: statements by article, errors, counts."""

    statements: list[Row]
    errors: list[Row]
    by_article: dict[str, list[Row]]
    articles: Mapping[str, Article]

    @classmethod
    def collect(cls, rows: Iterable[Row], articles: Mapping[str, Article]) -> _ReportData:
        statements: list[Row] = []
        errors: list[Row] = []
        by_article: dict[str, list[Row]] = {}
        for row in rows:
            if not isinstance(row, dict):
                continue
            if "error" in row:
                errors.append(row)
                continue
            statements.append(row)
            by_article.setdefault(_text(row.get("article")) or "(unknown)", []).append(row)
        for article_id in articles:  # articles given without any row are still shown
            by_article.setdefault(article_id, [])
        return cls(statements, errors, by_article, articles)

    def speakers(self) -> Counter[str]:
        return Counter(s for s in (_speaker(r) for r in self.statements) if s)

    def frames(self) -> Counter[str]:
        return Counter(_frame(r) for r in self.statements)

    def models(self) -> list[str]:
        return sorted({m for m in (_text(r.get("model")) for r in self.statements) if m})

    def has(self, key: str) -> bool:
        return any(_text(r.get(key)) for r in self.statements)


def _text(value: object) -> str:
    """A field as display text ('' for None)."""
    return "" if value is None else str(value).strip()


def _speaker(row: Row) -> str:
    return _text(row.get("speaker"))


def _frame(row: Row) -> str:
    frame = row.get("frame")
    return frame if isinstance(frame, str) and frame in FRAMES else UNSCORED


def _is_narration(row: Row) -> bool:
    return row.get("kind") == "narration" or not _speaker(row)


def _offsets(value: object) -> tuple[int, int] | None:
    """(start, end) of a span dict, or None when it is missing or malformed."""
    if not isinstance(value, dict):
        return None
    start, end = value.get("start"), value.get("end")
    if isinstance(start, int) and isinstance(end, int) and 0 <= start <= end:
        return start, end
    return None


def _page_title(data: _ReportData) -> str:
    n = len(data.by_article)
    if n == 1:
        return f"stance report: {next(iter(data.by_article))}"
    return f"stance report: {n} articles"


# ---------------------------------------------------------------- header and overview


def _header_html(data: _ReportData) -> str:
    models = data.models()
    model_text = f"Model {', '.join(models)}." if models else "No model named in the rows."
    links = [("overview", "Overview"), ("speakers", "Speakers"), ("articles", "Articles")]
    if data.errors:
        links.append(("errors", "Could not be scored"))
    nav = "".join(f'<li><a href="#{k}">{html.escape(v)}</a></li>' for k, v in links)
    return (
        '<a class="skip" href="#main">Skip to content</a>'
        '<header class="top"><div class="wrap">'
        f"<h1>Who says what, and how they frame it</h1>"
        f'<p class="sub">{html.escape(model_text)} Frames: '
        f"{', '.join(FRAMES)}.</p>"
        f'<nav aria-label="Sections"><ul>{nav}</ul></nav>'
        "</div></header>"
    )


def _overview_html(data: _ReportData) -> str:
    speakers = data.speakers()
    frames = data.frames()
    total = len(data.statements)
    cards = [
        _card("articles", len([a for a, rows in data.by_article.items() if rows])),
        _card("statements", total),
        _card("speakers", len(speakers)),
    ]
    if data.errors:
        cards.append(_card("could not be scored", len(data.errors), href="#errors"))
    frame_cards = []
    for frame in (*FRAMES, UNSCORED):
        n = frames.get(frame, 0)
        if frame == UNSCORED and not n:
            continue
        share = f"{n / total:.0%}" if total else "0%"
        frame_cards.append(
            f'<li class="fcard f-{frame}"><span class="fname">{frame}</span> '
            f'<span class="num">{n}</span> <span class="share">({share})</span></li>'
        )
    charts = [_speaker_chart(data)]
    if data.has("outlet"):
        charts.append(_outlet_chart(data))
    if data.has("date"):
        charts.append(_time_chart(data))
    return (
        '<section id="overview" aria-labelledby="overview-h">'
        '<h2 id="overview-h">Overview</h2>'
        f'<ul class="cards">{"".join(cards)}</ul>'
        f'<h3 class="visually-hidden">Statements by frame</h3>'
        f'<ul class="frame-cards" aria-label="Statements by frame">{"".join(frame_cards)}</ul>'
        f'<div class="charts">{"".join(charts)}</div>'
        "</section>"
    )


def _card(label: str, value: int, *, href: str | None = None) -> str:
    inner = f'<span class="num">{value:,}</span> <span class="label">{html.escape(label)}</span>'
    if href:
        inner = f'<a href="{html.escape(href)}">{inner}</a>'
    return f'<li class="card">{inner}</li>'


# ---------------------------------------------------------------- charts (inline SVG)


def _counts_by(rows: Iterable[Row], key: Callable[[Row], str]) -> dict[str, Counter[str]]:
    """Frame counts per value of ``key`` (rows whose key is empty are left out)."""
    out: dict[str, Counter[str]] = {}
    for row in rows:
        name = key(row)
        if name:
            out.setdefault(name, Counter())[_frame(row)] += 1
    return out


def _top(counts: dict[str, Counter[str]], n: int = TOP_BARS) -> list[tuple[str, Counter[str]]]:
    """The ``n`` names with most statements (ties by name)."""
    ranked = sorted(counts.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    return ranked[:n]


def _speaker_chart(data: _ReportData) -> str:
    counts = _counts_by(data.statements, _speaker)
    if not counts:
        return _figure("", "Frames per speaker", "No statement names a speaker.")
    top = _top(counts)
    more = len(counts) - len(top)
    caption = "Frames per speaker" + (
        f", top {len(top)} of {len(counts)} by statements" if more else ", by statements"
    )
    svg = _barh_svg(top, salt="speakers", label=caption)
    return _figure(svg, caption, "")


def _outlet_chart(data: _ReportData) -> str:
    counts = _counts_by(data.statements, lambda r: _text(r.get("outlet")))
    top = _top(counts)
    more = len(counts) - len(top)
    caption = "Frames per outlet" + (
        f", top {len(top)} of {len(counts)} by statements" if more else ", by statements"
    )
    svg = _barh_svg(top, salt="outlets", label=caption)
    return _figure(svg, caption, "", table=_counts_table(top, "Outlet"))


def _time_chart(data: _ReportData) -> str:
    days = [(d, r) for r in data.statements if (d := _day(r.get("date"))) is not None]
    undated = sum(1 for r in data.statements if _text(r.get("date"))) - len(days)
    if not days:
        return _figure("", "Frames over time", "No date could be read (use YYYY-MM-DD).")
    first, last = min(d for d, _ in days), max(d for d, _ in days)
    by_month = (last - first).days > 62
    periods = _periods(first, last, by_month=by_month)
    counts: dict[str, Counter[str]] = {p: Counter() for p in periods}
    for day, row in days:
        counts[_period(day, by_month=by_month)][_frame(row)] += 1
    unit = "month" if by_month else "day"
    caption = f"Frames over time, by {unit}"
    note = f"{undated} statements with an unreadable date are left out." if undated else ""
    svg = _columns_svg(list(counts.items()), salt="time", label=caption)
    shown = [(p, c) for p, c in counts.items() if c]
    return _figure(
        svg, caption, note, table=_counts_table(shown, unit.capitalize()), wide=len(periods) > 12
    )


def _day(value: object) -> date | None:
    """The calendar day of an ISO date or timestamp, or None."""
    text = _text(value)[:10]
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _period(day: date, *, by_month: bool) -> str:
    return f"{day.year:04d}-{day.month:02d}" if by_month else day.isoformat()


def _periods(first: date, last: date, *, by_month: bool) -> list[str]:
    """Every day (or month) from ``first`` to ``last``, so gaps show as gaps."""
    if not by_month:
        return [
            date.fromordinal(o).isoformat() for o in range(first.toordinal(), last.toordinal() + 1)
        ]
    out = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _figure(svg: str, caption: str, note: str, *, table: str = "", wide: bool = False) -> str:
    parts = [f'<figure class="chart{" wide" if wide else ""}">']
    parts.append(f"<figcaption>{html.escape(caption)}</figcaption>")
    if svg:
        parts.append(f'<div class="svg">{svg}</div>')
    if note:
        parts.append(f'<p class="note">{html.escape(note)}</p>')
    if table:
        parts.append(f"<details><summary>The numbers</summary>{table}</details>")
    parts.append("</figure>")
    return "".join(parts)


def _counts_table(items: Sequence[tuple[str, Counter[str]]], key: str) -> str:
    """A plain table of frame counts (the data behind a chart)."""
    head = "".join(f'<th scope="col">{f}</th>' for f in FRAMES)
    body = "".join(
        f'<tr><th scope="row">{html.escape(name)}</th><td>{sum(c.values())}</td>'
        + "".join(f"<td>{c.get(f, 0)}</td>" for f in FRAMES)
        + "</tr>"
        for name, c in items
    )
    return (
        f'<div class="table-scroll"><table class="counts"><thead><tr>'
        f'<th scope="col" class="key">{html.escape(key)}</th><th scope="col">statements</th>{head}'
        f"</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _shorten(name: str, width: int = 30) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


def _barh_svg(items: Sequence[tuple[str, Counter[str]]], *, salt: str, label: str) -> str:
    """Horizontal bars of frame counts per name, stacked, most statements on top."""

    def draw(figure: Any) -> None:
        ax = figure.subplots()
        names = [_shorten(name, 24) for name, _ in items]
        positions = list(range(len(items)))
        left = [0] * len(items)
        for frame in _frames_present(c for _, c in items):
            values = [c.get(frame, 0) for _, c in items]
            ax.barh(
                positions,
                values,
                left=left,
                color=_colour(frame),
                label=frame,
                height=0.7,
                edgecolor="white",
                linewidth=0.6,
            )
            left = [a + b for a, b in zip(left, values, strict=True)]
        for y, total in zip(positions, left, strict=True):
            ax.text(total, y, f" {total}", va="center", ha="left", fontsize=10, color="#333")
        ax.set_yticks(positions, names)
        ax.invert_yaxis()
        ax.set_xlim(0, max(left) * 1.12 + 0.5)
        ax.set_xlabel("statements")
        _style_axes(ax, grid_axis="x")
        _legend(ax, figure)

    height = 1.2 + 0.3 * len(items)
    return _svg(draw, size=(4.8, height), salt=salt, label=label)


def _columns_svg(items: Sequence[tuple[str, Counter[str]]], *, salt: str, label: str) -> str:
    """Vertical bars of frame counts per period, stacked, in time order."""

    def draw(figure: Any) -> None:
        ax = figure.subplots()
        positions = list(range(len(items)))
        bottom = [0] * len(items)
        for frame in _frames_present(c for _, c in items):
            values = [c.get(frame, 0) for _, c in items]
            ax.bar(
                positions,
                values,
                bottom=bottom,
                color=_colour(frame),
                label=frame,
                width=0.8,
                edgecolor="white",
                linewidth=0.4,
            )
            bottom = [a + b for a, b in zip(bottom, values, strict=True)]
        step = max(1, -(-len(items) // 16))  # at most ~16 labels
        ticks = positions[::step]
        ax.set_xticks(ticks, [items[i][0] for i in ticks], rotation=45, ha="right")
        ax.set_xlim(-0.6, len(items) - 0.4)
        ax.set_ylabel("statements")
        _style_axes(ax, grid_axis="y")
        _legend(ax, figure)

    width = min(10.0, max(6.4, 0.25 * len(items)))
    return _svg(draw, size=(width, 3.4), salt=salt, label=label)


def _frames_present(counters: Iterable[Counter[str]]) -> list[str]:
    seen: set[str] = set()
    for counter in counters:
        seen.update(k for k, v in counter.items() if v)
    return [f for f in (*FRAMES, UNSCORED) if f in seen]


def _colour(frame: str) -> str:
    return FRAME_COLOURS.get(frame, UNSCORED_COLOUR)


def _style_axes(ax: Any, *, grid_axis: str) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis=grid_axis, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(length=0)


def _legend(ax: Any, figure: Any) -> None:
    handles, labels = ax.get_legend_handles_labels()
    figure.legend(
        handles,
        labels,
        loc="outside upper center",
        ncols=len(labels),
        frameon=False,
        handlelength=1.2,
        columnspacing=1.2,
    )


def _svg(draw: Callable[[Any], None], *, size: tuple[float, float], salt: str, label: str) -> str:
    """A matplotlib figure as an inline <svg> element (no XML prolog, ids made unique)."""
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        # never switch the backend under a running pyplot (a notebook's plots); we draw
        # on a bare Figure, which needs no backend beyond the SVG writer anyway
        matplotlib.use("Agg")
    from matplotlib.figure import Figure

    settings: dict[Any, Any] = {
        "svg.hashsalt": f"stance-{salt}",  # fixed salt: the same rows give the same file
        "svg.fonttype": "none",  # text stays text: small, searchable, selectable
        "text.parse_math": False,  # a "$" in a speaker's name is a dollar, not TeX
        "font.size": 11,
        "font.family": "sans-serif",
        "axes.edgecolor": "#888888",
        "axes.labelcolor": "#333333",
        "xtick.color": "#333333",
        "ytick.color": "#333333",
        "text.color": "#222222",
    }
    with matplotlib.rc_context(settings):
        figure = Figure(figsize=size, layout="constrained")
        draw(figure)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return _inline_svg(buffer.getvalue(), prefix=salt, label=label)


_SVG_START = re.compile(r"<svg\b[^>]*>")
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|href="#)([^)"]+)')
_PT = re.compile(r"([\d.]+)pt")


def _inline_svg(svg: str, *, prefix: str, label: str) -> str:
    """Matplotlib's SVG file made fit to paste into HTML.

    Drops the XML prolog, DOCTYPE, metadata and namespace declarations (HTML needs none,
    and they are the only URLs in the file), prefixes ids so several charts can share a
    page, and lets the chart shrink with the screen (viewBox kept, width as a maximum).
    """
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    root = _SVG_START.search(svg)
    if root is None:
        raise ValueError("matplotlib wrote no <svg> element")
    attributes = dict(re.findall(r'([\w:]+)="([^"]*)"', root.group(0)))
    width = _PT.fullmatch(attributes.get("width", ""))
    px = float(width.group(1)) * 4 / 3 if width else 640.0
    viewbox = attributes.get("viewBox", "")
    head = (
        f'<svg viewBox="{viewbox}" role="img" aria-label="{html.escape(label)}" '
        f'style="max-width:{px:.0f}px">'
    )
    svg = head + f"<title>{html.escape(label)}</title>" + svg[root.end() :]
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = _REF.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)
    return svg.strip()


# ---------------------------------------------------------------- speaker x frame table


def _speaker_table_html(data: _ReportData) -> str:
    table = FrameTable("speaker")
    for row in data.statements:
        table.add({**row, "speaker": _speaker(row) or None})
    *rows, total = table.rows()
    unscored = data.frames().get(UNSCORED, 0)
    columns = "<col><col>" + "".join(
        f'<colgroup span="2" class="f-{f}"></colgroup>' for f in FRAMES
    )
    top = [
        _sort_th("Speaker", 0, "text", rowspan=2, css="key"),
        _sort_th("Statements", 1, "number", rowspan=2, sort="descending"),
    ]
    sub = []
    for i, frame in enumerate(FRAMES):
        top.append(
            f'<th scope="colgroup" colspan="2" class="group f-{frame}">'
            f'<span class="swatch" aria-hidden="true"></span>{frame}</th>'
        )
        sub.append(
            _sort_th("n", 2 + 2 * i, "number", label=f"{frame}: statements", css=f"f-{frame}")
        )
        sub.append(
            _sort_th("share", 3 + 2 * i, "number", label=f"{frame}: share", css=f"f-{frame}")
        )
    body = "".join(_table_row(r) for r in rows)
    note = f" {unscored} statements without a frame are left out." if unscored else ""
    if not rows:
        body = f'<tr><td colspan="{2 + 2 * len(FRAMES)}">No scored statements.</td></tr>'
    return (
        '<section id="speakers" aria-labelledby="speakers-h">'
        '<h2 id="speakers-h">Speakers and their frames</h2>'
        f'<p class="hint">Statements per speaker and frame (n), and each frame\'s share of the '
        f"speaker's statements. Select a column heading to sort.{html.escape(note)}</p>"
        f'<div class="table-scroll{" tall" if len(rows) > TALL_TABLE else ""}" tabindex="0" '
        'role="region" aria-labelledby="speakers-h">'
        '<table class="sortable frames">'
        '<caption class="visually-hidden">Speaker by frame: counts and shares</caption>'
        f"{columns}<thead><tr>{''.join(top)}</tr><tr>{''.join(sub)}</tr></thead>"
        f"<tbody>{body}</tbody>"
        f"<tfoot>{_table_row(total, footer=True)}</tfoot>"
        "</table></div></section>"
    )


def _sort_th(
    text: str,
    column: int,
    kind: str,
    *,
    rowspan: int = 1,
    sort: str = "none",
    label: str = "",
    css: str = "",
) -> str:
    """A column heading that sorts the table by ``column`` when its button is pressed."""
    span = f' rowspan="{rowspan}"' if rowspan > 1 else ""
    named = f' aria-label="{html.escape(label)}"' if label else ""
    classes = f"sort {css}".strip()
    return (
        f'<th scope="col"{span} class="{classes}" aria-sort="{sort}" '
        f'data-type="{kind}" data-column="{column}">'
        f'<button type="button"{named}>{html.escape(text)}</button></th>'
    )


def _table_row(row: dict[str, Any], *, footer: bool = False) -> str:
    name = str(row["speaker"])
    shown = "All speakers" if footer else (NO_SPEAKER if name == "(none)" else name)
    sort_key = "\uffff" if name == "(none)" else name.casefold()  # narration sorts last
    cells = [
        f'<th scope="row" data-value="{html.escape(sort_key)}"'
        f"{' class=nospeaker' if name == '(none)' else ''}>{html.escape(shown)}</th>",
        f'<td data-value="{row["statements"]}">{row["statements"]}</td>',
    ]
    for frame in FRAMES:
        n, share = row[frame], row[f"{frame}_share"]
        zero = "" if n else " zero"
        cells.append(f'<td data-value="{n}" class="n{zero}">{n}</td>')
        cells.append(
            f'<td data-value="{share}" class="share f-{frame}{zero}" '
            f'style="--w:{share * 100:.1f}%">{share:.0%}</td>'
        )
    return f"<tr>{''.join(cells)}</tr>"


# ---------------------------------------------------------------- articles


def _articles_html(data: _ReportData) -> str:
    fold = len(data.by_article) > OPEN_ARTICLES
    parts = [
        '<section id="articles" aria-labelledby="articles-h">',
        '<h2 id="articles-h">Articles</h2>',
        _legend_html(),
    ]
    if not data.by_article:
        parts.append('<p class="note">No articles.</p>')
    for number, (article_id, rows) in enumerate(data.by_article.items(), start=1):
        parts.append(
            _article_html(article_id, rows, data.articles.get(article_id), number=number, fold=fold)
        )
    parts.append("</section>")
    return "".join(parts)


def _legend_html() -> str:
    frames = "".join(
        f'<li><span class="stmt f-{f}"><span class="badge">{f}</span>'
        f"{html.escape(_FRAME_HINTS[f])}</span></li>"
        for f in FRAMES
    )
    return (
        '<div class="legend" role="note" aria-labelledby="legend-h">'
        '<h3 id="legend-h">How to read the articles</h3>'
        f'<ul class="legend-frames">{frames}</ul>'
        "<p>Each statement with a speaker is highlighted in its frame's colour and starts "
        'with a label naming the speaker and the frame. <span class="stmt narration">Grey '
        "text</span> is narration (no speaker). The "
        '<u class="cue">cue</u> (says, according to…) is underlined and '
        '<span class="who">the words naming the speaker</span> are bold. Hover over a '
        "statement for its scores and secondary frames.</p></div>"
    )


_FRAME_HINTS = {
    "cooperation": "partnership, shared interest",
    "blame": "fault, accusation, threat",
    "nationalism": "nation, language, identity",
    "neutral": "no frame, reporting",
}


@dataclass(frozen=True, slots=True)
class _Placed:
    """A statement placed in its article's text, with its cue and mention offsets."""

    start: int
    end: int
    row: Row
    cue: tuple[int, int] | None
    mention: tuple[int, int] | None


def _article_html(
    article_id: str, rows: list[Row], article: Article | None, *, number: int, fold: bool
) -> str:
    if article is not None:
        text = article.text
        title = article.title.text if article.title else ""
    else:
        text = _rebuilt_text(rows)
        rebuilt = make_article(article_id, text).title  # a first line standing alone
        title = next(
            (t for t in (_text(r.get("title")) for r in rows) if t), rebuilt.text if rebuilt else ""
        )
    heading_id = f"article-{number}"
    heading = f'<h3 id="{heading_id}">{html.escape(title or article_id)}</h3>'
    note = (
        '<p class="note">Text rebuilt from the statements (the article file was not '
        "given): text outside every statement is missing.</p>"
        if article is None and rows
        else ""
    )
    inner = (
        f"{_article_facts(article_id, rows, title)}"
        f'<div class="article-body">{_article_aside(rows)}'
        f'<div class="text-col">{note}{_text_html(text, _placed(text, rows))}</div>'
        "</div>"
    )
    if fold:
        counts = Counter(_frame(r) for r in rows)
        brief = ", ".join(f"{f} {counts[f]}" for f in (*FRAMES, UNSCORED) if counts.get(f))
        return (
            f'<article class="article folded" aria-labelledby="{heading_id}"><details>'
            f'<summary>{heading}<span class="brief">{len(rows)} statements'
            f"{': ' + brief if brief else ''}</span></summary>{inner}</details></article>"
        )
    return f'<article class="article" aria-labelledby="{heading_id}">{heading}{inner}</article>'


def _article_facts(article_id: str, rows: list[Row], title: str) -> str:
    first = rows[0] if rows else {}
    facts = []
    if title:
        facts.append(f"<code>{html.escape(article_id)}</code>")
    for key in ("outlet", "date"):
        if value := _text(first.get(key)):
            facts.append(html.escape(value))
    speakers = {_speaker(r) for r in rows} - {""}
    facts.append(f"{len(rows)} statements, {len(speakers)} speakers")
    return f'<p class="facts">{" · ".join(facts)}</p>'


def _article_aside(rows: list[Row]) -> str:
    """The article's frames and speakers at a glance (beside the text on wide screens)."""
    frames = Counter(_frame(r) for r in rows)
    chips = "".join(
        f'<li class="chip f-{f}"><span class="swatch" aria-hidden="true"></span>{f} '
        f"{frames[f]}</li>"
        for f in (*FRAMES, UNSCORED)
        if frames.get(f)
    )
    people = _top(_counts_by(rows, _speaker), n=len(rows))
    items = []
    for name, counts in people:
        parts = [(f, counts[f]) for f in (*FRAMES, UNSCORED) if counts.get(f)]
        bar = "".join(f'<span class="f-{f}" style="flex-grow:{n}"></span>' for f, n in parts)
        words = ", ".join(f"{f} {n}" for f, n in parts)
        items.append(
            f'<li><span class="name">{html.escape(name)}</span> '
            f'<span class="count">{sum(counts.values())}</span>'
            f'<span class="minibar" aria-hidden="true">{bar}</span>'
            f'<span class="words">{words}</span></li>'
        )
    narration = sum(1 for r in rows if not _speaker(r))
    if narration:
        items.append(
            f'<li class="nospeaker"><span class="name">narration</span> '
            f'<span class="count">{narration}</span></li>'
        )
    people_html = f'<ul class="people">{"".join(items)}</ul>' if items else ""
    return (
        f'<aside class="glance" aria-label="This article at a glance">'
        f'<ul class="chips" aria-label="Statements by frame">{chips}</ul>'
        f"{people_html}</aside>"
    )


def _rebuilt_text(rows: Sequence[Row]) -> str:
    """An article's text from its rows' spans, at their offsets (see render_report)."""
    pieces: list[str] = []
    position = 0
    spans = sorted(
        (o, r["span"]["text"])
        for r in rows
        if (o := _offsets(r.get("span"))) is not None
        and isinstance(r["span"].get("text"), str)
        and len(r["span"]["text"]) == o[1] - o[0]
    )
    for (start, end), text in spans:
        if start < position:  # overlaps the previous span: keep the first
            continue
        gap = start - position
        if position == 0:
            pieces.append(" " * gap)
        elif gap >= LONG_GAP:  # the same length, so every offset still points home
            pieces.append(" " * (gap - 2) + "\n\n")
        else:
            pieces.append(" " * gap)
        pieces.append(text)
        position = end
    return "".join(pieces)


def _placed(text: str, rows: Sequence[Row]) -> list[_Placed]:
    """The rows whose span fits the text, in text order, overlaps dropped."""
    candidates = []
    for row in rows:
        offsets = _offsets(row.get("span"))
        if offsets is None or offsets[1] > len(text) or offsets[0] == offsets[1]:
            continue
        start, end = offsets
        expected = row["span"].get("text")
        if isinstance(expected, str) and text[start:end] != expected:
            log.warning(
                "article %s: statement %s does not match the text at %d-%d; "
                "was the article edited?",
                row.get("article"),
                row.get("index"),
                start,
                end,
            )
            continue
        candidates.append(
            _Placed(
                start,
                end,
                row,
                _inside(row.get("cue"), start, end),
                _inside(row.get("speaker_mention"), start, end),
            )
        )
    candidates.sort(key=lambda p: (p.start, -p.end))
    placed: list[_Placed] = []
    for candidate in candidates:
        if placed and candidate.start < placed[-1].end:
            continue
        placed.append(candidate)
    return placed


def _inside(value: object, start: int, end: int) -> tuple[int, int] | None:
    """A cue or mention's offsets clipped to its statement (None if outside it)."""
    offsets = _offsets(value)
    if offsets is None:
        return None
    a, b = max(offsets[0], start), min(offsets[1], end)
    return (a, b) if a < b else None


def _text_html(text: str, placed: Sequence[_Placed]) -> str:
    """The text as paragraphs, each statement (or its part in a paragraph) highlighted."""
    paragraphs = paragraph_spans(text)
    if not paragraphs:
        return '<p class="note">(no text)</p>'
    ends = [p.end for p in placed]
    out = ['<div class="text">']
    for paragraph in paragraphs:
        inner = _paragraph_html(text, paragraph.start, paragraph.end, placed, ends)
        out.append(f"<p>{inner}</p>")
    out.append("</div>")
    return "".join(out)


def _paragraph_html(
    text: str, start: int, end: int, placed: Sequence[_Placed], ends: Sequence[int]
) -> str:
    out = []
    position = start
    first = bisect.bisect_right(ends, start)  # spans are sorted and disjoint, so ends are too
    for statement in placed[first:]:
        if statement.start >= end:
            break
        a, b = max(statement.start, start), min(statement.end, end)
        if a > position:
            out.append(html.escape(text[position:a]))
        out.append(_statement_html(text, statement, a, b))
        position = b
    if position < end:
        out.append(html.escape(text[position:end]))
    return "".join(out)


def _statement_html(text: str, statement: _Placed, a: int, b: int) -> str:
    """Characters a:b of one statement: a span with its label, cue and mention marked."""
    row = statement.row
    frame = _frame(row)
    speaker = _speaker(row)
    narration = _is_narration(row)
    classes = f"stmt f-{frame}" + (" narration" if narration else "")
    who = speaker or "no speaker"
    label = f"{who}: {frame}" + (" (narration)" if narration else "")
    inner = []
    if a == statement.start and not narration:
        inner.append(f'<span class="badge">{html.escape(speaker)} · {frame}</span>')
    cuts = sorted(
        {a, b, *(x for r in (statement.cue, statement.mention) if r for x in r if a < x < b)}
    )
    for lo, hi in zip(cuts, cuts[1:], strict=False):
        piece = html.escape(text[lo:hi])
        if statement.mention and statement.mention[0] <= lo and hi <= statement.mention[1]:
            piece = f'<span class="who">{piece}</span>'
        if statement.cue and statement.cue[0] <= lo and hi <= statement.cue[1]:
            piece = f'<u class="cue">{piece}</u>'
        inner.append(piece)
    return (
        f'<span class="{classes}" role="group" aria-label="{html.escape(label)}" '
        f'title="{html.escape(_tooltip(row))}">{"".join(inner)}</span>'
    )


def _tooltip(row: Row) -> str:
    """Speaker, kind and cue, frame, secondary frames and scores, one fact a line."""
    speaker = _speaker(row) or "no speaker"
    kind = _text(row.get("kind")) or "statement"
    lines = [f"#{row.get('index', '?')} {speaker} ({kind})"]
    cue = row.get("cue")
    if isinstance(cue, dict) and _text(cue.get("text")):
        lines[0] += f', cue "{_text(cue.get("text"))}"'
    scores = row.get("scores")
    scores = scores if isinstance(scores, dict) else {}
    frame = _frame(row)
    score = scores.get(frame)
    lines.append(f"frame: {frame}" + (f" {score:.2f}" if isinstance(score, float | int) else ""))
    secondary = row.get("secondary")
    if isinstance(secondary, list) and secondary:
        lines.append("secondary: " + ", ".join(str(s) for s in secondary))
    else:
        lines.append("secondary: none")
    numeric = [(str(k), v) for k, v in scores.items() if isinstance(v, float | int)]
    if numeric:
        ranked = sorted(numeric, key=lambda kv: (-kv[1], kv[0]))
        lines.append("scores: " + ", ".join(f"{k} {v:.2f}" for k, v in ranked))
    return "\n".join(lines)


# ---------------------------------------------------------------- errors


def _errors_html(data: _ReportData) -> str:
    if not data.errors:
        return ""
    items = "".join(f"<li>{_error_html(r)}</li>" for r in data.errors)
    return (
        '<section id="errors" aria-labelledby="errors-h">'
        f'<h2 id="errors-h">Could not be scored ({len(data.errors)})</h2>'
        '<p class="hint">These inputs produced an error row instead of statements; '
        "fix them and score them again.</p>"
        f'<ul class="errors">{items}</ul></section>'
    )


def _error_html(row: Row) -> str:
    """``<code>source</code>: problem``, without naming the source twice."""
    source = _text(row.get("article")) or "(unknown)"
    problem = _text(row.get("error")) or "no reason given"
    problem = problem.removeprefix(f"{source}:").strip()
    return f"<code>{html.escape(source)}</code>: {html.escape(problem)}"


# ---------------------------------------------------------------- page, style, script


def _tint(colour: str, amount: float = 0.2) -> str:
    """``colour`` mixed with white (``amount`` of the colour): a background behind text."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - amount * (255 - c)):02x}" for c in rgb)


def _css() -> str:
    frames = "".join(
        f".f-{f}{{--c:{c};--tint:{_tint(c)};--on:{_ON_COLOUR[f]}}}"
        for f, c in FRAME_COLOURS.items()
    )
    frames += f".f-{UNSCORED}{{--c:{UNSCORED_COLOUR};--tint:#f2f2f2;--on:#000}}"
    return frames + _CSS


_CSS = """
:root{--ink:#1b1f24;--muted:#5c6370;--line:#d8dce1;--bg:#f6f7f9;--card:#fff;--accent:#0b5cad;
color-scheme:light}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);
font:1rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,
"Noto Sans","Liberation Sans",sans-serif}
@media (min-width:48rem){body{font-size:1.0625rem}}
.wrap{max-width:76rem;margin:0 auto;padding:0 1rem}
@media (min-width:48rem){.wrap{padding:0 2rem}}
a{color:var(--accent)}
code{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"Liberation Mono",monospace;
font-size:.88em;overflow-wrap:anywhere}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem;z-index:2}
.skip:focus{left:0}
.visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;
clip:rect(0 0 0 0);white-space:nowrap}
header.top{background:#1f2933;color:#f4f6f8;padding:1.25rem 0 .5rem}
header.top h1{margin:0 0 .25rem;font-size:clamp(1.4rem,1.1rem + 1.5vw,2.1rem);line-height:1.2}
header.top .sub{margin:0 0 .5rem;color:#c9d1da;font-size:.95rem}
header.top nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;
gap:.25rem 1.25rem}
header.top nav a{color:#fff;display:inline-block;padding:.35rem 0;text-underline-offset:.2em}
section{margin:2.25rem 0}
h2{font-size:clamp(1.25rem,1.1rem + .6vw,1.6rem);margin:0 0 .75rem;line-height:1.25;
padding-bottom:.3rem;border-bottom:2px solid var(--line)}
h3{font-size:1.15rem;line-height:1.3;margin:0 0 .35rem}
.hint,.note{color:var(--muted);font-size:.92rem;margin:.25rem 0 .75rem}
ul.cards,ul.frame-cards,ul.chips,ul.people{list-style:none;margin:0;padding:0}
ul.cards,ul.frame-cards{display:grid;gap:.6rem}
ul.cards{grid-template-columns:repeat(auto-fit,minmax(6.5rem,1fr))}
.card{background:var(--card);border:1px solid var(--line);border-radius:.6rem;padding:.6rem .8rem}
.card a{text-decoration:none;color:inherit;display:block}
.card .num{display:block;font-size:clamp(1.4rem,1.2rem + 1vw,1.9rem);font-weight:700;
line-height:1.1;font-variant-numeric:tabular-nums}
.card .label{color:var(--muted);font-size:.92rem}
ul.frame-cards{margin-top:.6rem;grid-template-columns:repeat(auto-fit,minmax(8.5rem,1fr))}
.fcard{background:var(--card);border:1px solid var(--line);border-left:.45rem solid var(--c);
border-radius:.5rem;padding:.4rem .7rem;font-size:.95rem}
.fcard .fname{font-weight:600}
.fcard .num{font-variant-numeric:tabular-nums;font-weight:700}
.fcard .share{color:var(--muted)}
.swatch{display:inline-block;width:.8em;height:.8em;border-radius:2px;background:var(--c);
margin-right:.35em;vertical-align:-.05em}
.charts{display:grid;gap:1rem;margin-top:1rem;grid-template-columns:minmax(0,1fr);
align-items:start}
@media (min-width:64rem){.charts{grid-template-columns:repeat(2,minmax(0,1fr))}
.chart.wide{grid-column:1/-1}}
figure.chart{margin:0;background:var(--card);border:1px solid var(--line);border-radius:.6rem;
padding:.75rem 1rem 1rem;min-width:0}
figure.chart figcaption{font-weight:600;margin-bottom:.5rem}
.svg svg{display:block;width:100%;height:auto}
details summary{cursor:pointer;color:var(--accent);margin-top:.5rem}
.table-scroll{overflow-x:auto;max-width:100%;border:1px solid var(--line);border-radius:.5rem;
background:var(--card)}
.table-scroll:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums;font-size:.93rem}
th,td{padding:.4rem .6rem;border-bottom:1px solid var(--line);text-align:right;
white-space:nowrap}
th.key,tbody th,tfoot th{text-align:left;white-space:normal;min-width:8rem}
thead th{background:#eef1f4;vertical-align:bottom;font-weight:600}
thead th.group{text-align:center;border-bottom:3px solid var(--c);padding:.4rem .6rem .25rem}
colgroup{border-left:1px solid var(--line)}
.table-scroll.tall{max-height:75vh;overflow:auto}
.table-scroll.tall thead{position:sticky;top:0;z-index:1}
td.zero{color:#767d86}
tbody tr,tfoot tr{background:var(--card)}
tbody tr:nth-child(even){background:#fafbfc}
tbody tr:hover{background:#eef4fb}
tbody th{font-weight:500}
th.nospeaker{font-style:italic;color:var(--muted)}
@media (max-width:48rem){table.frames th.key,table.frames tbody th,table.frames tfoot th{
position:sticky;left:0;z-index:1;background:inherit;min-width:8.5rem;
box-shadow:1px 0 0 var(--line)}table.frames thead th.key{background:#eef1f4}}
tfoot th,tfoot td{font-weight:700;border-top:2px solid var(--ink);border-bottom:0}
table.counts{font-size:.88rem;margin:.5rem 0 0}
table.sortable thead th.sort{padding:0}
table.sortable thead button{all:unset;box-sizing:border-box;display:block;width:100%;
padding:.4rem 1.3rem .4rem .6rem;cursor:pointer;position:relative;text-align:inherit}
table.sortable thead button:hover{background:#e2e7ec}
table.sortable thead button:focus-visible{outline:2px solid var(--accent);outline-offset:-2px}
table.sortable thead button::after{content:"\\2195";position:absolute;right:.35rem;
color:#8a929c}
table.sortable th[aria-sort=ascending] button::after{content:"\\25B2";color:var(--ink)}
table.sortable th[aria-sort=descending] button::after{content:"\\25BC";color:var(--ink)}
td.share{color:var(--muted);
background:linear-gradient(to right,var(--tint) var(--w),transparent var(--w))}
.legend{background:var(--card);border:1px solid var(--line);border-radius:.6rem;
padding:.75rem 1rem;margin:0 0 1.25rem}
.legend h3{font-size:1rem;margin:0 0 .5rem}
.legend p{margin:.6rem 0 0;line-height:1.8;max-width:60rem}
ul.legend-frames{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1rem;
line-height:1.9}
article.article{background:var(--card);border:1px solid var(--line);border-radius:.6rem;
padding:1rem 1rem 1.25rem;margin:0 0 1.25rem}
@media (min-width:48rem){article.article{padding:1.25rem 2rem 1.5rem}}
article.folded{padding-top:.75rem;padding-bottom:.75rem}
article.folded summary{margin:0}
article.folded summary h3{display:inline;color:var(--ink)}
article.folded .brief{display:block;color:var(--muted);font-size:.88rem;margin:.1rem 0 0 1.1rem}
article.folded details[open] summary{margin-bottom:.5rem}
.facts{color:var(--muted);margin:0 0 .75rem;font-size:.92rem}
.article-body{display:grid;gap:1rem;grid-template-columns:minmax(0,1fr)}
@media (min-width:64rem){.article-body{grid-template-columns:minmax(0,46rem) minmax(13rem,1fr);
gap:2.5rem}.glance{order:2;position:sticky;top:1rem;align-self:start}}
.glance{font-size:.9rem;border:1px solid var(--line);border-radius:.5rem;padding:.6rem .8rem;
background:#fafbfc}
ul.chips{display:flex;flex-wrap:wrap;gap:.35rem;margin:0 0 .6rem}
.chip{border:1px solid var(--line);border-radius:999px;padding:0 .55rem;font-size:.85rem;
background:var(--tint)}
ul.people li{margin:.35rem 0;display:grid;grid-template-columns:1fr auto;gap:0 .5rem}
ul.people .name{font-weight:600;overflow-wrap:anywhere}
ul.people .count{font-variant-numeric:tabular-nums;color:var(--muted)}
ul.people .minibar{grid-column:1/-1;display:flex;height:.45rem;border-radius:2px;overflow:hidden;
margin:.15rem 0}
ul.people .minibar span{background:var(--c);min-width:2px}
ul.people .words{grid-column:1/-1;color:var(--muted);font-size:.85rem}
ul.people li.nospeaker .name{font-weight:400;font-style:italic;color:var(--muted)}
.text-col{min-width:0}
.text{line-height:1.95;font-size:1.05rem}
.text p{margin:0 0 1.1em;white-space:pre-line;overflow-wrap:break-word}
.stmt{background:var(--tint);border-bottom:3px solid var(--c);border-radius:3px;
padding:.12em .2em;-webkit-box-decoration-break:clone;box-decoration-break:clone}
.stmt:hover{background:color-mix(in srgb,var(--c) 32%,white)}
.stmt.narration{background:none;border-bottom:0;color:var(--muted);padding:0}
.stmt.narration:hover{background:#eef0f2}
.badge{display:inline-block;font-size:.72rem;line-height:1.35;font-weight:650;
padding:.05rem .45rem;border-radius:999px;background:var(--c);color:var(--on);
margin-right:.3rem;vertical-align:.12em;white-space:nowrap;letter-spacing:.01em;
max-width:100%;overflow:hidden;text-overflow:ellipsis}
u.cue{text-decoration:underline;text-decoration-thickness:2px;text-underline-offset:.22em}
.who{font-weight:650}
ul.errors{background:var(--card);border:1px solid var(--line);border-left:.45rem solid #b00020;
border-radius:.5rem;padding:.75rem 1rem .75rem 2rem;margin:0}
ul.errors li{margin:.25rem 0;overflow-wrap:anywhere}
footer{color:var(--muted);font-size:.85rem;padding:1rem 0 2rem}
@media print{header.top{background:none;color:#000}header.top nav{display:none}
.glance{position:static}}
"""

_SCRIPT = """
(function () {
  "use strict";
  function value(row, column, type) {
    var cell = row.cells[column];
    var raw = cell.getAttribute("data-value");
    if (raw === null) { raw = cell.textContent; }
    return type === "number" ? parseFloat(raw) || 0 : raw.toLowerCase();
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.tHead.querySelectorAll("th[data-column]");
    Array.prototype.forEach.call(heads, function (th) {
      var button = th.querySelector("button");
      var column = parseInt(th.getAttribute("data-column"), 10);
      if (!button || isNaN(column)) { return; }
      button.addEventListener("click", function () {
        var type = th.getAttribute("data-type");
        var current = th.getAttribute("aria-sort");
        // numbers start with the largest first, names from A
        var ascending = current === "none" ? type !== "number" : current !== "ascending";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = value(a, column, type), y = value(b, column, type);
          var order = x < y ? -1 : x > y ? 1 : 0;
          if (order === 0) { order = value(a, 0, "text") < value(b, 0, "text") ? -1 : 1; }
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        Array.prototype.forEach.call(heads, function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      });
    });
  });
}());
"""

_FOOTER = (
    '<footer><div class="wrap">Made by <code>stance</code>. This page is self-contained '
    "and loads nothing from the network. Frames are a model's reading of each "
    "statement: check the text before you quote a number.</div></footer>"
)

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; \
style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="stance">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
{body}
<script>{script}</script>
</body>
</html>
"""

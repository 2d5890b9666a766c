"""The HTML report: one self-contained page that parses, names everyone, and loads nothing."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from stance.cli import cli
from stance.persist import load_model
from stance.report import render_report, write_report
from stance.score import analyze, score_paths
from stance.types import FRAMES, Article

SPEAKERS = ("Sergei Lavrov", "Askar Mamin", "The Kremlin", "The Kazakhs")
# elements that must open and close in pairs (void elements and SVG leaves are left out)
PAIRED = (
    "html",
    "head",
    "body",
    "header",
    "nav",
    "main",
    "section",
    "article",
    "aside",
    "footer",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "ul",
    "li",
    "p",
    "div",
    "span",
    "details",
    "summary",
    "svg",
    "g",
    "script",
    "style",
    "h1",
    "h2",
    "h3",
)
URL_ATTRIBUTES = {
    "src",
    "href",
    "xlink:href",
    "action",
    "formaction",
    "srcset",
    "poster",
    "data",
    "background",
    "cite",
    "manifest",
}
NETWORK = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.I)  # any scheme, or scheme-relative
BROWSER_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

Row = dict[str, Any]


# ---------------------------------------------------------------- helpers


class PageParser(HTMLParser):
    """Every tag with its attributes, the open/close balance, and the text of classes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.balance: Counter[str] = Counter()
        self.stack: list[tuple[str, set[str]]] = []
        self.text_in: dict[str, list[str]] = {}
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if tag in PAIRED:
            self.balance[tag] += 1
            self.stack.append((tag, set(attributes.get("class", "").split())))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in PAIRED:
            self.balance[tag] -= 1
            assert self.stack and self.stack[-1][0] == tag, f"</{tag}> closes {self.stack[-1:]}"
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        for _, classes in self.stack:
            for name in classes:
                self.text_in.setdefault(name, []).append(data)

    def text(self, css_class: str) -> str:
        return "".join(self.text_in.get(css_class, []))

    def attributes(self, tag: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag]

    def with_class(self, css_class: str) -> list[dict[str, str]]:
        return [a for _, a in self.tags if css_class in a.get("class", "").split()]

    def statements(self) -> list[dict[str, str]]:
        """The highlighted statements (legend samples have no title)."""
        return [a for a in self.with_class("stmt") if "title" in a]


class ArticleText(HTMLParser):
    """The text of ``div.text`` blocks without the speaker labels (``span.badge``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside div.text
        self.badge = 0  # inside span.badge
        self.stack: list[str] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        marker = (
            "text"
            if tag == "div" and "text" in classes
            else ("badge" if "badge" in classes else "")
        )
        self.stack.append(marker)
        self.depth += marker == "text"
        self.badge += marker == "badge"
        if tag == "p" and self.depth:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        marker = self.stack.pop()
        self.depth -= marker == "text"
        self.badge -= marker == "badge"

    def handle_data(self, data: str) -> None:
        if self.depth and not self.badge:
            self.parts.append(data)


def parsed(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    parser.close()
    return parser


def words(text: str) -> str:
    return " ".join(text.split())


def article_text(page: str) -> str:
    parser = ArticleText()
    parser.feed(page)
    parser.close()
    return "".join(parser.parts)


def statement_row(index: int, start: int, text: str, **fields: Any) -> Row:
    """A minimal scored row over ``text`` at ``start``."""
    row: Row = {
        "article": "odd",
        "index": index,
        "kind": "indirect",
        "speaker": "A speaker",
        "speaker_mention": None,
        "cue": None,
        "span": {"start": start, "end": start + len(text), "text": text},
        "frame": "blame",
        "secondary": [],
        "scores": {"blame": 0.9, "neutral": 0.1},
        "model": "m",
    }
    row.update(fields)
    return row


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def model() -> Any:
    """The bundled default model (models/frames-default), loaded once."""
    return load_model()


@pytest.fixture(scope="module")
def seed_rows(seed_article: Article, model: Any) -> list[Row]:
    return analyze(seed_article, model=model).to_rows()


@pytest.fixture(scope="module")
def seed_page(seed_rows: list[Row], seed_article: Article) -> str:
    return render_report(seed_rows, articles={seed_article.id: seed_article})


@pytest.fixture(scope="module")
def records_file(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Path:
    """A JSONL batch: the seed article twice with outlet and date, and one empty record."""
    text = seed_path.read_text(encoding="utf-8")
    records = [
        {"id": "seed-asianews", "text": text, "outlet": "AsiaNews", "date": "2020-10-19"},
        {"id": "seed-other", "text": text, "outlet": "Other <Outlet>", "date": "2021-03-02"},
        {"id": "blank", "text": "   "},
    ]
    path = tmp_path_factory.mktemp("report") / "records.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def batch_rows(records_file: Path, model: Any) -> list[Row]:
    return list(score_paths([records_file], model=model))


@pytest.fixture(scope="module")
def batch_page(batch_rows: list[Row]) -> str:
    return render_report(batch_rows)


# ---------------------------------------------------------------- structure


def test_report_is_one_well_formed_html_document(seed_page: str) -> None:
    page = parsed(seed_page)
    assert page.doctype.lower() == "doctype html"
    assert {tag: n for tag, n in page.balance.items() if n} == {}
    assert not page.stack
    assert [t for t, _ in page.tags].count("main") == 1
    assert page.attributes("html")[0]["lang"] == "en"
    assert any(a.get("name") == "viewport" for a in page.attributes("meta"))


def test_report_has_one_h1_then_h2_sections(seed_page: str) -> None:
    tags = [t for t, _ in parsed(seed_page).tags]
    headings = [t for t in tags if re.fullmatch(r"h[1-6]", t)]
    assert headings.count("h1") == 1 and headings[0] == "h1"
    assert headings.count("h2") >= 3


def test_report_loads_nothing_from_the_network(seed_page: str, batch_page: str) -> None:
    for page_text in (seed_page, batch_page):
        page = parsed(page_text)
        for tag, attributes in page.tags:
            for name, value in attributes.items():
                if name in URL_ATTRIBUTES:
                    assert not NETWORK.match(value), f"<{tag} {name}={value!r}>"
            assert tag not in {"link", "img", "iframe", "object", "embed", "base"}, tag
        assert all("src" not in a for a in page.attributes("script"))
        assert not re.search(r"url\(\s*['\"]?(?!#)", page_text), "url() other than #id"
        assert not re.search(r"@import|@font-face", page_text)
        assert "http://" not in page_text and "https://" not in page_text


def test_page_forbids_network_loads_by_content_security_policy(seed_page: str) -> None:
    meta = [a for a in parsed(seed_page).attributes("meta") if a.get("http-equiv")]
    assert meta and meta[0]["content"].startswith("default-src 'none'")


def test_ids_are_unique_across_the_inline_charts(batch_page: str) -> None:
    ids = [a["id"] for _, a in parsed(batch_page).tags if "id" in a]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    references = re.findall(r'(?:url\(#|href="#)([^)"]+)', batch_page)
    assert set(references) <= set(ids)


def test_report_is_deterministic(seed_rows: list[Row], seed_article: Article) -> None:
    articles = {seed_article.id: seed_article}
    assert render_report(seed_rows, articles=articles) == render_report(
        seed_rows, articles=articles
    )


def test_matplotlib_is_imported_only_when_a_report_is_drawn() -> None:
    code = "import sys, stance.report; print('matplotlib' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# ---------------------------------------------------------------- content


def test_overview_counts_articles_statements_and_speakers(
    seed_page: str, seed_rows: list[Row]
) -> None:
    cards = re.findall(
        r'<span class="num">([\d,]+)</span> <span class="label">(\w+)</span>', seed_page
    )
    speakers = {r["speaker"] for r in seed_rows if r["speaker"]}
    assert dict((label, int(n)) for n, label in cards) == {
        "articles": 1,
        "statements": len(seed_rows),
        "speakers": len(speakers),
    }


@pytest.mark.parametrize("name", SPEAKERS)
def test_report_names_every_speaker(seed_page: str, name: str) -> None:
    assert f'<th scope="row" data-value="{name.casefold()}">{name}</th>' in seed_page
    assert f'<span class="badge">{name} · ' in seed_page


@pytest.mark.parametrize("frame", FRAMES)
def test_report_names_every_frame(seed_page: str, frame: str) -> None:
    assert f'<th scope="colgroup" colspan="2" class="group f-{frame}">' in seed_page
    assert f'<span class="badge">{frame}</span>' in seed_page  # the legend


def test_speaker_chart_is_inline_svg_with_a_label(seed_page: str) -> None:
    svgs = parsed(seed_page).attributes("svg")
    assert len(svgs) == 1
    assert svgs[0]["role"] == "img" and svgs[0]["aria-label"].startswith("Frames per speaker")
    assert "<?xml" not in seed_page and "<!DOCTYPE svg" not in seed_page


def test_table_counts_match_the_rows(seed_page: str, seed_rows: list[Row]) -> None:
    lavrov = Counter(r["frame"] for r in seed_rows if r["speaker"] == "Sergei Lavrov")
    row = re.search(r'<tr><th scope="row" data-value="sergei lavrov">.*?</tr>', seed_page)
    assert row is not None
    counts = re.findall(r'<td data-value="(\d+)" class="n', row.group(0))
    assert [int(n) for n in counts] == [lavrov.get(f, 0) for f in FRAMES]


def test_table_headers_have_scope_and_sort_buttons(seed_page: str) -> None:
    page = parsed(seed_page)
    headers = page.attributes("th")
    assert all("scope" in h for h in headers)
    sortable = [h for h in headers if "data-column" in h]
    assert len(sortable) == 2 + 2 * len(FRAMES)
    assert sorted(int(h["data-column"]) for h in sortable) == list(range(len(sortable)))


def test_article_text_is_shown_exactly(seed_page: str, seed_article: Article) -> None:
    assert words(article_text(seed_page)) == words(seed_article.text)


def test_article_paragraphs_are_kept(seed_page: str, seed_article: Article) -> None:
    shown = [p for p in article_text(seed_page).split("\n\n") if p.strip()]
    assert len(shown) == len(seed_article.paragraphs)


def test_statements_are_highlighted_in_their_frame(seed_page: str, seed_rows: list[Row]) -> None:
    shown = parsed(seed_page).statements()
    assert len(shown) >= len(seed_rows)  # a statement across paragraphs is split in parts
    for row in seed_rows:
        part = next(s for s in shown if s["title"].startswith(f"#{row['index']} "))
        assert f"f-{row['frame']}" in part["class"].split()
        assert ("narration" in part["class"].split()) == (row["speaker"] is None)
        assert part["aria-label"].startswith(row["speaker"] or "no speaker")


def test_hover_text_gives_scores_and_secondary_frames(seed_page: str, seed_rows: list[Row]) -> None:
    titles = {s["title"].split(" ", 1)[0]: s["title"] for s in parsed(seed_page).statements()}
    for row in seed_rows:
        title = titles[f"#{row['index']}"]
        best = max(row["scores"], key=row["scores"].get)
        assert f"scores: {best} {row['scores'][best]:.2f}" in title
        assert "secondary: " + (", ".join(row["secondary"]) or "none") in title


def test_cues_are_underlined(seed_page: str, seed_rows: list[Row]) -> None:
    articles = seed_page[seed_page.index("<article") :]  # after the legend's sample cue
    cues = [words(html.unescape(c)) for c in re.findall(r'<u class="cue">(.*?)</u>', articles)]
    expected = [words(r["cue"]["text"]) for r in seed_rows if r["cue"]]
    assert cues == expected
    assert '<u class="cue">condemned</u>' in seed_page


def test_legend_explains_colours_with_words(seed_page: str) -> None:
    legend = parsed(seed_page).text("legend")
    assert all(frame in legend for frame in FRAMES)
    assert "narration" in legend.casefold() and "underlined" in legend


def test_text_is_rebuilt_from_the_spans_without_articles(seed_rows: list[Row]) -> None:
    shown = article_text(render_report(seed_rows))
    assert words(shown) == words(" ".join(r["span"]["text"] for r in seed_rows))
    assert "Moscow and Nur-Sultan grudging allies" in shown.split("\n\n")[1]  # its own paragraph


def test_rebuilt_text_finds_the_headline(seed_rows: list[Row]) -> None:
    assert '<h3 id="article-1">Moscow and Nur-Sultan grudging allies' in render_report(seed_rows)


# ---------------------------------------------------------------- outlet, date, errors


def test_outlet_and_time_charts_appear_when_rows_carry_them(batch_page: str) -> None:
    labels = [a["aria-label"] for a in parsed(batch_page).attributes("svg")]
    assert [label.split(",")[0] for label in labels] == [
        "Frames per speaker",
        "Frames per outlet",
        "Frames over time",
    ]
    assert "Other &lt;Outlet&gt;" in batch_page


def test_no_outlet_or_time_chart_without_those_fields(seed_page: str) -> None:
    assert "Frames per outlet" not in seed_page and "Frames over time" not in seed_page


@pytest.mark.parametrize(
    ("dates", "unit", "periods"),
    [
        (["2021-03-01", "2021-03-04"], "day", 4),
        (["2020-10-19", "2021-03-02T08:00:00Z"], "month", 6),
    ],
)
def test_time_chart_counts_by_day_or_by_month(dates: list[str], unit: str, periods: int) -> None:
    rows = [statement_row(i, 0, "Talks.", article=f"a{i}", date=d) for i, d in enumerate(dates)]
    page = render_report(rows)
    assert f"Frames over time, by {unit}" in page
    ticks = re.findall(r">(\d{4}-\d\d(?:-\d\d)?)</text>", page)
    assert len(ticks) == periods  # every period, even empty ones, so gaps show


def test_error_rows_are_listed(batch_page: str, batch_rows: list[Row]) -> None:
    errors = [r for r in batch_rows if "error" in r]
    assert len(errors) == 1
    section = batch_page[batch_page.index('<section id="errors"') :]
    assert "Could not be scored (1)" in section
    assert "text is empty or whitespace only" in section
    assert '<a href="#errors">' in batch_page


# ---------------------------------------------------------------- odd rows


ODD_ROWS = {
    "no rows": [],
    "only an error": [{"article": "x.txt", "error": "x.txt: not valid utf-8 at byte 3"}],
    "empty dict": [{}],
    "not a dict": ["a string", None, 3],
    "no speaker, no cue, no frame": [
        {"article": "a", "span": {"start": 0, "end": 4, "text": "Text"}}
    ],
    "unknown frame": [statement_row(0, 0, "Text.", frame="joy")],
    "span out of bounds": [statement_row(0, 0, "One."), statement_row(1, -5, "Two.")],
    "span text not matching": [
        {**statement_row(0, 0, "One."), "span": {"start": 0, "end": 4, "text": "Uno."}}
    ],
    "overlapping spans": [statement_row(0, 0, "One two."), statement_row(1, 4, "two.")],
    "cue outside its span": [
        statement_row(0, 0, "One.", cue={"start": 9, "end": 12, "text": "say"})
    ],
    "scores not numbers": [statement_row(0, 0, "One.", scores={"blame": "high"}, secondary=None)],
    "speaker not a string": [statement_row(0, 0, "One.", speaker=42)],
    "odd dates": [statement_row(0, 0, "One.", date="yesterday", outlet=None)],
    "dollars in names": [statement_row(0, 0, "One.", speaker="$x^{$ fund", outlet="$$ \\")],
}


@pytest.mark.parametrize("rows", ODD_ROWS.values(), ids=ODD_ROWS.keys())
def test_odd_rows_give_a_page(rows: list[Any]) -> None:
    page = parsed(render_report(rows))
    assert {tag: n for tag, n in page.balance.items() if n} == {}


def test_articles_without_rows_are_shown_in_full() -> None:
    article = Article("quiet", "Nobody said anything.\n\nThe end.")
    page = render_report([], articles={"quiet": article})
    assert words(article_text(page)) == "Nobody said anything. The end."


def test_all_text_is_escaped() -> None:
    evil = '<script>alert("x")</script>'
    row = statement_row(
        0,
        0,
        evil,
        article=evil,
        speaker=evil,
        outlet=evil,
        cue={"start": 0, "end": 8, "text": "<script>"},
    )
    page = render_report([row, {"article": evil, "error": evil}])
    assert page.count("<script>") == 1  # the page's own sorting script
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_a_statement_across_paragraphs_is_highlighted_in_each() -> None:
    text = "\u201cFirst part.\n\nSecond part,\u201d she said."
    article = Article("a", text)
    row = statement_row(
        0,
        0,
        text,
        article="a",
        speaker="Ms A",
        cue={"start": len(text) - 5, "end": len(text) - 1, "text": "said"},
    )
    page = render_report([row], articles={"a": article})
    parts = parsed(page).statements()
    assert len([p for p in parts if p["title"].startswith("#0 ")]) == 2
    assert page.count('<span class="badge">Ms A · blame</span>') == 1  # label once, at the start


def test_write_report_writes_utf8_and_returns_the_path(
    tmp_path: Path, seed_rows: list[Row]
) -> None:
    target = tmp_path / "report.html"
    assert write_report(seed_rows, target) == target
    assert target.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary file left


# ---------------------------------------------------------------- CLI


def test_cli_report_writes_the_file(tmp_path: Path, batch_rows: list[Row]) -> None:
    scored = tmp_path / "scored.jsonl"
    scored.write_text("".join(json.dumps(r) + "\n" for r in batch_rows), encoding="utf-8")
    output = tmp_path / "out.html"
    result = CliRunner().invoke(cli, ["report", str(scored), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert f"wrote {output}" in result.stderr and result.stdout == ""
    page = output.read_text(encoding="utf-8")
    assert "Frames per outlet" in page and "Could not be scored (1)" in page


def test_cli_analyze_html_writes_the_file(
    tmp_path: Path, seed_path: Path, seed_article: Article
) -> None:
    output = tmp_path / "seed.html"
    result = CliRunner().invoke(cli, ["analyze", str(seed_path), "--html", str(output)])
    assert result.exit_code == 0, result.output
    assert f"wrote {output}" in result.stderr
    page = output.read_text(encoding="utf-8")
    assert words(article_text(page)) == words(seed_article.text)
    assert all(name in page for name in SPEAKERS)


# ---------------------------------------------------------------- in a real browser


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return found


def run_chromium(page: Path, profile: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [chromium(), *BROWSER_FLAGS, f"--user-data-dir={profile}", *flags, page.resolve().as_uri()],
        capture_output=True,
        text=True,
        timeout=60,
    )


def console_messages(stderr: str) -> list[str]:
    """Page console lines in chromium's log (it logs console.error as INFO:CONSOLE)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


@pytest.fixture
def seed_report_file(tmp_path: Path, seed_page: str) -> Path:
    path = tmp_path / "seed.html"
    path.write_text(seed_page, encoding="utf-8")
    return path


@pytest.mark.browser
@pytest.mark.parametrize("width", [1200, 400])
def test_report_renders_in_a_browser(seed_report_file: Path, tmp_path: Path, width: int) -> None:
    from matplotlib.image import imread

    shot = tmp_path / f"shot-{width}.png"
    run_chromium(
        seed_report_file,
        tmp_path / "profile",
        f"--screenshot={shot}",
        f"--window-size={width},2000",
        "--hide-scrollbars",
    )
    assert shot.is_file()
    pixels = imread(shot)[..., :3]
    assert pixels.shape[:2] == (2000, width)
    assert pixels.std() > 0.05
    colours = {tuple(p) for p in (pixels[::7, ::7] * 255).round().reshape(-1, 3).tolist()}
    assert len(colours) > 50


@pytest.mark.browser
def test_report_logs_no_console_errors(seed_report_file: Path, tmp_path: Path) -> None:
    result = run_chromium(
        seed_report_file,
        tmp_path / "profile",
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=2000",
        "--dump-dom",
    )
    assert "Sergei Lavrov" in result.stdout  # the page was really loaded
    assert console_messages(result.stderr) == []


@pytest.mark.browser
def test_console_check_catches_a_broken_script(tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_text("<!doctype html><title>x</title><script>missing();</script>")
    result = run_chromium(
        page,
        tmp_path / "profile",
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=2000",
        "--dump-dom",
    )
    assert any("Uncaught ReferenceError" in line for line in console_messages(result.stderr))


@pytest.mark.browser
def test_clicking_a_heading_sorts_the_table(batch_page: str, tmp_path: Path) -> None:
    probe = """<script>
      var table = document.querySelector("table.sortable");
      function names() {
        return Array.prototype.map.call(table.tBodies[0].rows,
          function (r) { return r.cells[0].textContent; }).join("|");
      }
      table.querySelector('th[data-column="0"] button').click();
      document.body.setAttribute("data-by-name", names());
      table.querySelector('th[data-column="0"] button').click();
      document.body.setAttribute("data-by-name-reversed", names());
    </script></body>"""
    page = tmp_path / "sorting.html"
    page.write_text(batch_page.replace("</body>", probe), encoding="utf-8")
    result = run_chromium(
        page,
        tmp_path / "profile",
        "--virtual-time-budget=2000",
        "--dump-dom",
        "--enable-logging=stderr",
        "--v=0",
    )
    assert console_messages(result.stderr) == []
    body = parsed(result.stdout).attributes("body")[0]
    by_name = body["data-by-name"].split("|")
    assert by_name[:-1] == sorted(by_name[:-1], key=str.casefold)
    assert by_name[-1].startswith("(no speaker")  # narration sorts last
    assert body["data-by-name-reversed"].split("|") == by_name[::-1]

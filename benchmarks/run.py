"""Benchmarks: extraction and scoring throughput, stage shares, memory, regex floor.

    python benchmarks/run.py [--data PATH] [--out benchmarks/RESULTS.md] [--quick]
                             [--baseline REV]

With ``--baseline REV`` every end-to-end run is preceded by the same run of that git
revision (checked out in a temporary worktree), and the table gives both times.

PATH defaults to $STANCE_SHARED/data/news/bbc-news.jsonl (or ../shared/...). Without
it, the project's own corpus is used and the BBC rows say why they are missing.
Speed is measured here, never in unit tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def shared_dir() -> Path:
    return Path(os.environ.get("STANCE_SHARED", ROOT.parent / "shared"))


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def corpus_records() -> list[dict]:
    return [
        {"id": p.stem, "text": p.read_text(encoding="utf-8")}
        for p in sorted((ROOT / "corpus" / "articles").glob("*.txt"))
    ]


def replicate(records: list[dict], times: int, path: Path) -> Path:
    """The records ``times`` over with distinct ids, as one JSONL file."""
    with path.open("w", encoding="utf-8") as out:
        for k in range(times):
            for r in records:
                out.write(
                    json.dumps({"id": f"{r['id']}#{k}", "text": r["text"]}, ensure_ascii=False)
                    + "\n"
                )
    return path


def stage_times(records: list[dict], batch: int = 64) -> dict[str, float]:
    """Seconds per stage over ``records`` in this process, model loaded before timing.

    Records go through in batches of ``batch`` articles, as ``stance score`` streams
    them (holding every statement of a large file at once would time the garbage
    collector instead). Classification is a batch's prediction time minus its
    featurization time, both measured on the same statements.
    """
    from stance.articles import make_article
    from stance.attribution import extract_statements
    from stance.persist import load_model
    from stance.score import statement_row
    from stance.sentences import sentence_spans

    model = load_model()
    featurize = _featurizer_of(model)
    warm = [extract_statements(make_article(r["id"], r["text"])) for r in records[:batch]]
    model.predict([s for group in warm for s in group])  # caches filled, as a long run has them
    out = dict.fromkeys(STAGES, 0.0)
    for start in range(0, len(records), batch):
        chunk = records[start : start + batch]
        t = time.perf_counter()
        lines = [json.dumps(r) for r in chunk]
        articles = [make_article(r["id"], r["text"]) for r in map(json.loads, lines)]
        out["read (JSON + paragraphs)"] += time.perf_counter() - t
        t = time.perf_counter()
        for a in articles:
            sentence_spans(a)
        sentences = time.perf_counter() - t
        out["sentences (Punkt)"] += sentences
        t = time.perf_counter()
        flat = [s for a in articles for s in extract_statements(a)]
        out["attribution (quotes, cues, speakers)"] += max(0.0, time.perf_counter() - t - sentences)
        t = time.perf_counter()
        featurize(flat)
        features = time.perf_counter() - t
        out["features"] += features
        t = time.perf_counter()
        predictions = model.predict(flat)
        out["classification"] += max(0.0, time.perf_counter() - t - features)
        t = time.perf_counter()
        for s, p in zip(flat, predictions, strict=True):
            json.dumps(statement_row(s, p, model.model_id), ensure_ascii=False)
        out["writing rows (JSON)"] += time.perf_counter() - t
    return out


def _featurizer_of(model: Any) -> Any:
    """The featurizing step of a model's predictions, to time it apart."""
    if model.scorer is None:  # a model without scorer.npz: the scikit-learn pipeline's
        return model.estimator.calibrated_classifiers_[0].estimator.steps[0][1].transform
    return model.scorer.features


STAGES = (
    "read (JSON + paragraphs)",
    "sentences (Punkt)",
    "attribution (quotes, cues, speakers)",
    "features",
    "classification",
    "writing rows (JSON)",
)


def regex_floor(path: Path) -> float:
    """Seconds to read the file and scan its text once with a plain sentence regex."""
    t = time.perf_counter()
    pattern = re.compile(r"[^.!?]+[.!?]")
    n = 0
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            n += len(pattern.findall(json.loads(line)["text"]))
    return time.perf_counter() - t


def peak_rss_of(args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> int:
    """Peak RSS (KiB) of one command, measured by GNU time when available."""
    gnu_time = "/usr/bin/time"
    if not Path(gnu_time).exists():
        subprocess.run(args, check=False, env=env, cwd=cwd, stdout=subprocess.DEVNULL)
        return 0
    proc = subprocess.run(
        [gnu_time, "-f", "%M", *args],
        check=False,
        env=env,
        cwd=cwd,
        text=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    lines = [ln for ln in proc.stderr.strip().splitlines() if ln.strip().isdigit()]
    return int(lines[-1]) if lines else 0


class Baseline:
    """Another revision of stance, checked out in a git worktree, to time back to back.

    This machine's speed drifts by a quarter within an hour, so a comparison means
    something only when both versions run alternately on the same input.
    """

    def __init__(self, rev: str, tmp: Path) -> None:
        self.rev = rev
        self.tree = tmp / "baseline"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(self.tree), rev],
            check=True,
            capture_output=True,
        )
        self.env = {**os.environ, "PYTHONPATH": str(self.tree)}

    def command(self) -> list[str]:
        """Its CLI (run it in ``self.tree``: ``-m`` looks in the working directory first)."""
        return [sys.executable, "-m", "stance"]

    def close(self) -> None:
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(self.tree)],
            check=False,
            capture_output=True,
        )


def timed(
    args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of a command."""
    t = time.perf_counter()
    rss = peak_rss_of(args, env, cwd)
    return time.perf_counter() - t, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    parser.add_argument("--times", type=int, default=10, help="replication for the large run")
    parser.add_argument("--quick", action="store_true", help="skip the 10x runs")
    parser.add_argument(
        "--baseline", metavar="REV", help="also time this git revision, back to back"
    )
    args = parser.parse_args()
    data = args.data or shared_dir() / "data" / "news" / "bbc-news.jsonl"
    stance_bin = str(Path(sys.executable).parent / "stance")
    lines = ["# Benchmark results", ""]
    import numpy
    import sklearn

    lines += [
        f"- machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, scikit-learn {sklearn.__version__}, "
        f"numpy {numpy.__version__}",
        f"- command: `{' '.join([Path(sys.executable).name, *sys.argv])}`",
        f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
    ]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        baseline = Baseline(args.baseline, tmp) if args.baseline else None
        inputs: list[tuple[str, Path, list[dict]]] = []
        corpus = corpus_records()
        inputs.append(("project corpus", replicate(corpus, 1, tmp / "corpus.jsonl"), corpus))
        if data.exists():
            bbc = load_jsonl(data)
            inputs.insert(0, ("BBC news", data, bbc))
        else:
            lines += [f"BBC data not found at {data}: BBC rows skipped (set STANCE_SHARED).", ""]
        for name, path, records in inputs:
            size_mb = path.stat().st_size / 1e6
            lines += [f"## {name}: {len(records):,} articles, {size_mb:.1f} MB", ""]
            stages = stage_times(records)
            total = sum(stages.values())
            lines += [
                "Stage shares, one process, model loaded, no start-up:",
                "",
                "| stage | seconds | share |",
                "|---|---|---|",
            ]
            for stage, seconds in stages.items():
                lines.append(f"| {stage} | {seconds:.2f} | {seconds / total:.0%} |")
            extraction = (
                stages["sentences (Punkt)"] + stages["attribution (quotes, cues, speakers)"]
            )
            lines += [
                "",
                f"Extraction alone (sentences + attribution): "
                f"**{len(records) / extraction:,.0f} articles/s**, "
                f"{size_mb / extraction:.2f} MB/s.",
                "",
            ]
            floor = regex_floor(path)
            lines += [
                f"Floor: reading the file and one plain sentence-regex scan: {floor:.2f} s "
                f"({len(records) / floor:,.0f} articles/s).",
                "",
            ]
            compared = f" | `{args.baseline}` s | speed-up" if baseline else ""
            after = f", each right after the same run of `{args.baseline}`" if baseline else ""
            lines += [
                "End to end, `stance score FILE -o out.jsonl` timed from outside "
                f"(start-up included){after}:",
                "",
                "| input | jobs | seconds | articles/s | MB/s | x regex floor | peak RSS MB"
                + compared
                + " |",
                "|---|---|---|---|---|---|---|" + ("---|---|" if baseline else ""),
            ]
            runs = [(path, len(records), size_mb, 1)]
            if not args.quick and name == "BBC news":
                big = replicate(records, args.times, tmp / "big.jsonl")
                runs.append((big, len(records) * args.times, size_mb * args.times, args.times))
            for run_path, n, mb, times in runs:
                for jobs in (1, 2):
                    cmd = [
                        stance_bin,
                        "score",
                        str(run_path),
                        "-o",
                        str(tmp / "out.jsonl"),
                        "--jobs",
                        str(jobs),
                        "--no-progress",
                    ]
                    before = ""
                    if baseline is not None:
                        old, _ = timed([*baseline.command(), *cmd[1:]], baseline.env, baseline.tree)
                    seconds, rss = timed(cmd)
                    if baseline is not None:
                        before = f" {old:.1f} | {old / seconds:.2f}x |"
                    ratio = seconds / (floor * times)
                    lines.append(
                        f"| {times}x | {jobs} | {seconds:.1f} | {n / seconds:,.0f} | "
                        f"{mb / seconds:.2f} | {ratio:.0f} | {rss / 1024:.0f} |{before}"
                    )
            lines.append("")
        if baseline is not None:
            baseline.close()
    lines += [
        "Peak RSS is the largest single process (GNU time `%M`); with `--jobs 2` each "
        "worker holds one model.",
        "",
    ]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

"""The Dask engine gives the local engine's rows, in order, on loopback clusters of two workers.

Starting worker processes and loading the model in each is most of the time here, so
one cluster is shared by the module; only the CLI test starts its own, as a user's
``stance score --engine dask --jobs 2`` does. The tiny session model is used throughout.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import time
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

import stance.distributed  # noqa: E402
from stance.articles import iter_records  # noqa: E402
from stance.distributed import score_records_dask, score_shards_dask, shard_paths  # noqa: E402
from stance.errors import ModelError, StanceError  # noqa: E402
from stance.score import score_paths  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
pytest.register_assert_rewrite("helpers_scoring")
pytest_plugins = ["helpers_scoring"]

ARTICLES = 40


def _write_records(path: Path, texts: list[Path]) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for number, text in enumerate(texts):
            record = {"id": text.stem, "text": text.read_text(encoding="utf-8"), "outlet": "test"}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            if number == 10:
                out.write("{not json\n")
            if number == 20:
                out.write(json.dumps({"id": "blank", "text": "   "}) + "\n")
    return path


@pytest.fixture(scope="module")
def corpus_texts(repo: Path) -> list[Path]:
    return sorted((repo / "corpus" / "articles").glob("*.txt"))[:ARTICLES]


@pytest.fixture(scope="module")
def records_file(tmp_path_factory: pytest.TempPathFactory, corpus_texts: list[Path]) -> Path:
    """~40 corpus articles as JSONL, with a malformed line and an empty record among them."""
    return _write_records(tmp_path_factory.mktemp("dask") / "articles.jsonl", corpus_texts)


@pytest.fixture(scope="module")
def local_rows(records_file: Path, tiny_model_dir: Path) -> list[dict]:
    return list(score_paths([records_file], model=tiny_model_dir, engine="local"))


@pytest.fixture(scope="module")
def cluster():
    """Two loopback worker processes, one thread each, kept for the module."""
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
    ) as local:
        yield local


def test_local_rows_include_the_error_rows(local_rows):
    errors = [row["error"] for row in local_rows if "error" in row]
    assert len(errors) == 2 and "malformed JSON" in errors[0] and "empty" in errors[1]


def test_dask_rows_equal_local_rows_including_errors(
    records_file, local_rows, cluster, tiny_model_dir
):
    rows = list(
        score_paths(
            [records_file],
            model=tiny_model_dir,
            engine="dask",
            jobs=2,
            scheduler=cluster.scheduler_address,
            batch_size=4,
        )
    )
    assert rows == local_rows


def test_in_memory_model_is_scattered_and_scores_the_same(
    records_file, local_rows, cluster, tiny_model
):
    records = score_records_dask(
        iter_records([records_file]),
        tiny_model,
        jobs=2,
        batch_size=8,
        scheduler=cluster.scheduler_address,
    )
    rows = [row for record in records for row in record]
    assert rows == local_rows


def test_shards_read_on_workers_give_the_same_rows(tmp_path, corpus_texts, cluster, tiny_model_dir):
    first = _write_records(tmp_path / "part-0.jsonl", corpus_texts[:15])
    second = _write_records(tmp_path / "part-1.jsonl", corpus_texts[15:25])
    expected = list(score_paths([first, second], model=tiny_model_dir))
    shards = shard_paths([tmp_path])
    records = score_shards_dask(shards, tiny_model_dir, jobs=2, scheduler=cluster.scheduler_address)
    assert shards == [first, second]
    assert [row for record in records for row in record] == expected


def test_shard_paths_refuses_a_text_file(tmp_path):
    (tmp_path / "one.txt").write_text("The minister praised the pact.", encoding="utf-8")
    with pytest.raises(StanceError, match="not a .jsonl or .csv shard"):
        shard_paths([tmp_path])


def test_unreachable_scheduler_fails_within_seconds(records_file, tiny_model_dir):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    started = time.monotonic()
    with pytest.raises(StanceError, match=f"cannot reach the Dask scheduler at {address}"):
        list(score_paths([records_file], model=tiny_model_dir, engine="dask", scheduler=address))
    assert time.monotonic() - started < 10


def test_a_port_that_never_answers_fails_within_seconds(records_file, tiny_model_dir, monkeypatch):
    monkeypatch.setattr(stance.distributed, "CONNECT_TIMEOUT", 1)
    with socket.socket() as silent:  # the kernel accepts connections; nothing ever replies
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        address = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()
        with pytest.raises(StanceError, match="does not answer as a Dask scheduler"):
            list(
                score_paths([records_file], model=tiny_model_dir, engine="dask", scheduler=address)
            )
    assert time.monotonic() - started < 6


def test_missing_model_fails_before_starting_workers(records_file, tmp_path):
    started = time.monotonic()
    with pytest.raises(ModelError, match="no model file"):
        list(score_paths([records_file], model=tmp_path, engine="dask", jobs=2))
    assert time.monotonic() - started < 2


def test_missing_dask_names_the_extra(records_file, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(StanceError, match=r"pip install \"stance\[dask\]\""):
        list(score_paths([records_file], engine="dask", jobs=2))


def test_cli_dask_output_equals_local_output(records_file, tmp_path, tiny_model_dir, score_cli):
    outputs = {}
    for engine in ("local", "dask"):
        out = tmp_path / f"{engine}.jsonl"
        result = score_cli(
            "score",
            records_file,
            "--model",
            tiny_model_dir,
            "--engine",
            engine,
            "--jobs",
            2,
            "-o",
            out,
        )
        assert result.exit_code == 1, result.output  # the two error rows
        assert "2 of 42 inputs could not be scored" in result.stderr
        outputs[engine] = out.read_bytes()
    assert outputs["dask"] == outputs["local"]
    assert outputs["dask"].count(b"\n") > 2 * ARTICLES


def test_killed_worker_loses_and_doubles_no_rows(records_file, local_rows, cluster, tiny_model_dir):
    # last: the nanny restarts the killed worker, which then reloads the model
    stream = score_paths(
        [records_file],
        model=tiny_model_dir,
        engine="dask",
        jobs=2,
        scheduler=cluster.scheduler_address,
        batch_size=2,
    )
    rows = [next(stream)]  # the cluster is at work now, with more batches in flight
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        busy = [worker for worker, keys in client.processing().items() if keys]
        assert busy, "no task in flight to interrupt"
        nanny = next(n for n in cluster.workers.values() if n.worker_address == busy[0])
        os.kill(nanny.process.pid, signal.SIGKILL)  # mid-task
        rows.extend(stream)
        assert busy[0] not in client.scheduler_info()["workers"]
    assert rows == local_rows

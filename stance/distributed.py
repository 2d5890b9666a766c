"""The Dask engine: the local engine's ordered rows, scored by the workers of a Dask cluster.

Records are read here and sent in batches, one task per batch; each worker loads
the model once (from a directory path, or a copy scattered to it once) and calls
the same :func:`stance.score.score_batch` as the local engine, so the rows are
identical. Results are collected batch by batch in input order with a bounded
number of batches in flight, so memory stays flat however long the input is, and
a batch whose worker dies is simply run again elsewhere: no row is lost or doubled.

For corpora too big to read in one process, :func:`score_shards_dask` sends file
*names*: each worker reads and scores a whole ``.jsonl``/``.csv`` shard itself.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stance.articles import DEFAULT_MAX_BYTES, expand_inputs, iter_records
from stance.errors import InputError, ModelError, StanceError
from stance.model import FrameModel
from stance.score import DEFAULT_BATCH, Row, batched, cached_model, error_row, score_batch
from stance.types import Article

if TYPE_CHECKING:
    from distributed import Client, Future

log = logging.getLogger(__name__)

INSTALL_HINT = 'the dask engine needs dask[distributed]: pip install "stance[dask]"'
CONNECT_TIMEOUT = 5  # seconds to reach a scheduler before giving up
RETRIES = 2  # a task that raises is run again this many times (a dead worker's tasks always are)
RESIZE_EVERY = 10.0  # seconds between looks at the cluster's size (adaptive clusters grow)
SHARD_SUFFIXES = (".jsonl", ".csv")

ModelRef = Any  # a model directory path (str) or the Future of a scattered FrameModel


def score_records_dask(
    records: Iterable[Article | InputError],
    model: FrameModel | str | Path | None,
    *,
    jobs: int,
    batch_size: int = DEFAULT_BATCH,
    scheduler: str | None = None,
) -> Iterator[list[Row]]:
    """The rows of each record, in input order, one list per record, scored on Dask.

    Parameters
    ----------
    records
        Articles, or InputErrors standing for inputs that could not be read (they
        become error rows here and are never sent to a worker).
    model
        A model directory (None: :func:`stance.persist.default_model_dir` as seen
        here; workers must find it at the same path), or a loaded FrameModel, which
        is copied once to every worker.
    jobs
        Worker processes of the local cluster started when ``scheduler`` is None;
        with a scheduler, the cluster's own workers are used (and at least
        ``2 * jobs + 2`` batches are kept in flight).
    batch_size
        Records per task (one classifier call each).
    scheduler
        Address of a running Dask scheduler (``tcp://host:8786``); None starts a
        loopback-only ``LocalCluster`` and closes it at the end, also on error.

    Raises
    ------
    StanceError
        When dask[distributed] is not installed or the scheduler cannot be reached.
    ModelError
        When the model cannot be loaded (here, or on a worker).
    """
    _require_distributed()
    if scheduler is None and not isinstance(model, FrameModel):
        _check_model_dir(_model_path(model))  # fail before starting any worker
    with _dask_client(scheduler, jobs) as client:
        shipped = _shipped_model(client, model)
        tasks = (_batch_task(batch, shipped) for batch in batched(records, batch_size))
        for batch, articles_rows in _in_order(client, tasks, jobs):
            rows = iter(articles_rows)
            for record in batch:
                yield [error_row(record)] if isinstance(record, InputError) else next(rows)


def shard_paths(inputs: Iterable[str | Path]) -> list[Path]:
    """The ``.jsonl``/``.csv`` files of ``inputs`` (files, directories, globs), in order.

    Raises
    ------
    StanceError
        When an input is not a shard (``-``, a ``.txt`` file, a directory holding
        ``.txt`` files) or nothing matches.
    """
    items = [str(i) for i in inputs]
    shards: list[Path] = []
    for item in expand_inputs(items):
        path = Path(item)
        if item == "-" or path.suffix not in SHARD_SUFFIXES:
            raise StanceError(
                f"{item}: not a .jsonl or .csv shard; shards are read on the workers, so "
                "give record files (score .txt files and stdin with score_records_dask)"
            )
        shards.append(path)
    if not shards:
        raise StanceError(f"no .jsonl or .csv shards in {', '.join(items) or 'the inputs'}")
    return shards


def score_shards_dask(
    shards: Iterable[str | Path],
    model: FrameModel | str | Path | None,
    *,
    jobs: int,
    scheduler: str | None = None,
    encoding: str = "utf-8",
    max_bytes: int = DEFAULT_MAX_BYTES,
    id_column: str = "id",
    text_column: str = "text",
    batch_size: int = DEFAULT_BATCH,
) -> Iterator[list[Row]]:
    """The rows of each record of each shard, in order, with every shard read on a worker.

    One task per shard: the worker reads the file with
    :func:`stance.articles.iter_records`, scores it in batches of ``batch_size`` and
    sends back all its rows, so the articles never pass through this process (the
    rows do). Shards must be at the same path on every worker (a shared file
    system). The stream is the same as ``score_records_dask`` over the same files.

    A shard is the unit of retry, of parallelism and of memory: a worker holds a
    whole shard's rows before sending them, and a dead worker's shard is redone
    from its start. Shards of 10,000 to 100,000 articles, many more of them than
    workers, keep all of these small.
    """
    paths = [str(p) for p in shards]
    _require_distributed()
    if scheduler is None and not isinstance(model, FrameModel):
        _check_model_dir(_model_path(model))
    options = {
        "encoding": encoding,
        "max_bytes": max_bytes,
        "id_column": id_column,
        "text_column": text_column,
        "batch_size": batch_size,
    }
    with _dask_client(scheduler, jobs) as client:
        shipped = _shipped_model(client, model)
        tasks = ((path, (_score_shard_on_worker, path, shipped), options) for path in paths)
        for _path, records_rows in _in_order(client, tasks, jobs):
            yield from records_rows


# ---------------------------------------------------------------- on the workers


def _score_articles_on_worker(articles: Sequence[Article], model: ModelRef) -> list[list[Row]]:
    """One batch's rows per article (runs on a worker)."""
    return score_batch(articles, _loaded(model))


def _score_shard_on_worker(
    path: str,
    model: ModelRef,
    *,
    encoding: str,
    max_bytes: int,
    id_column: str,
    text_column: str,
    batch_size: int,
) -> list[list[Row]]:
    """One shard's rows per record, read and scored on a worker."""
    loaded = _loaded(model)
    records = iter_records(
        [path], encoding=encoding, max_bytes=max_bytes, id_column=id_column, text_column=text_column
    )
    out: list[list[Row]] = []
    for batch in batched(records, batch_size):
        out.extend(score_batch(batch, loaded))
    return out


def _loaded(model: ModelRef) -> FrameModel:
    """The worker's model: the scattered copy, or the directory loaded once per process."""
    if isinstance(model, FrameModel):
        return model
    try:
        return cached_model(model)
    except ModelError as err:
        raise ModelError(
            f"{err} (on Dask worker {_worker_address()}; every worker needs the "
            "model at this same path: pass --model DIR that they all can read)"
        ) from None


def _worker_address() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except ValueError:  # not inside a worker
        return "?"


# ---------------------------------------------------------------- here


Task = tuple[Any, tuple[Any, ...] | None, dict[str, Any]]  # (what to keep, call or None, kwargs)


def _batch_task(batch: list[Article | InputError], model: ModelRef) -> Task:
    """Only the batch's articles travel; its InputErrors (not picklable) stay here."""
    articles = [r for r in batch if isinstance(r, Article)]
    call = (_score_articles_on_worker, articles, model) if articles else None
    return batch, call, {}


def _in_order(client: Client, tasks: Iterator[Task], jobs: int) -> Iterator[tuple[Any, Any]]:
    """(kept, result) of each task in submission order, with a bounded window in flight.

    A task whose worker dies is rescheduled by Dask; a task that raises is retried
    ``RETRIES`` times and then raises here. Results are taken strictly in order,
    so each task's rows are yielded exactly once.
    """
    window = _Window(client, jobs)
    pending: deque[tuple[Any, Future | None]] = deque()
    try:
        for kept, call, kwargs in tasks:
            future = None
            if call is not None:
                future = client.submit(*call, **kwargs, pure=False, retries=RETRIES)
            pending.append((kept, future))
            while len(pending) >= window.size():
                yield _collect(pending.popleft())
        while pending:
            yield _collect(pending.popleft())
    finally:
        futures = [f for _, f in pending if f is not None]
        if futures:  # stopped early: do not leave our work running on a shared cluster
            client.cancel(futures)


def _collect(item: tuple[Any, Future | None]) -> tuple[Any, Any]:
    """(kept, the task's result); the cluster's own failures become one-line StanceErrors."""
    from concurrent.futures import CancelledError

    from distributed import KilledWorker

    kept, future = item
    if future is None:
        return kept, []
    try:
        return kept, future.result()
    except KilledWorker as err:
        raise StanceError(
            f"a task killed the workers that ran it ({_one_line(err)}); out of memory? "
            "lower --batch-size or give the workers more memory"
        ) from None
    except CancelledError as err:
        raise StanceError(
            f"a task was cancelled ({_one_line(err)}); did the scheduler or cluster stop?"
        ) from None


class _Window:
    """How many tasks to keep in flight: two per worker thread (at least 2 * jobs + 2)."""

    def __init__(self, client: Client, jobs: int) -> None:
        self.client = client
        self.floor = 2 * jobs + 2
        self.value = self.floor
        self.checked = float("-inf")

    def size(self) -> int:
        now = time.monotonic()
        if now - self.checked > RESIZE_EVERY:
            self.checked = now
            threads = sum(self.client.nthreads().values())
            self.value = max(self.floor, 2 * threads + 2)
        return self.value


@contextmanager
def _dask_client(scheduler: str | None, jobs: int) -> Iterator[Client]:
    """A Client of ``scheduler``, or of a loopback LocalCluster; closed on the way out."""
    _require_distributed()
    from distributed import Client, LocalCluster

    if scheduler is None:
        # no dashboard; the scheduler's small HTTP server (health, metrics) takes a free
        # loopback port rather than 8787, which another cluster may hold
        cluster = LocalCluster(
            n_workers=jobs,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        )
        log.info(
            "started a local Dask cluster at %s with %d workers", cluster.scheduler_address, jobs
        )
        try:
            with Client(cluster, set_as_default=False) as client:
                yield client
        finally:
            with _quiet_worker_exit():
                cluster.close()
        return
    problem = _scheduler_problem(scheduler)
    if problem is None:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, ValueError) as err:
            problem = _one_line(err)
    if problem is not None:
        raise StanceError(
            f"cannot reach the Dask scheduler at {scheduler}: {problem}; "
            "is it running, and is --scheduler tcp://HOST:PORT right?"
        )
    try:
        yield client
    finally:
        client.close()


def _scheduler_problem(address: str) -> str | None:
    """Why no Dask scheduler answers at ``address`` within seconds, or None when one does.

    A bare handshake with a deadline, because a Client connecting to a service that
    accepts the connection but never answers (a dashboard or other HTTP port) waits forever.
    """
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from distributed.comm import connect
    from distributed.security import Security

    tls = Security().get_connection_args("client")  # as a Client would, from the dask config

    async def handshake() -> None:
        comm = await asyncio.wait_for(
            connect(address, timeout=CONNECT_TIMEOUT, **tls), CONNECT_TIMEOUT + 2
        )
        await comm.close()

    try:
        with ThreadPoolExecutor(1) as thread:  # its own event loop, even under Jupyter's
            thread.submit(asyncio.run, handshake()).result()
    except TimeoutError:
        return (
            "something there accepts connections but does not answer as a Dask scheduler "
            "(a dashboard port? schedulers listen on 8786 by default)"
        )
    except (OSError, ValueError) as err:
        return _one_line(err)
    except Exception as err:  # another kind of server's bytes read as a Dask message
        return f"something there does not answer as a Dask scheduler ({type(err).__name__})"
    return None


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split()) or type(err).__name__


class _SlowExitFilter(logging.Filter):
    """Drops the nanny's warning that a finished worker took long to exit (it is killed)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Worker process still alive after")


@contextmanager
def _quiet_worker_exit() -> Iterator[None]:
    """While our local cluster closes: workers that have loaded scikit-learn can take
    more than the nanny's 4 s to exit on a busy machine, which says nothing about the
    results."""
    nanny_log = logging.getLogger("distributed.nanny")
    quiet = _SlowExitFilter()
    nanny_log.addFilter(quiet)
    try:
        yield
    finally:
        nanny_log.removeFilter(quiet)


def _require_distributed() -> None:
    """Raise the install hint when dask[distributed] is missing."""
    try:
        import distributed  # noqa: F401
    except ImportError as err:
        raise StanceError(INSTALL_HINT) from err


def _shipped_model(client: Client, model: FrameModel | str | Path | None) -> ModelRef:
    """What tasks get: a directory path, or a FrameModel scattered once to every worker."""
    if isinstance(model, FrameModel):
        return client.scatter(model, broadcast=True)
    return str(_model_path(model))


def _model_path(model: str | Path | None) -> Path:
    from stance.persist import default_model_dir

    # absolute: the workers' working directory is not ours
    return Path(model).absolute() if model is not None else default_model_dir().absolute()


def _check_model_dir(path: Path) -> None:
    """Fail fast, before starting workers, when the directory holds no model file."""
    from stance.persist import MODEL_FILE

    if not (path.is_file() or (path / MODEL_FILE).is_file()):
        raise ModelError(
            f"{path / MODEL_FILE}: no model file; pass --model DIR (a directory "
            "written by `stance train`) or set STANCE_MODEL"
        )

"""Library errors: each says what went wrong, where, and how to fix it."""

from __future__ import annotations

from pathlib import Path


class StanceError(Exception):
    """Base class of every error the library raises on purpose."""


class InputError(StanceError):
    """An input that cannot be read or scored (empty, binary, not UTF-8, too big...)."""

    def __init__(self, source: str | Path, problem: str, *, line: int | None = None) -> None:
        self.source = str(source)
        self.line = line
        self.problem = problem
        where = f"{self.source}:{line}" if line is not None else self.source
        super().__init__(f"{where}: {problem}")

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # survive pickling (joblib, Dask, Spark workers): rebuild from the fields
        return (_rebuild, (type(self), self.source, self.problem, self.line))


def _rebuild(cls: type[InputError], source: str, problem: str, line: int | None) -> InputError:
    return cls(source, problem, line=line)


class CorpusError(InputError):
    """A corpus or gold file that breaks the format or the codebook."""


class ModelError(StanceError):
    """A model directory that is missing, unreadable or not trusted."""

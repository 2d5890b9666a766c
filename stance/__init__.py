"""stance: who says what in the news, and how they frame it.

>>> import stance
>>> [s.kind for s in stance.extract_statements("Critics said the deal was a mistake.")]
['indirect']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Article",
    "ArticleAnalysis",
    "FrameModel",
    "FramePrediction",
    "Framing",
    "Span",
    "Statement",
    "StanceError",
    "analyze",
    "extract_statements",
    "load_model",
    "score_paths",
    "FRAMES",
    "KINDS",
]

_LAZY = {
    "extract_statements": "stance.attribution",
    "analyze": "stance.score",
    "ArticleAnalysis": "stance.score",
    "score_paths": "stance.score",
    "load_model": "stance.persist",
    "FrameModel": "stance.model",
    "StanceError": "stance.errors",
    "Article": "stance.types",
    "Span": "stance.types",
    "Statement": "stance.types",
    "Framing": "stance.types",
    "FramePrediction": "stance.types",
    "FRAMES": "stance.types",
    "KINDS": "stance.types",
}

if TYPE_CHECKING:
    from stance.attribution import extract_statements
    from stance.errors import StanceError
    from stance.model import FrameModel
    from stance.persist import load_model
    from stance.score import ArticleAnalysis, analyze, score_paths
    from stance.types import FRAMES, KINDS, Article, FramePrediction, Framing, Span, Statement


def __getattr__(name: str) -> Any:
    # imported on first use, so `import stance` and `stance --help` stay fast
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'stance' has no attribute {name!r}")

"""NLTK's Punkt and Snowball modules without the cost of ``import nltk``.

``import nltk`` runs a package ``__init__`` that imports most of NLTK and SciPy's
statistics (about 3 s of start-up, paid by every command and every worker). The
two modules stance uses need none of that. When NLTK is not imported yet, they are
loaded with short-lived stand-ins for their parent packages; all of it is then
removed from ``sys.modules``, so a later ``import nltk`` anywhere loads the real,
complete package as usual.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types
from typing import Any

_LOCK = threading.Lock()


def _load(module_name: str) -> Any:
    if "nltk" in sys.modules:
        return importlib.import_module(module_name)
    with _LOCK:
        if module_name in sys.modules:
            return sys.modules[module_name]
        spec = importlib.util.find_spec("nltk")
        if spec is None or not spec.submodule_search_locations:
            raise ImportError("nltk is not installed: pip install nltk")
        root = list(spec.submodule_search_locations)[0]
        before = set(sys.modules)
        stand_ins = {}
        for name, sub in (
            ("nltk", ""),
            ("nltk.tokenize", "/tokenize"),
            ("nltk.stem", "/stem"),
            ("nltk.corpus", "/corpus"),
        ):
            module = types.ModuleType(name)
            module.__path__ = [root + sub]
            if name == "nltk.corpus":
                module.stopwords = None  # type: ignore[attr-defined]  # only for ignore_stopwords
            stand_ins[name] = module
            sys.modules[name] = module
        try:
            return importlib.import_module(module_name)
        finally:
            # forget everything loaded here: a later `import nltk` loads it all afresh,
            # so the real package and its attributes are complete; our copy lives on
            # through the references the caller keeps
            for name in set(sys.modules) - before:
                if name == "nltk" or name.startswith("nltk."):
                    del sys.modules[name]


def punkt_module() -> Any:
    """``nltk.tokenize.punkt``."""
    return _load("nltk.tokenize.punkt")


def snowball_module() -> Any:
    """``nltk.stem.snowball``."""
    return _load("nltk.stem.snowball")

"""Digests of what the hot path produces on the corpus: statement rows and feature dicts.

Speed work must not change a single output row. ``test_hot_path.py`` recomputes
these digests and compares them with ``data/hot_path_digests.json``; after an
intended change of behaviour, regenerate the file and review the diff:

    python tests/hot_path_digests.py --update
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DIGESTS = Path(__file__).resolve().parent / "data" / "hot_path_digests.json"


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def compute() -> dict[str, dict[str, str]]:
    """Per corpus article: digest of its extracted rows, and of its statements' features."""
    sys.path.insert(0, str(REPO))
    from stance.articles import make_article
    from stance.attribution import extract_statements
    from stance.features import StatementFeaturizer

    featurizer = StatementFeaturizer().fit([])
    out = {}
    for path in sorted((REPO / "corpus" / "articles").glob("*.txt")):
        article = make_article(path.stem, path.read_text(encoding="utf-8"))
        statements = extract_statements(article)
        features = [
            sorted((name, float(value)) for name, value in f.items())  # 2 and 2.0 alike
            for f in featurizer.transform(statements)
        ]
        out[path.stem] = {
            "rows": _digest([s.to_row() for s in statements]),
            "features": _digest(features),
        }
    return out


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit(__doc__)
    DIGESTS.write_text(json.dumps(compute(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {DIGESTS}")

"""Speed work changes no output: rows and features on the corpus equal the recorded ones."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # tests load in importlib mode

from hot_path_digests import DIGESTS, compute  # noqa: E402


def test_rows_and_features_on_the_corpus_are_unchanged():
    recorded = json.loads(DIGESTS.read_text(encoding="utf-8"))
    current = compute()
    assert current.keys() == recorded.keys(), (
        "the corpus changed: run `python tests/hot_path_digests.py --update`"
    )
    changed = sorted(
        f"{article} ({what})"
        for article, digests in current.items()
        for what, digest in digests.items()
        if recorded[article][what] != digest
    )
    assert changed == [], f"{len(changed)} articles changed, e.g. {changed[:5]}"

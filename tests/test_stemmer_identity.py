"""PyStemmer (C) must stem exactly as snowballstemmer's pure-Python English stemmer.

snowballstemmer hands its work to PyStemmer when that is installed (a core dependency, for speed),
while the metric signatures name snowballstemmer's version: the two must never give different stems,
or key-fact and support scores would depend on what else is installed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.text import lexical

ROOT = Path(__file__).resolve().parents[1]


def _vocabulary() -> list[str]:
    words: set[str] = set()
    for path in sorted((ROOT / "tasks").rglob("*.txt")) + sorted((ROOT / "gold").glob("*.toml")):
        words.update(w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'\-]*", path.read_text(encoding="utf-8")))
    return sorted(words)


def test_the_active_stemmer_is_the_c_one():
    pytest.importorskip("Stemmer")
    assert type(lexical._stemmer()).__module__ == "Stemmer"


def test_c_stems_equal_pure_python_stems_on_the_benchmark_vocabulary():
    pytest.importorskip("Stemmer")
    from snowballstemmer.english_stemmer import EnglishStemmer

    words = _vocabulary()
    assert len(words) > 5000
    pure = EnglishStemmer()
    fast = lexical._stemmer()
    differ = [(w, pure.stemWord(w), s) for w, s in zip(words, fast.stemWords(words)) if pure.stemWord(w) != s]
    assert differ == []

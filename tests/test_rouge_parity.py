"""The fast ROUGE backend (rouge-score-rs) must give exactly rouge-score's numbers.

rouge-score is the outside truth here: a fixed, varied corpus (lengths, punctuation,
numbers, Unicode, empty strings, repeated words, several lines, 1-4 references) is
scored through ``bench.metrics.rouge.Rouge`` with each backend, and every P/R/F of
every ROUGE type must be equal, not merely close, with stemming on and off and with
both multi-reference modes.
"""

from __future__ import annotations

import random

import pytest

from bench.core.model import Document, Gold, Reference, Task
from bench.metrics.base import ScoreItem
from bench.metrics.rouge import ROUGE_TYPES, Rouge

WORDS = (
    "the a of and to in Trump Putin Ukraine ceasefire talks said would call Monday officials "
    "running runs ran runner generalization generalize general organizations organized "
    "happily happiness caresses ponies cats agreed agreement agreeing killed killing kills "
    "Zelensky Kremlin NATO EU Istanbul prisoner swap demands troops withdraw territory"
).split()
ODD_TOKENS = [
    "2025", "10:00", "14:00", "3.14", "1,000", "9", "30-day", "U.S.", "e-mail", "don't", "it's",
    "café", "naïve", "Zürich", "São", "Αθήνα", "北京", "Москва", "🙂", "—", "“quoted”", "(bracket)",
    "$5", "50%", "#tag", "@user", "x86_64", "ÉCOLE", "straße", "ﬁnance", "I", "a", "an",
]
PUNCT = [".", ",", ";", ":", "!", "?", "...", " -", ""]
EDGE_TEXTS = [
    "",
    " ",
    "\n\n",
    ".",
    "!!! ??? ...",
    "the the the the the the",
    "Αθήνα 北京 Москва",
    "2025 2025 2025",
    "One sentence without end",
    "Line one\nLine two\n\nLine three.",
    "A. B. C. D.",
    "running runs ran",
]


def _sentence(rng: random.Random) -> str:
    n = rng.randint(1, 25)
    words = []
    for _ in range(n):
        roll = rng.random()
        if roll < 0.15:
            words.append(rng.choice(ODD_TOKENS))
        elif roll < 0.2 and words:
            words.append(words[-1])  # a repeated word
        else:
            word = rng.choice(WORDS)
            words.append(word.upper() if rng.random() < 0.05 else word)
    return " ".join(words) + rng.choice(PUNCT)


def _text(rng: random.Random) -> str:
    if rng.random() < 0.08:
        return rng.choice(EDGE_TEXTS)
    sentences = [_sentence(rng) for _ in range(rng.randint(1, 9))]
    joiner = rng.choice([" ", "\n", "  ", " \n"])
    return joiner.join(sentences)


def corpus(n: int = 240, seed: int = 20261123) -> list[ScoreItem]:
    """A deterministic corpus: summaries with 1-4 references, edge cases first."""
    rng = random.Random(seed)
    task = Task(id="parity", title="parity", documents=(Document(id="d", text="x"),))
    items = []
    for i, edge in enumerate(EDGE_TEXTS):  # each edge case as summary, and as a reference
        refs = (Reference(id="r0", text=_text(rng)), Reference(id="r1", text=edge))
        items.append(ScoreItem(task, Gold(task="parity", references=refs), edge, f"edge-{i}"))
    for i in range(n):
        refs = tuple(Reference(id=f"r{j}", text=_text(rng)) for j in range(rng.randint(1, 4)))
        summary = _text(rng)
        if rng.random() < 0.1:  # a summary copied from a reference, possibly with extra text
            summary = refs[0].text + rng.choice(["", " " + _sentence(rng)])
        items.append(ScoreItem(task, Gold(task="parity", references=refs), summary, f"item-{i}"))
    return items


CORPUS = corpus()


def test_corpus_is_varied() -> None:
    texts = [item.summary for item in CORPUS]
    assert "" in texts
    assert any("\n" in t for t in texts)
    assert any(not t.isascii() for t in texts)
    assert any(any(ch.isdigit() for ch in t) for t in texts)
    assert {len(item.gold.references) for item in CORPUS} == {1, 2, 3, 4}
    assert max(len(t.split()) for t in texts) > 100


@pytest.mark.parametrize("stemmer", [True, False], ids=["stem", "nostem"])
@pytest.mark.parametrize("multi_ref", ["max", "mean"])
def test_backends_give_identical_numbers(stemmer: bool, multi_ref: str) -> None:
    reference = Rouge(stemmer=stemmer, multi_ref=multi_ref, backend="rouge-score")
    fast = Rouge(stemmer=stemmer, multi_ref=multi_ref, backend="rouge-score-rs")
    expected = [r.values for r in reference.score_batch(CORPUS)]
    got = [r.values for r in fast.score_batch(CORPUS)]
    keys = {f"{t}_{s}" for t in ROUGE_TYPES for s in "prf"}
    assert len(got) == len(expected) == len(CORPUS)
    mismatches = [
        (item.summary_id, key, want[key], have[key])
        for item, want, have in zip(CORPUS, expected, got)
        for key in sorted(keys)
        if want[key] != have[key]
    ]
    assert set(expected[0]) == keys
    assert not mismatches, f"{len(mismatches)} differences, first: {mismatches[:5]}"
    # the corpus exercises real overlap, not only zeros
    assert sum(v["rouge2_f"] > 0 for v in expected) > len(CORPUS) // 3
    assert sum(v["rougeLsum_f"] == 1.0 for v in expected) >= 1


def test_one_by_one_equals_batch() -> None:
    """Scoring in one batch or item by item gives the same numbers (no cross-item state)."""
    fast = Rouge(backend="rouge-score-rs")
    batch = [r.values for r in fast.score_batch(CORPUS[:60])]
    single = [fast.score(item).values for item in CORPUS[:60]]
    assert batch == single


def test_signature_names_the_backend() -> None:
    assert "impl:rouge-score-rs-" in Rouge(backend="rouge-score-rs").signature()
    assert "impl:rouge-score-" in Rouge(backend="rouge-score").signature()
    assert Rouge(backend="rouge-score").signature() != Rouge(backend="rouge-score-rs").signature()

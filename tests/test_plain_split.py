"""The fast sentence split (bench/text/plain_split.py) must give nupunkt's sentences exactly.

rougeLsum's numbers depend on the split, so the cheap path is only allowed where it provably
agrees with nupunkt. Each test compares ``bench.text.sentences`` with nupunkt run on every whole
line: the ROUGE parity corpus, every MultiLing 2011 peer and model summary (when the release is
beside the repo), the SummHay documents the benchmark draws from, and generated text built to
hit nupunkt's special cases (abbreviations, initials, numbers, decimals, quotes, ellipses,
list enumerators, "!"/"?", the model's own collocations, newlines).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_rouge_parity import CORPUS

from bench.text import _BULLET, _punkt, _punkt_split, sentences
from bench.text.plain_split import split_line

REPO = Path(__file__).resolve().parent.parent
PARAMS = _punkt()._params
MULTILING = (Path(os.environ["SUMBENCH_SHARED"]) if os.environ.get("SUMBENCH_SHARED") else REPO.parent / "shared") / "data" / "multiling2011_en"


def nupunkt_sentences(text: str) -> list[str]:
    """What ``sentences`` returned before the fast path: nupunkt on each whole line."""
    out: list[str] = []
    for line in text.splitlines():
        line = _BULLET.sub("", line).strip()
        if line:
            out.extend(_punkt_split(line))
    return out


def mismatches(texts: list[str]) -> list[tuple[str, list[str], list[str]]]:
    from bench.text import _split_line

    _split_line.cache_clear()  # each text goes through the fast path, not a cached answer
    return [(t, sentences(t), nupunkt_sentences(t)) for t in texts if sentences(t) != nupunkt_sentences(t)]


def test_parity_corpus_splits_like_nupunkt() -> None:
    texts = [item.summary for item in CORPUS] + [r.text for item in CORPUS for r in item.gold.references]
    assert not mismatches(texts)


@pytest.mark.skipif(not (MULTILING / "peer_summaries").is_dir(), reason="MultiLing 2011 release not beside the repo")
def test_multiling_summaries_split_like_nupunkt() -> None:
    files = [p for folder in ("peer_summaries", "model_summaries") for p in sorted((MULTILING / folder).rglob("*")) if p.is_file()]
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
    assert len(texts) >= 100
    assert not mismatches(texts)


def test_benchmark_documents_split_like_nupunkt() -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from synth import _load_topics

    texts = [d["text"] for t in _load_topics() for d in t["docs"]]
    assert not mismatches(texts)


def test_fast_path_takes_plain_lines_and_leaves_hard_ones_to_nupunkt() -> None:
    """The cut is made without nupunkt where it is sure, and only there."""
    calls: list[str] = []

    def spy(span: str) -> tuple[str, ...]:
        calls.append(span)
        return _punkt_split(span)

    plain = "The talks ended on Monday. Officials said 2026. The troops withdrew? Nobody knows! It ended."
    assert split_line(plain, spy, PARAMS) == _punkt_split(plain) and not calls
    hard = "Talks began. Mr. Smith arrived at 3 p.m. on Monday. He left."
    assert split_line(hard, spy, PARAMS) == _punkt_split(hard)
    assert calls == ["Mr. Smith arrived at 3 p.m. on Monday."]  # the sure first sentence was cut off


NUMBER_COLLOCATION = next(c[1] for c in sorted(_punkt()._params.collocations) if c[0] == "##number##" and c[1].isalpha())


@pytest.mark.parametrize(
    "line",
    [
        "Talks ended. civil. Mr. Smith came.",  # a span may not start with an enumerator-like word
        "Talks ended. iv. Mr. Smith came.",
        "12. The talks ended. Mr. Smith came.",  # "12." first on the line is a list enumerator
        "civil. The talks ended. Mr. Smith came.",
        f"It rose in 2026. {NUMBER_COLLOCATION.capitalize()} friends came. Mr. Smith left.",  # a known collocation
        "He asked what? 5 men came. Mr. Smith left.",
        "Is it? yes it is. Mr. Smith left.",
        "It ended. (a). Mr. Smith came.",
        "Prices rose 3.5 percent. The U.S. economy grew. Mr. Smith came.",
        "He said no. . . The end. Dr. Who came.",
        'It ended. "Yes." Mr. Smith came.',
    ],
)
def test_each_rule_of_the_fast_path(line: str) -> None:
    """Lines that put one rule of the fast path to work, with a nupunkt span elsewhere in the line."""
    assert split_line(line, _punkt_split, PARAMS) == _punkt_split(line)


# ----------------------------------------------------------------------------- generated text

_params = PARAMS
ABBREVS = sorted(a for a in _params.abbrev_types if a.isalpha())[:: max(1, len(_params.abbrev_types) // 60)]
COLLOCATIONS = sorted(_params.collocations)[:: max(1, len(_params.collocations) // 40)]
WORDS = ["talks", "Monday", "said", "the", "civil", "mix", "iv", "Inc", "Co", "U", "I", "a", "x", "alike", "No", "St", "Dr", "Mr", "vs", "etc"]
TOKENS = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(ABBREVS).map(lambda a: a + "."),
    st.sampled_from(ABBREVS).map(str.capitalize),
    st.sampled_from(COLLOCATIONS).map(lambda c: f"{c[0]}. {c[1].capitalize()}"),
    st.sampled_from(["U.S.", "e.g.", "i.e.", "J.", "W.", "A.B.", "p.m.", "No.", "3.5", "2,500", "$8.", "45%.", "2026.", "12.", "(a).", "iv.", "1)"]),
    st.sampled_from(['"Yes."', "'no'", "(word.)", "[x]", "word.)", "end.\u201d", "\u201cQuote", "**bold.**"]),
    st.sampled_from(["...", ". . .", "\u2026", "word...", "so\u2026"]),
    st.sampled_from(["!", "?", "?!", "Yahoo!", "what?", "Why?", "Stop!"]),
    st.sampled_from(["\n", "\n\n", " - ", "1. ", "* ", "\t"]),
    st.text(alphabet="aAbZ09.!? \n", min_size=1, max_size=6),
)
JOINERS = st.sampled_from([" ", " ", " ", "  ", ". ", "! ", "? ", ".\n", " \u00a0"])


@st.composite
def texts(draw) -> str:
    parts = draw(st.lists(st.tuples(TOKENS, JOINERS), min_size=1, max_size=30))
    return "".join(token + joiner for token, joiner in parts).strip() + draw(st.sampled_from(["", ".", "!", "?", "..", '."']))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts())
def test_generated_text_splits_like_nupunkt(text: str) -> None:
    assert sentences(text) == nupunkt_sentences(text)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(WORDS + ["2026", "Talks", "US", "He"]), min_size=1, max_size=8), st.lists(st.sampled_from([". ", "! ", "? ", " "]), min_size=1, max_size=8))
def test_plain_looking_lines_split_like_nupunkt(words: list[str], ends: list[str]) -> None:
    """Lines made only of words and plain ends: the fast path's own ground, every cut weighed."""
    line = "".join(w + e for w, e in zip(words, ends)).strip()
    if line:
        assert split_line(line, _punkt_split, PARAMS) == _punkt_split(line)


def test_a_models_collocations_send_the_span_to_nupunkt() -> None:
    """The default model has no word-word collocation, so a stand-in model holds one: "alike. Next"
    must be left to nupunkt whatever the next word's form, and other followers stay sure ends."""
    from types import SimpleNamespace

    params = SimpleNamespace(abbrev_types={"inc"}, collocations={("alike", "next"), ("##number##", "dear")})
    calls: list[str] = []

    def spy(span: str) -> tuple[str, ...]:
        calls.append(span)
        return (span,)

    for line in ("It was alike. Next time. It ended.", "It was alike. Next. It ended.", "It was alike. Next's turn. It ended.", "In 2026. Dear me. It ended."):
        calls.clear()
        split_line(line, spy, params)
        assert any("alike. Next" in span or "2026. Dear" in span for span in calls), (line, calls)
    calls.clear()
    assert split_line("It was alike. Other time. Acme Inc. It ended.", spy, params) == ("It was alike.", "Other time.", "Acme Inc. It ended.")
    assert calls == ["Acme Inc. It ended."]

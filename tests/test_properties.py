"""Property tests (hypothesis): loaders, journals and every registered metric on hostile text.

Arbitrary Unicode, empty and whitespace-only text, one-word documents and
repeated sentences must never crash a loader or a metric; metric values stay in
range; ROUGE F is symmetric when one reference and the candidate swap places.
Metrics are taken from the registry at test time, so metrics added later are
covered too; one that cannot be built fails (its packages are runtime dependencies).
"""

from __future__ import annotations

import json
import math
import os
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bench.benchmark.load import load_benchmark
from bench.core.errors import InputError
from bench.core.model import Document, Gold, KeyFact, Probe, Reference, Task
from bench.core.store import TornLineWarning, dumps_line, read_jsonl
from bench.metrics import REGISTRY, build_metrics
from bench.metrics.base import ScoreItem

SLOW_METRICS = {"bertscore"}
"""Model-backed metrics: only with SUMBENCH_TEST_SLOW_METRICS=1 (minutes on CPU)."""
UNBOUNDED = {"density", "compression", "length_words", "probes_triggered"}
"""Values that are counts or ratios above 1 by definition; every other number must lie in [0, 1]."""
RANGES = {f"bertscore_{k}": (-1.0, 1.0, 1e-5) for k in ("p", "r", "f1")}
"""Cosine-based values: [-1, 1] (rescaled ones may go below 0), float32 rounding allowed (1.0000002 seen)."""

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

SPECIAL_TEXTS = [
    "",
    "   \n\t  ",
    "word",
    "Flood. " * 40,
    "The bridge closed.\nThe bridge closed.\nThe bridge closed.",
    "Ελληνικά κείμενα και 中文文本 und Umlaute äöü.",
    "\u200b\u200b\ufeff",
    "😀 🚀 — “quotes” … ¿qué?",
    "a\x00b",
]
texts = st.one_of(st.sampled_from(SPECIAL_TEXTS), st.text(max_size=300), st.text(alphabet="ab .\n", max_size=120))
sentences = st.lists(st.sampled_from(["The river rose.", "The mayor closed the bridge.", "Schools stay shut.", "Rain fell."]), min_size=1, max_size=8)


# ----------------------------------------------------------------------------- metrics


def _metric_names() -> list[str]:
    names = sorted(REGISTRY)
    if os.environ.get("SUMBENCH_TEST_SLOW_METRICS") != "1":
        names = [n for n in names if n not in SLOW_METRICS]
    return names


@pytest.fixture(scope="module")
def metrics() -> dict:
    # every metric's dependencies are runtime dependencies: one that does not build is a failure, not a skip
    built = {name: build_metrics([name], {})[0] for name in _metric_names()}
    yield built
    for metric in built.values():
        metric.close()


def make_item(summary: str, docs: list[str], reference: str) -> ScoreItem:
    task = Task(id="t", title="t", documents=tuple(Document(id=f"d{i}", text=d) for i, d in enumerate(docs)))
    gold = Gold(
        task="t",
        references=(Reference(id="r", text=reference),),
        key_facts=(KeyFact(id="f", text=reference or "x", supported_by=("d0",)),),
        probes=(Probe(id="p", kind="fabrication", claim=reference or "x"),),
    )
    return ScoreItem(task, gold, summary)


def check_values(name: str, values: dict) -> None:
    for key, value in values.items():
        if isinstance(value, bool):
            continue
        assert isinstance(value, (int, float)), f"{name}.{key} is {type(value).__name__}"
        assert math.isfinite(value), f"{name}.{key} = {value}"
        if key in RANGES:
            low, high, slack = RANGES[key]
            assert low - slack <= value <= high + slack, f"{name}.{key} = {value} outside [{low}, {high}]"
        elif key in UNBOUNDED or (isinstance(value, int) and not isinstance(value, bool)):
            assert value >= 0, f"{name}.{key} = {value}"
        else:
            assert 0.0 <= value <= 1.0 + 1e-9, f"{name}.{key} = {value} outside [0, 1]"


@SETTINGS
@given(summary=texts, docs=st.lists(texts, min_size=1, max_size=3), reference=texts)
@example(summary="", docs=[""], reference="")
@example(summary="flood", docs=["flood"], reference="flood")
def test_every_metric_survives_any_text_and_stays_in_range(metrics, summary: str, docs: list[str], reference: str) -> None:
    items = [make_item(summary, docs, reference), make_item(reference, docs[::-1], summary)]
    for name, metric in metrics.items():
        applicable = [i for i in items if metric.applicable(i.task, i.gold)]
        results = metric.score_batch(applicable)
        assert len(results) == len(applicable)
        for result in results:
            check_values(name, result.values)
        assert [r.values for r in metric.score_batch(applicable)] == [r.values for r in results], f"{name} is not deterministic"


@SETTINGS
@given(summary=st.one_of(texts, sentences.map(" ".join)), reference=st.one_of(texts, sentences.map("\n".join)))
def test_rouge_f_is_symmetric_for_one_reference(metrics, summary: str, reference: str) -> None:
    rouge = metrics["rouge"]
    there, back = rouge.score_batch([make_item(summary, ["doc"], reference), make_item(reference, ["doc"], summary)])
    for kind in ("rouge1", "rouge2", "rougeL"):
        assert there.values[f"{kind}_f"] == pytest.approx(back.values[f"{kind}_f"], abs=1e-12)
        assert there.values[f"{kind}_p"] == pytest.approx(back.values[f"{kind}_r"], abs=1e-12)


@SETTINGS
@given(parts=sentences)
def test_rouge_of_a_text_with_itself_is_one(metrics, parts: list[str]) -> None:
    text = " ".join(parts)
    values = metrics["rouge"].score_batch([make_item(text, ["doc"], text)])[0].values
    assert values["rouge1_f"] == pytest.approx(1.0) and values["rougeL_f"] == pytest.approx(1.0)


# ----------------------------------------------------------------------------- loaders


def toml_string(text: str) -> str:
    """A TOML basic string for any text (JSON escapes, plus DEL which TOML also forbids raw)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def write_task(root: Path, title: str, doc: bytes, reference: str) -> None:
    folder = root / "tasks" / "one"
    folder.mkdir(parents=True, exist_ok=True)
    (root / "gold").mkdir(exist_ok=True)
    (folder / "task.toml").write_text(
        f'id = "one"\ntitle = {toml_string(title)}\n\n[[documents]]\nid = "d"\nfile = "d.txt"\n', encoding="utf-8"
    )
    (folder / "d.txt").write_bytes(doc)
    (root / "gold" / "one.toml").write_text(
        f'task = "one"\n\n[[references]]\nid = "r"\ntext = {toml_string(reference)}\n', encoding="utf-8"
    )


@SETTINGS
@given(title=texts, doc=st.one_of(texts.map(lambda t: t.encode("utf-8")), st.binary(max_size=200)), reference=texts)
def test_loader_accepts_or_refuses_clearly(tmp_path_factory, title: str, doc: bytes, reference: str) -> None:
    root = tmp_path_factory.mktemp("prop")
    write_task(root, title, doc, reference)
    try:
        bench = load_benchmark(root)
    except InputError as exc:
        for problem in exc.problems:  # every refusal names a file and says what to do
            assert problem.file and problem.message and problem.fix
        return
    task = bench.tasks["one"]
    assert task.title == title
    assert task.documents[0].text == doc.decode("utf-8").lstrip("\ufeff")
    assert task.documents[0].text.strip() and bench.gold["one"].references[0].text.strip()


@SETTINGS
@given(data=st.binary(max_size=300))
def test_summaries_input_never_crashes(tmp_path_factory, data: bytes) -> None:
    from bench.benchmark.load import Benchmark
    from bench.execution.score_file import read_summaries

    path = tmp_path_factory.mktemp("in") / "in.jsonl"
    path.write_bytes(data)
    bench = Benchmark(root=path.parent, tasks={"one": Task(id="one", title="", documents=(Document(id="d", text="x"),))})
    try:
        items = read_summaries(path, bench)
    except InputError as exc:
        assert exc.problems[0].file.endswith("in.jsonl")
        return
    assert all(item.summary.strip() for item, _ in items)


records = st.lists(
    st.fixed_dictionaries({"task_id": st.text(max_size=10), "summary": st.text(max_size=40), "n": st.integers()}),
    min_size=1, max_size=6,
)


@SETTINGS
@given(batch=records, cut=st.integers(min_value=0, max_value=10**6))
def test_journal_cut_anywhere_keeps_every_whole_record(tmp_path_factory, batch: list[dict], cut: int) -> None:
    """A crash can stop a journal at any byte: what is read back is exactly the whole lines, and appends go on cleanly."""
    path = tmp_path_factory.mktemp("journal") / "summaries.jsonl"
    data = "".join(dumps_line(r) for r in batch).encode("utf-8")
    cut = cut % (len(data) + 1)
    path.write_bytes(data[:cut])
    ends = [len("".join(dumps_line(r) for r in batch[: i + 1]).encode("utf-8")) for i in range(len(batch))]
    whole = sum(end - 1 <= cut for end in ends)  # a record missing only its newline is whole
    torn = cut not in [0] + ends + [end - 1 for end in ends]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = read_jsonl(path, repair=True)
    assert got == batch[:whole]
    assert any(issubclass(w.category, TornLineWarning) for w in caught) == torn
    with open(path, "ab") as handle:
        handle.write(dumps_line({"task_id": "next"}).encode("utf-8"))
    assert read_jsonl(path) == batch[:whole] + [{"task_id": "next"}]

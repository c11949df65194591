"""MultiLing 2011: the shipped suite matches the release, and `sumbench score` reproduces the
official ROUGE-1.5.5 table (published_evaluation/ENGLISH_ROUGE-{1,2}.csv) within 0.002 F."""

from __future__ import annotations

import csv
import importlib.util
import json
import os
from collections import defaultdict
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = (Path(os.environ["SUMBENCH_SHARED"]) if os.environ.get("SUMBENCH_SHARED") else REPO.parent / "shared") / "data" / "multiling2011_en"
TOLERANCE = 0.002

needs_data = pytest.mark.skipif(
    not (DATA / "published_evaluation").is_dir(),
    reason=f"MultiLing 2011 release not found at {DATA} (the shared data folder beside the repo)",
)


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def official(kind: str) -> dict[str, float]:
    """System -> official F for ROUGE-1 or ROUGE-2 (only the rows the release publishes)."""
    with (DATA / "published_evaluation" / f"ENGLISH_ROUGE-{kind}.csv").open(newline="") as handle:
        return {row["runid"].split("_")[0]: float(row["f-score"]) for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def ours(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, float]]:
    """Per system, F averaged over the 10 topics, as `sumbench score` computes it with MultiLing settings."""
    from bench.cli import main

    tmp = tmp_path_factory.mktemp("multiling")
    peers = tmp / "peers.jsonl"
    lines = list(_script("multiling_peers_to_jsonl").peer_lines(DATA))
    peers.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    out = tmp / "scores"
    try:
        main(["score", "--summaries", str(peers), "--suite", "multiling2011", "--metrics", "rouge",
              "--no-stemmer", "--multi-ref", "mean", "--out", str(out)])
    except SystemExit as exc:
        assert not exc.code, f"sumbench score exited {exc.code}"
    per_system: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for line in (out / "scores.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for metric in ("rouge1_f", "rouge2_f"):
            per_system[record["id"]][metric].append(record["metrics"][metric])
    assert all(len(v["rouge1_f"]) == 10 for v in per_system.values())
    return {s: {m: sum(v) / len(v) for m, v in metrics.items()} for s, metrics in per_system.items()}


@needs_data
@pytest.mark.parametrize("kind,metric", [("1", "rouge1_f"), ("2", "rouge2_f")])
def test_every_listed_system_within_tolerance(ours: dict, kind: str, metric: str) -> None:
    table = official(kind)
    assert len(table) >= 5
    gaps = {system: abs(ours[system][metric] - value) for system, value in table.items()}
    worst = max(gaps, key=gaps.get)
    assert gaps[worst] <= TOLERANCE, f"ROUGE-{kind} {worst}: ours {ours[worst][metric]:.5f} vs official {table[worst]:.5f}"


@needs_data
@pytest.mark.parametrize("kind,metric", [("1", "rouge1_f"), ("2", "rouge2_f")])
def test_same_ranking_as_official(ours: dict, kind: str, metric: str) -> None:
    table = official(kind)
    assert sorted(table, key=lambda s: -ours[s][metric]) == sorted(table, key=lambda s: -table[s])


@needs_data
def test_all_ten_systems_scored(ours: dict) -> None:
    assert sorted(ours, key=lambda s: int(s[2:])) == [f"ID{n}" for n in range(1, 11)]


@needs_data
def test_shipped_suite_is_the_release_rebuilt(tmp_path: Path) -> None:
    """The committed tasks/gold are exactly what `sumbench pack --multiling` makes from the release."""
    from bench.benchmark.suites import multiling2011
    from bench.benchmark.writer import write_benchmark

    write_benchmark(tmp_path, multiling2011(DATA))
    built = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert len(built) == 10 * 12  # 10 tasks x (task.toml + 10 articles) + 10 gold files
    for rel in built:
        assert (REPO / rel).read_bytes() == (tmp_path / rel).read_bytes(), rel


def test_shipped_suite_shape_and_attribution() -> None:
    from bench.benchmark.load import load_benchmark

    bench = load_benchmark(REPO, suite="multiling2011")
    assert list(bench.tasks) == [f"multiling2011-m00{t}" for t in range(10)]
    for task in bench.tasks.values():
        assert len(task.documents) == 10 and task.target_words == 250 and task.title
        assert "CC BY 3.0" in task.metadata["license"] and "Giannakopoulos" in task.metadata["citation"]
        gold = bench.gold_for(task.id)
        assert [r.author for r in gold.references] == ["A", "B", "C"]
        assert all(180 <= len(r.text.split()) <= 260 for r in gold.references)


@needs_data
@pytest.mark.parametrize("stemmer,multi_ref", [(False, "mean"), (True, "max")])
def test_fast_rouge_identical_to_rouge_score_on_every_peer(stemmer: bool, multi_ref: str) -> None:
    """Every P/R/F of the 100 peer summaries x 3 references: the fast path (rouge-score-rs,
    sentence splits made once per distinct text, one native call per summary in max mode)
    equals rouge-score's own per-pair loop exactly, and the splits are nupunkt's."""
    import nupunkt

    from bench.benchmark.load import load_benchmark
    from bench.metrics.base import ScoreItem
    from bench.metrics.rouge import Rouge
    from bench.text import sentences

    bench = load_benchmark(suite="multiling2011")
    items = [ScoreItem(bench.tasks[p["task_id"]], bench.gold_for(p["task_id"]), p["summary"], p["id"])
             for p in _script("multiling_peers_to_jsonl").peer_lines(DATA)]
    assert len(items) == 100
    texts = {i.summary for i in items} | {r.text for i in items for r in i.gold.references}
    for text in texts:  # the held Punkt model splits exactly as nupunkt.sent_tokenize
        expected = [s.strip() for line in text.splitlines() if line.strip() for s in nupunkt.sent_tokenize(line.strip()) if s.strip()]
        assert sentences(text) == expected or any(line.lstrip()[:1] in "-*•·0123456789" for line in text.splitlines())
    fast = Rouge(stemmer=stemmer, multi_ref=multi_ref, backend="rouge-score-rs").score_batch(items)
    slow = Rouge(stemmer=stemmer, multi_ref=multi_ref, backend="rouge-score").score_batch(items)
    assert [r.values for r in fast] == [r.values for r in slow]

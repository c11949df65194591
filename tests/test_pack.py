"""`sumbench pack` and `sumbench export`: manifests, local datasets, offline hub names, SummHay,
and the round trip pack -> validate -> export -> load."""

from __future__ import annotations

import ast
import json
import os
import time
from pathlib import Path

import pytest

from bench.core.model import canonical_json

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ["SUMBENCH_SHARED"]) if os.environ.get("SUMBENCH_SHARED") else REPO.parent / "shared"
HAYSTACKS = SHARED / "data" / "summhay_news_haystacks"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def articles(folder: Path) -> None:
    write(folder / "storm" / "wire.txt", "Storm hits coast\n\nA storm hit the coast on Monday. Power failed in 3,000 homes.\n")
    write(folder / "storm" / "local.txt", "Cleanup begins\n\nVolunteers began clearing debris on Tuesday.\n")
    write(folder / "vote" / "one.txt", "Council approves budget\n\nThe council approved the budget 7-2.\n")
    write(folder / "refs" / "storm.txt", "A Monday storm cut power to 3,000 homes; cleanup began Tuesday.\n")


def snapshot(root: Path | str) -> dict[str, str]:
    """Every task and its gold as canonical JSON, for equality checks."""
    from bench.benchmark.load import load_benchmark

    bench = load_benchmark(root)
    return {tid: canonical_json([task, bench.gold_for(tid)]) for tid, task in bench.tasks.items()}


# ----------------------------------------------------------------------------- manifests


def test_csv_manifest_packs_tasks_and_references(cli, tmp_path: Path) -> None:
    articles(tmp_path / "src")
    write(
        tmp_path / "src" / "manifest.csv",
        "task_id,files,references,title\n"
        "storm-coast,storm/wire.txt;storm/local.txt,refs/storm.txt,Storm on the coast\n"
        "council-vote,vote/one.txt,,\n",
    )
    root = tmp_path / "out"
    code, out, err = cli("pack", "--manifest", str(tmp_path / "src" / "manifest.csv"), "--out", str(root), "--suite", "local-news", "--target-words", "60")
    assert code == 0, err
    assert "packed 2 task(s)" in out
    assert cli("tasks", "validate", "--root", str(root))[0] == 0

    from bench.benchmark.load import load_benchmark

    bench = load_benchmark(root, suite="local-news")
    storm = bench.tasks["storm-coast"]
    assert storm.title == "Storm on the coast" and storm.target_words == 60
    assert [d.id for d in storm.documents] == ["wire", "local"]
    assert storm.documents[0].text == (tmp_path / "src" / "storm" / "wire.txt").read_text()
    assert [r.text for r in bench.gold_for("storm-coast").references] == ["A Monday storm cut power to 3,000 homes; cleanup began Tuesday."]
    vote = bench.tasks["council-vote"]
    assert vote.title == "Council approves budget"  # first line of the first article
    assert bench.gold_for("council-vote").references == ()


def test_toml_manifest_and_its_errors(cli, tmp_path: Path) -> None:
    articles(tmp_path / "src")
    manifest = write(
        tmp_path / "src" / "manifest.toml",
        '[[tasks]]\nid = "storm"\nfiles = ["storm/wire.txt", "storm/local.txt"]\nreferences = ["refs/storm.txt"]\n',
    )
    code, _, err = cli("pack", "--manifest", str(manifest), "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert snapshot(tmp_path / "out")["storm"]

    write(manifest, '[[tasks]]\nid = "storm"\nfiles = ["storm/missing.txt"]\n')
    code, _, err = cli("pack", "--manifest", str(manifest), "--out", str(tmp_path / "out2"))
    assert code == 2 and "missing.txt not found" in err and len(err.strip().splitlines()) == 1

    write(manifest, '[[tasks]]\nid = "Bad Id"\nfiles = ["storm/wire.txt"]\n')
    code, _, err = cli("pack", "--manifest", str(manifest), "--out", str(tmp_path / "out3"))
    assert code == 2 and "not a valid id" in err

    # an existing task is never overwritten silently
    write(manifest, '[[tasks]]\nid = "storm"\nfiles = ["storm/wire.txt"]\n')
    code, _, err = cli("pack", "--manifest", str(manifest), "--out", str(tmp_path / "out"))
    assert code == 2 and "already exists" in err and "--force" in err
    assert cli("pack", "--manifest", str(manifest), "--out", str(tmp_path / "out"), "--force")[0] == 0
    assert len(json.loads(snapshot(tmp_path / "out")["storm"])[0]["documents"]) == 1


# ----------------------------------------------------------------------------- datasets


def multi_news_rows(n: int) -> list[dict[str, str]]:
    return [
        {
            "document": f"Row {i} first article.NEWLINE_CHARNEWLINE_CHARIt has two paragraphs. |||||  Row {i} second article. |||||  ",
            "summary": f"– Row {i} summary of both articles.",
        }
        for i in range(n)
    ]


def test_parquet_with_separator_limit_and_seed(cli, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(multi_news_rows(20)), tmp_path / "local.parquet")
    args = ("pack", "--dataset", "./local.parquet", "--docs-field", "document", "--sep", "|||||", "--summary-field", "summary", "--limit", "5")
    assert cli(*args, "--seed", "7", "--out", "a")[0] == 0
    assert cli(*args, "--seed", "7", "--out", "b")[0] == 0
    assert cli(*args, "--out", "first")[0] == 0
    a, b, first = snapshot(tmp_path / "a"), snapshot(tmp_path / "b"), snapshot(tmp_path / "first")
    assert a == b and len(a) == 5
    assert list(first) == [f"local-{i:04d}" for i in range(5)]
    rows = [int(t.rsplit("-", 1)[1]) for t in a]
    assert rows == sorted(rows) and all(0 <= r < 20 for r in rows)
    task = json.loads(a[next(iter(a))])[0]
    row = rows[0]
    assert [d["text"] for d in task["documents"]] == [f"Row {row} first article.NEWLINE_CHARNEWLINE_CHARIt has two paragraphs.", f"Row {row} second article."]
    assert task["metadata"]["row"] == row


def test_multi_news_preset_restores_newlines_and_trims_the_dash(cli, tmp_path: Path) -> None:
    lines = "".join(json.dumps(r) + "\n" for r in multi_news_rows(2))
    write(tmp_path / "mn.jsonl", lines)
    code, _, err = cli("pack", "--dataset", "mn.jsonl", "--preset", "multi_news", "--out", "root")
    assert code == 0, err
    snap = {k: json.loads(v) for k, v in snapshot(tmp_path / "root").items()}
    task, gold = snap["multi-news-0001"]
    assert task["documents"][0]["text"] == "Row 1 first article.\n\nIt has two paragraphs."
    assert gold["references"][0]["text"] == "Row 1 summary of both articles."


def test_list_fields_give_documents_and_several_references(cli, tmp_path: Path) -> None:
    rows = [
        {"key": "A-1", "docs": [{"text": "Alpha one."}, {"text": "Alpha two."}], "refs": ["Ref one.", "Ref two."], "headline": "Alpha"},
        {"key": "B-2", "docs": [], "refs": ["Nothing to summarize."], "headline": "Empty"},
    ]
    write(tmp_path / "rows.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    code, out, err = cli("pack", "--dataset", "rows.jsonl", "--docs-field", "docs", "--summary-field", "refs",
                         "--id-field", "key", "--title-field", "headline", "--prefix", "mine", "--out", "root")
    assert code == 0, err
    assert "skipped 1 row(s) without documents" in out
    task, gold = json.loads(snapshot(tmp_path / "root")["mine-a-1"])
    assert task["title"] == "Alpha" and [d["text"] for d in task["documents"]] == ["Alpha one.", "Alpha two."]
    assert [r["text"] for r in gold["references"]] == ["Ref one.", "Ref two."]

    code, _, err = cli("pack", "--dataset", "rows.jsonl", "--docs-field", "body", "--out", "root2")
    assert code == 2 and "no column 'body'" in err and "docs" in err


def test_hub_name_offline_fails_fast_with_a_clear_message(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    start = time.monotonic()
    code, _, err = cli("pack", "--dataset", "sumbench-tests/never-cached-mds", "--split", "test", "--out", "root")
    assert code == 2
    assert time.monotonic() - start < 15
    assert "offline" in err and "HF_HUB_OFFLINE" in err and "local file" in err
    assert len(err.strip().splitlines()) == 1
    assert not Path("root").exists()


def test_one_source_exactly(cli) -> None:
    code, _, err = cli("pack", "--out", "root")
    assert code == 2 and "exactly one source" in err


# ----------------------------------------------------------------------------- export and round trip


def test_round_trip_pack_validate_export_load(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMBENCH_CACHE", str(tmp_path / "cache"))  # where --root EXPORT is unpacked
    articles(tmp_path / "src")
    write(tmp_path / "src" / "m.csv", "task_id,files,references\nstorm,storm/wire.txt;storm/local.txt,refs/storm.txt\nvote,vote/one.txt,\n")
    assert cli("pack", "--manifest", str(tmp_path / "src" / "m.csv"), "--out", "packed", "--suite", "demo")[0] == 0
    assert cli("tasks", "validate", "--root", "packed")[0] == 0
    original = snapshot(tmp_path / "packed")

    code, out, err = cli("export", "--format", "jsonl", "--root", "packed", "exp")
    assert code == 0, err
    assert (tmp_path / "exp" / "benchmark.jsonl").is_file()
    code, _, err = cli("export", "--format", "hf", "--root", "packed", "exp-hf")
    assert code == 0, err

    import datasets

    loaded = datasets.load_from_disk(str(tmp_path / "exp-hf"))
    assert loaded.num_rows == 2 and loaded[0]["id"] == "storm" and loaded[0]["documents"][1]["id"] == "local"
    as_json = datasets.Dataset.from_list([json.loads(x) for x in (tmp_path / "exp" / "benchmark.jsonl").read_text().splitlines()])
    assert as_json["id"] == ["storm", "vote"]

    for source in ("exp/benchmark.jsonl", "exp-hf"):
        assert snapshot(tmp_path / source) == original  # --root reads an export directly
        target = f"back-{source.split('/')[0]}"
        code, _, err = cli("pack", "--export", source, "--out", target)
        assert code == 0, err
        assert snapshot(tmp_path / target) == original
        assert (tmp_path / target / "tasks" / "storm" / "task.toml").read_bytes() == (tmp_path / "packed" / "tasks" / "storm" / "task.toml").read_bytes()


def test_shipped_benchmark_round_trips_through_jsonl(tmp_path: Path) -> None:
    from bench.benchmark.exchange import read_export
    from bench.benchmark.export import export_benchmark
    from bench.core.model import Gold

    path, count = export_benchmark(REPO, tmp_path / "all.jsonl", "jsonl")
    original = snapshot(REPO)
    assert count == len(original) >= 50
    back = {task.id: canonical_json([task, gold or Gold(task=task.id)]) for task, gold in read_export(path)}
    assert back == original


def test_export_with_unsafe_ids_is_refused(cli, tmp_path: Path) -> None:
    row = {"sumbench_export": 1, "id": "../evil", "title": "", "suite": "", "instructions": "{}", "metadata": "{}",
           "documents": [{"id": "d", "file": "d.txt", "text": "x", "title": "", "source": "", "date": "", "url": "", "reliability": ""}],
           "has_gold": False, "references": [], "key_facts": [], "probes": [], "gold_metadata": "{}"}
    write(tmp_path / "evil.jsonl", json.dumps(row) + "\n")
    code, _, err = cli("pack", "--export", "evil.jsonl", "--out", "root")
    assert code == 2 and "not a valid task id" in err
    assert not (tmp_path / "evil").exists()


# ----------------------------------------------------------------------------- SummHay


@pytest.mark.skipif(not HAYSTACKS.is_dir(), reason=f"SummHay haystacks not found at {HAYSTACKS} (the shared data folder beside the repo)")
def test_summhay_suite_rebuilds_and_its_support_matches_the_haystack_labels(cli, tmp_path: Path) -> None:
    code, _, err = cli("pack", "--haystacks", str(HAYSTACKS), "--out", "sh")
    assert code == 0, err
    built = sorted(p.relative_to(tmp_path / "sh") for p in (tmp_path / "sh").rglob("*") if p.is_file())
    assert built and all((REPO / rel).read_bytes() == (tmp_path / "sh" / rel).read_bytes() for rel in built)

    from bench.benchmark.load import load_benchmark

    bench = load_benchmark(REPO, suite="summhay")
    assert len(bench.tasks) == len([p for p in built if p.name == "task.toml"]) >= 40
    labels = {}
    for path in HAYSTACKS.glob("topic_news*.haystack.json"):
        for doc_id, doc in json.loads(path.read_text())["documents"].items():
            included = doc["insights_included"]
            labels[doc_id] = set(ast.literal_eval(included) if isinstance(included, str) else included)
    for task in bench.tasks.values():
        assert 1 <= len(task.documents) <= 8
        gold = bench.gold_for(task.id)
        originals = task.metadata["source_document_ids"]
        insight_ids = gold.metadata["insight_ids"]
        assert gold.key_facts
        for fact in gold.key_facts:
            holders = {d.id for d in task.documents if insight_ids[fact.id] in labels[originals[d.id]]}
            assert set(fact.supported_by) == holders and holders, (task.id, fact.id)


@pytest.mark.skipif(not HAYSTACKS.is_dir(), reason=f"SummHay haystacks not found at {HAYSTACKS} (the shared data folder beside the repo)")
def test_summhay_derived_probes_are_insights_no_task_document_holds() -> None:
    """Each shipped SummHay task has >= 5 derived probes: other subtopics' insights, none in its documents."""
    from bench.benchmark.load import load_benchmark

    insights, labels = {}, {}
    for path in HAYSTACKS.glob("topic_news*.haystack.json"):
        data = json.loads(path.read_text())
        for subtopic in data["subtopics"].values():
            for insight in subtopic["insights"]:
                insights[insight["insight_id"]] = (subtopic["subtopic_id"], insight["insight"].strip())
        for doc_id, doc in data["documents"].items():
            included = doc["insights_included"]
            labels[doc_id] = set(ast.literal_eval(included) if isinstance(included, str) else included)
    bench = load_benchmark(REPO, suite="summhay")
    for task in bench.tasks.values():
        gold = bench.gold_for(task.id)
        assert gold.metadata["probe_origin"] == "derived"
        probe_insights = gold.metadata["probe_insight_ids"]
        own = {insights[i][0] for i in gold.metadata["insight_ids"].values()}
        assert len(gold.probes) >= 5 and set(probe_insights) == {p.id for p in gold.probes}
        held = set().union(*(labels[o] for o in task.metadata["source_document_ids"].values()))
        for probe in gold.probes:
            subtopic, text = insights[probe_insights[probe.id]]
            assert probe.claim == text and subtopic not in own, (task.id, probe.id)
            assert probe_insights[probe.id] not in held, (task.id, probe.id)

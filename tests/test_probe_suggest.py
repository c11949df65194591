"""`sumbench probes suggest`: what a user adding a task relies on.

The seed task with its gold probes removed must yield the Atlas-only claims near the top; what
--write appends must validate; existing probes and ids are never overwritten; output is
deterministic.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from bench.cli import main

REPO = Path(__file__).resolve().parent.parent
SEED = "trump-putin-call"

ATLAS_ONLY = {
    # what the issue lists, each by a phrase of the Atlas post's sentence
    "national-address-quote": "national address",
    "rubio-quote": "need to talk directly",
    "eu-30-day-ceasefire": "30-day ceasefire",
    "nato-diplomats-concern": "NATO diplomats",
    "kremlin-open-to-dialogue": "open to dialogue",
    "most-significant-conversation": "most significant conversation",
    "hinted-for-months": "hinted for months",
    "only-hours-after": "Only hours after",
}


def _root_without_probes(tmp_path: Path, task: str = SEED) -> Path:
    from bench.benchmark.load import load_benchmark
    from bench.benchmark.writer import _dump_toml, gold_to_toml

    root = tmp_path / "root"
    (root / "tasks").mkdir(parents=True)
    (root / "gold").mkdir()
    shutil.copytree(REPO / "tasks" / task, root / "tasks" / task)
    gold = load_benchmark(REPO, task).gold[task]
    (root / "gold" / f"{task}.toml").write_text(_dump_toml(gold_to_toml(replace(gold, probes=()))), encoding="utf-8")
    return root


def _suggest(root: Path, task: str = SEED, top: int = 15):
    from bench.benchmark.load import load_benchmark
    from bench.benchmark.probe_suggest import suggest

    bench = load_benchmark(root, task)
    return suggest(bench.tasks[task], bench.gold.get(task), top=top)


def test_seed_top_15_holds_at_least_6_of_the_8_atlas_only_claims(tmp_path: Path) -> None:
    result = _suggest(_root_without_probes(tmp_path))
    found = {key for key, phrase in ATLAS_ONLY.items() if any(phrase in s.evidence or phrase in s.claim for s in result.suggestions[:15])}
    assert len(found) >= 6, f"found only {sorted(found)}"
    contrast = [s for s in result.suggestions if s.method == "source-contrast"]
    assert contrast and all(s.doc == "atlas" for s in contrast)  # the BBC rewrite is marked reliable


def test_suggestions_are_deterministic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _root_without_probes(tmp_path)
    outs = []
    for _ in range(2):
        main(["probes", "suggest", SEED, "--root", str(root), "--top", "10", "--json"])
        outs.append(capsys.readouterr().out)
    assert outs[0] == outs[1] and '"suggestions"' in outs[0]


def test_write_then_validate_and_check_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bench.benchmark.load import load_benchmark

    root = _root_without_probes(tmp_path)
    main(["probes", "suggest", SEED, "--root", str(root), "--top", "12", "--write"])
    capsys.readouterr()
    probes = load_benchmark(root, SEED).gold[SEED].probes
    assert len(probes) == 12
    assert all(p.origin == "suggested" and p.controls and p.examples for p in probes)
    assert {p.kind for p in probes} >= {"unsupported", "contradiction"}
    main(["tasks", "validate", "--root", str(root)])  # a problem exits 2 (SystemExit fails the test)
    assert "valid" in capsys.readouterr().out
    main(["probes", "check", "--root", str(root)])  # exits 1 on any failing claim, example, control or reference
    assert "12/12 probe(s) pass" in capsys.readouterr().out


def test_write_appends_never_overwrites_and_numbers_clashing_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bench.benchmark.load import load_benchmark

    root = _root_without_probes(tmp_path)
    first = _suggest(root, top=3).suggestions
    gold_path = root / "gold" / f"{SEED}.toml"
    mine = (
        "\n# my own probe, written by hand\n[[probes]]\n"
        f'id = "{first[0].id}"\nkind = "fabrication"\nclaim = "Trump and Putin agreed a ceasefire during the call."\n'
    )
    gold_path.write_text(gold_path.read_text(encoding="utf-8") + mine, encoding="utf-8")
    before = gold_path.read_text(encoding="utf-8")
    main(["probes", "suggest", SEED, "--root", str(root), "--top", "3", "--write", "--pick", "1,3"])
    capsys.readouterr()
    after = gold_path.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))  # comments and hand-written probes kept as they were
    probes = load_benchmark(root, SEED).gold[SEED].probes
    ids = [p.id for p in probes]
    assert len(ids) == len(set(ids)) == 3
    assert probes[0].claim.startswith("Trump and Putin agreed") and probes[0].origin == ""
    assert ids[1] == f"{first[0].id}-2"


def test_write_refuses_a_gold_file_that_does_not_load(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _root_without_probes(tmp_path)
    gold_path = root / "gold" / f"{SEED}.toml"
    broken = gold_path.read_text(encoding="utf-8") + '\n[[probes]]\nid = "x"\nkind = "nonsense"\nclaim = "y"\n'
    gold_path.write_text(broken, encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["probes", "suggest", SEED, "--root", str(root), "--write"])
    assert exc.value.code == 2
    assert "kind" in capsys.readouterr().err
    assert gold_path.read_text(encoding="utf-8") == broken


def test_bad_pick_is_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _root_without_probes(tmp_path)
    with pytest.raises(SystemExit) as exc:
        main(["probes", "suggest", SEED, "--root", str(root), "--top", "3", "--write", "--pick", "7"])
    assert exc.value.code == 2
    assert "--pick" in capsys.readouterr().err


def test_perturbed_facts_change_one_slot_to_a_value_no_source_gives(tmp_path: Path) -> None:
    from bench.detectors.claims import quantities

    result = _suggest(_root_without_probes(tmp_path), top=40)
    perturbed = [s for s in result.suggestions if s.method.startswith("perturbed:")]
    methods = {s.method for s in perturbed}
    assert {"perturbed:number", "perturbed:date", "perturbed:speaker"} <= methods
    sources = (REPO / "tasks" / SEED / "bbc.txt").read_text(encoding="utf-8") + (REPO / "tasks" / SEED / "atlas.txt").read_text(encoding="utf-8")
    for s in perturbed:
        assert s.controls[0] != s.claim  # the true sentence is the first control
        if s.method == "perturbed:number":
            true_values = {q.value for q in quantities(s.controls[0])}
            new_values = {q.value for q in quantities(s.claim)} - true_values
            assert new_values and not any(q.value in new_values for q in quantities(sources))


def test_multiling_topic_written_perturbations_fire_on_no_document_or_reference(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bench.benchmark.load import load_benchmark
    from bench.detectors.claim_core import Sources
    from bench.detectors.probes import ProbeDetector

    task = "multiling2011-m002"
    root = tmp_path / "ml"
    (root / "gold").mkdir(parents=True)
    shutil.copytree(REPO / "tasks" / task, root / "tasks" / task)
    shutil.copy(REPO / "gold" / f"{task}.toml", root / "gold" / f"{task}.toml")
    main(["probes", "suggest", task, "--root", str(root), "--top", "10", "--write"])
    capsys.readouterr()
    bench = load_benchmark(root, task)
    gold, written = bench.gold[task], [p for p in bench.gold[task].probes if p.origin == "suggested"]
    perturbed = [p for p in written if p.kind != "unsupported"]
    assert len(perturbed) >= 5
    detector, sources = ProbeDetector(), Sources.of(bench.tasks[task], gold)
    for probe in perturbed:
        for text in [d.text for d in bench.tasks[task].documents] + [r.text for r in gold.references]:
            assert not detector.detect(text, [probe], sources)[probe.id].triggered, (probe.id, probe.claim)
    main(["tasks", "validate", "--root", str(root)])  # a problem exits 2 (SystemExit fails the test)
    assert "1 task(s) valid" in capsys.readouterr().out


def test_claims_the_shipped_probes_already_catch_are_not_suggested_again() -> None:
    from bench.benchmark.load import load_benchmark
    from bench.benchmark.probe_suggest import suggest

    bench = load_benchmark(REPO, SEED)
    result = suggest(bench.tasks[SEED], bench.gold[SEED], top=15)
    assert not any("national address" in s.claim or "30-day ceasefire" in s.claim for s in result.suggestions)
    assert any(reason.startswith("already covered by probe") for _, reason in result.skipped)

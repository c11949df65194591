"""``facts eval``, ``support eval``, ``probes eval|check|suggest``: the detectors against labelled data and gold."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, List, Optional

import typer

from .app import facts_app, probes_app, support_app
from .checkout import probe_eval_sets, shared_folder
from .options import JudgeModeOpt, JudgeOpt, JudgeThresholdOpt, JudgeUrlOpt, NliOpt, RootOpt, TasksOpt


@facts_app.command("eval")
def facts_eval(
    data: Optional[Path] = typer.Option(None, "--data", help="SummHay evaluator JSON (default: ../shared/data/summhay_eval/summhay_eval_conversations.json)."),
    nli_model: Optional[str] = NliOpt,
) -> None:
    """Balanced accuracy of the key-fact matcher vs human coverage labels, next to six LLM judges."""
    from ..detectors.facts import FactMatcher
    from ..detectors.nli import load_nli
    from ..metaeval.facts_eval import evaluate, load_items, render

    items = load_items(data, shared_folder())
    rows, info = evaluate(items, FactMatcher(nli=load_nli(nli_model)))
    typer.echo(render(rows, info))


@support_app.command("eval")
def support_eval(
    dataset: Optional[str] = typer.Argument(None, help="summedits, frank, xsumfaith (their copies in ../shared/data), or a path to a copy (default: summedits)."),
    data: Optional[Path] = typer.Option(None, "--data", help="Path to a labelled set (same as giving it as DATASET)."),
    nli_model: Optional[str] = NliOpt,
    judge: Optional[str] = JudgeOpt,
    judge_base_url: Optional[str] = JudgeUrlOpt,
    judge_threshold: Optional[float] = JudgeThresholdOpt,
    as_json: bool = typer.Option(False, "--json", help="Print the numbers as JSON instead of tables."),
    part: Optional[str] = typer.Option(None, "--part", help="Check and print one part only: dev (tune on it) or set_aside (report it)."),
) -> None:
    """Balanced accuracy and AUC of source support vs human 'inconsistent' labels, per part, with intervals."""
    from ..core.errors import InputError
    from ..detectors.nli import load_nli
    from ..detectors.support import SupportChecker
    from ..metaeval.support_data import load_set
    from ..metaeval.support_eval import as_json as to_json
    from ..metaeval.support_eval import evaluate, render

    if part not in (None, "dev", "set_aside"):
        raise InputError.at("--part", part, "not a part", "use --part dev or --part set_aside (or leave it out for all parts)")
    checker, judged = with_judge(SupportChecker(nli=load_nli(nli_model)), "support", judge, judge_base_url, judge_threshold)
    name, pairs = load_set(str(data) if data else dataset or "summedits", shared_folder())
    result = evaluate(pairs, checker, part=part)
    typer.echo(json.dumps(to_json(name, result), indent=2) if as_json else render(name, result))
    if judged is not None:
        typer.echo(judged.stats.line(judged.spec), err=as_json)
        judged.close()


@probes_app.command("eval")
def probes_eval(
    root: Optional[Path] = RootOpt,
    sets: Optional[List[Path]] = typer.Option(None, "--set", help="Labelled JSONL (repeatable; default: tests/data/probe_eval/*.jsonl under the root)."),
    errors: bool = typer.Option(True, "--errors/--no-errors", help="List every missed probe and false alarm."),
    as_json: bool = typer.Option(False, "--json", help="Print the numbers as JSON instead of tables."),
    judge: Optional[str] = JudgeOpt,
    judge_base_url: Optional[str] = JudgeUrlOpt,
    judge_threshold: Optional[float] = JudgeThresholdOpt,
    judge_mode: Optional[str] = JudgeModeOpt,
    examples: bool = typer.Option(True, "--examples/--no-examples", help="Use probes' `examples` as extra wordings of their claims (--no-examples: claim and hints only)."),
    plain: bool = typer.Option(False, "--plain", help="Strip every detection hint: measure probes as plain claims."),
    embeddings: bool = typer.Option(False, "--embeddings", help="Add the opt-in MiniLM word-similarity signal to the claim layer (loads torch)."),
) -> None:
    """Precision, recall and false-positive rate of the probe detector, per probe, per kind and overall (Wilson 95% CIs)."""
    from ..detectors.probes import ProbeDetector
    from ..metaeval.probe_eval import render, run_eval

    rules = ProbeDetector(ablate=() if examples else ("examples",), embeddings=embeddings)
    detector, judged = with_judge(rules, "probes", judge, judge_base_url, judge_threshold, judge_mode)
    results = run_eval(root, sets or probe_eval_sets(root), examples=examples, plain=plain, embeddings=embeddings, detector=detector)
    if as_json:
        extra = {"judge": {**judged.config(), "judge-mode": detector.mode, **vars(judged.stats)}} if judged is not None else {}
        typer.echo(json.dumps([{**r.to_json(), **extra} for r in results], indent=2))
        return
    typer.echo("\n\n".join(render(r, show_errors=errors) for r in results))
    if judged is not None:
        typer.echo(judged.stats.line(judged.spec) + (f" (judge mode {detector.mode}: rules OR judge)" if detector.mode == "either" else ""))
        judged.close()


def with_judge(rules: Any, kind: str, spec: str | None, base_url: str | None, threshold: float | None, mode: str | None = None) -> tuple[Any, Any]:
    """``rules`` itself, or wrapped so that the judge ``spec`` decides (rules kept as the fallback; with probes'
    ``mode`` "either", rules OR judge); and the judge."""
    from ..core.errors import InputError

    if not spec:
        if base_url or threshold is not None or mode is not None:
            given = "--judge-base-url" if base_url else "--judge-threshold" if threshold is not None else "--judge-mode"
            raise InputError.at(given, "", "no judge selected", "add --judge nli:DIR or --judge openai:MODEL")
        return rules, None
    from ..detectors.judged import JudgedDetector, JudgedSupport
    from ..detectors.judges import make_judge

    judge = make_judge(spec, "--judge", threshold=threshold, base_url=base_url)
    return (JudgedDetector(rules, judge, mode=mode or "replace") if kind == "probes" else JudgedSupport(rules, judge)), judge


@probes_app.command("check")
def probes_check(root: Optional[Path] = RootOpt, tasks: Optional[str] = TasksOpt) -> None:
    """Per probe: its claim and examples must trigger it, its controls and the references must not (exit 1 on a failure)."""
    from ..benchmark.load import load_benchmark
    from ..detectors.probe_check import check_bench, render

    bench = load_benchmark(root, tasks)
    reports = check_bench(bench)
    if not reports:
        from ..core.errors import InputError

        raise InputError.at(str(root or "the shipped benchmark"), "probes", "no task with probes selected", "pass --root/--tasks selecting tasks whose gold has [[probes]]")
    typer.echo(render(reports))
    if any(not r.ok for r in reports):
        raise typer.Exit(1)


@probes_app.command("suggest")
def probes_suggest(
    task: str = typer.Argument(..., help="The task id."),
    root: Optional[Path] = RootOpt,
    top: int = typer.Option(15, "--top", min=1, help="How many suggestions to show."),
    as_json: bool = typer.Option(False, "--json", help="Print the suggestions as JSON."),
    write: bool = typer.Option(False, "--write", help="Append the shown suggestions (or --pick) to gold/TASK.toml as probes."),
    pick: Optional[str] = typer.Option(None, "--pick", help="With --write: which suggestions, by number as printed (e.g. 1,3,5)."),
    verbose: bool = typer.Option(False, "--verbose", help="Also list the candidates skipped because they would not validate."),
) -> None:
    """Candidate probes, best first: claims only one (unreliable) document makes, and true facts with one slot changed."""
    from ..benchmark.load import load, resolve_root
    from ..benchmark.probe_suggest import parse_picks, render, suggest
    from ..benchmark.probe_suggest import write as write_gold
    from ..core.errors import InputError, Problem, display_path

    path = resolve_root(root)
    bench, problems = load(path, task)
    if task not in bench.tasks:
        raise InputError(problems or [Problem(display_path(path / "tasks"), "", f"no task {task!r}", "run `sumbench tasks list` to see the task ids")])
    if write and problems:
        raise InputError([*problems, Problem(display_path(path / "gold" / f"{task}.toml"), "", "not loadable, so nothing was written", "fix the problems above, then run --write again")])
    gold = bench.gold.get(task)
    result = suggest(bench.tasks[task], gold, top=top, existing=[p.id for p in gold.probes] if gold else ())
    if as_json:
        typer.echo(json.dumps({"task": task, "suggestions": [s.to_json() for s in result.suggestions],
                               "skipped": [{"claim": s.claim, "method": s.method, "reason": r} for s, r in result.skipped]}, indent=2, ensure_ascii=False))
    else:
        typer.echo(render(task, result, show_skipped=verbose), nl=False)
    if write:
        chosen = [result.suggestions[i] for i in parse_picks(pick, len(result.suggestions))]
        for s, reason in result.skipped:
            typer.echo(f"skipped: {s.claim[:90]!r}: {reason}", err=True)
        if not chosen:
            typer.echo("nothing to write", err=True)
            return
        written = write_gold(path, task, chosen)
        typer.echo(f"wrote {len(chosen)} probe(s) to {display_path(written)}: " + ", ".join(s.id for s in chosen), err=True)

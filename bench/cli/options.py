"""Options and option parsing shared by several commands.

The metric flags of ``run`` and ``score`` are declared once (``METRIC_FLAGS``) and added to both
commands by ``metric_flags``, so the two cannot drift apart.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, List, Optional

import typer

RootOpt = typer.Option(None, "--root", help="Benchmark root with tasks/ and gold/ (default: the shipped benchmark).")
TasksOpt = typer.Option(None, "--tasks", help="Task ids or globs, comma-separated (e.g. 'multiling2011-*').")
SuiteOpt = typer.Option(None, "--suite", help="Only tasks of this suite (seed, multiling2011, summhay, all).")
MetricsOpt = typer.Option(None, "--metrics", help="Comma-separated metrics (default: all cheap ones; 'all' for every one).")
FormatOpt = typer.Option("auto", "--format", help="table, md (Markdown) or json; auto: a table on a terminal, Markdown when piped or with --out.")
NliOpt = typer.Option(None, "--nli-model", help="Local NLI model folder (default: $SUMBENCH_NLI_MODEL, else lexical only); never downloaded.")
JudgeOpt = typer.Option(None, "--judge", help="Measure a judge instead of the rules: nli:DIR (local NLI model) or openai:MODEL.")
JudgeUrlOpt = typer.Option(None, "--judge-base-url", help="Endpoint of an openai:MODEL judge (default: $OPENAI_BASE_URL, else https://api.openai.com/v1).")
JudgeThresholdOpt = typer.Option(None, "--judge-threshold", help="Entailment probability an nli:DIR judge needs (default 0.5).")
JudgeModeOpt = typer.Option(None, "--judge-mode", help="How a probe judge meets the rules: replace (the judge decides; default) or either (rules OR judge).")

METRIC_FLAGS: list[tuple[str, Any, Any]] = [
    ("stemmer", bool, typer.Option(True, "--stemmer/--no-stemmer", help="Porter stemming in ROUGE (tokens over 3 characters).")),
    ("multi_ref", str, typer.Option("max", "--multi-ref", help="ROUGE with several references: max (best F) or mean (ROUGE-1.5.5 -f A).")),
    ("rouge_backend", str, typer.Option("auto", "--rouge-backend", help="auto, rouge-score or rouge-score-rs (identical numbers).")),
    ("bertscore_model", Optional[str], typer.Option(
        None, "--bertscore-model", help="BERTScore model: a local folder or hub name, e.g. roberta-large (default: the packaged MiniLM).")),
    ("bertscore_layer", Optional[int], typer.Option(
        None, "--bertscore-layer", help="BERTScore layer (default: 6 for the MiniLM, bert-score's tuned layer for known hub names).")),
    ("bertscore_batch", Optional[int], typer.Option(None, "--bertscore-batch", min=1, help="Texts per BERTScore forward pass (default 32; speed only).")),
    ("bertscore_baseline", Optional[str], typer.Option(None, "--bertscore-baseline", help="bert-score baseline CSV (LAYER,P,R,F) to rescale with; never downloaded.")),
    ("nli_model", Optional[str], NliOpt),
    ("probe_judge", Optional[str], typer.Option(
        None, "--probe-judge", help="Let a judge decide probe verdicts: nli:DIR (local NLI model) or openai:MODEL; rules stay beside it.")),
    ("support_judge", Optional[str], typer.Option(
        None, "--support-judge", help="Let a judge decide sentence support: nli:DIR or openai:MODEL; rules stay beside it.")),
    ("judge_base_url", Optional[str], JudgeUrlOpt),
    ("judge_threshold", Optional[float], JudgeThresholdOpt),
    ("judge_mode", Optional[str], JudgeModeOpt),
    ("max_words", Optional[int], typer.Option(
        None, "--max-words", min=1, help="Cut every summary to its first N words before scoring (ROUGE-1.5.5 -l); recorded in every signature.")),
    ("length_limit", Optional[str], typer.Option(
        None, "--length-limit", help="'task': cut each summary to its task's target_words before scoring (recorded in every signature).")),
]
"""(parameter, type, typer option) of every flag that sets a metric option, in help order."""


def metric_flags(command: Callable[..., Any]) -> Callable[..., Any]:
    """Put the ``METRIC_FLAGS`` options where ``command`` has a ``flags`` parameter, and call it
    with them gathered in one dict (``flags``), so ``run`` and ``score`` declare them once."""
    signature = inspect.signature(command)
    params = list(signature.parameters.values())
    at = [p.name for p in params].index("flags")
    added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=option, annotation=kind) for name, kind, option in METRIC_FLAGS]
    rest = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in params[at + 1:]]
    head = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in params[:at]]

    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> Any:
        flags = {name: kwargs.pop(name) for name, _, _ in METRIC_FLAGS}
        return command(**kwargs, flags=flags)

    wrapper.__signature__ = signature.replace(parameters=head + added + rest)  # type: ignore[attr-defined]
    return wrapper


def parse_settings(pairs: List[str] | None) -> dict[str, Any]:
    """``--set key=value`` pairs; values read as JSON when they parse (numbers, true/false), else text."""
    from ..core.errors import InputError

    options: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InputError.at("--set", pair, "expected key=value", "e.g. --set words=100")
        from ..core.jsonsafe import MAX_JSON_DEPTH, loads

        try:
            options[key.strip()] = loads(value)
        except ValueError as exc:
            if "nested deeper" in str(exc):
                raise InputError.at("--set", key.strip(), f"the value is {exc}", f"summarizer options nest at most {MAX_JSON_DEPTH} levels") from None
            options[key.strip()] = value
    return options


def finite_seconds(value: float | None, flag: str) -> float | None:
    """A time limit must be a finite number: ``inf`` or ``nan`` would overflow the timers."""
    import math

    if value is not None and not math.isfinite(value):
        from ..core.errors import InputError

        raise InputError.at(flag, "", f"{value!r} is not a finite number of seconds", f"give a number, e.g. {flag} 600, or leave it out for no limit")
    return value


def with_base_url(options: dict[str, Any], summarizer: str, base_url: str | None) -> dict[str, Any]:
    """``--base-url`` becomes the ``base_url`` option of an ``openai:`` summarizer (and part of its cache key)."""
    if base_url is None:
        return options
    if not summarizer.startswith("openai:"):
        from ..core.errors import InputError

        raise InputError.at("--base-url", "", "only applies to openai:MODEL summarizers", "drop --base-url, or use --set for other summarizers' options")
    return {**options, "base_url": base_url}


def metric_options(metrics: str | None, flags: dict[str, Any], summarizer_url: str | None = None) -> dict[str, Any]:
    """The metric options of ``run`` and ``score`` from their ``METRIC_FLAGS``: ROUGE's always,
    the others only when given, the judge settings checked against the chosen metrics."""
    judges = judge_options(metrics, flags["probe_judge"], flags["support_judge"], flags["judge_base_url"], flags["judge_threshold"], summarizer_url)
    judges["judge_mode"] = probe_judge_mode(flags["judge_mode"], flags["probe_judge"])
    options = {"stemmer": flags["stemmer"], "multi_ref": flags["multi_ref"], "rouge_backend": flags["rouge_backend"]}
    extra = {
        "bertscore_model": flags["bertscore_model"], "bertscore_layer": flags["bertscore_layer"], "bertscore_batch": flags["bertscore_batch"],
        "bertscore_baseline": flags["bertscore_baseline"], "nli_model": flags["nli_model"], **judges,
        "max_words": flags["max_words"], "length_limit": flags["length_limit"],
    }
    options.update({k: v for k, v in extra.items() if v is not None})
    return options


def judge_options(metrics: str | None, probe_judge: str | None, support_judge: str | None, base_url: str | None, threshold: float | None,
                  summarizer_url: str | None = None) -> dict[str, Any]:
    """The judge settings as metric options; a judge for a metric not selected is refused, not ignored.
    An openai: judge without --judge-base-url uses the summarizer's --base-url, when given."""
    from ..core.errors import InputError

    chosen = split_list(metrics)
    for spec, metric, option in ((probe_judge, "probes", "--probe-judge"), (support_judge, "support", "--support-judge")):
        if spec and chosen and metric not in chosen and chosen != ["all"]:
            raise InputError.at(option, spec, f"the {metric} metric is not selected", f"add {metric} to --metrics or drop {option}")
    kinds = {spec.partition(":")[0] for spec in (probe_judge, support_judge) if spec}
    if base_url and "openai" not in kinds:
        raise InputError.at("--judge-base-url", base_url, "no openai:MODEL judge selected", "add --probe-judge/--support-judge openai:MODEL or drop --judge-base-url")
    if threshold is not None and "nli" not in kinds:
        raise InputError.at("--judge-threshold", str(threshold), "no nli:DIR judge selected", "add --probe-judge/--support-judge nli:DIR or drop --judge-threshold")
    if (probe_judge or support_judge) and not base_url:
        base_url = summarizer_url
    return {"probe_judge": probe_judge, "support_judge": support_judge, "judge_base_url": base_url, "judge_threshold": threshold}


def probe_judge_mode(mode: str | None, probe_judge: str | None) -> str | None:
    """``--judge-mode`` as a metric option: None for the default (signatures unchanged), refused without a probe judge."""
    if mode is None:
        return None
    from ..core.errors import InputError
    from ..detectors.judged import check_mode

    if not probe_judge:
        raise InputError.at("--judge-mode", mode, "no probe judge selected", "add --probe-judge nli:DIR or openai:MODEL, or drop --judge-mode")
    return None if check_mode(mode) == "replace" else mode


def split_list(value: str | None) -> list[str] | None:
    return [s.strip() for s in value.split(",") if s.strip()] if value else None

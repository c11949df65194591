"""`run` and `score` take the same metric flags, declared once (bench/cli/options.py)."""

from __future__ import annotations

import typer.main

from bench.cli import app
from bench.cli.options import METRIC_FLAGS, metric_options


def _options_of(command: str) -> set[str]:
    group = typer.main.get_command(app)
    return {opt for param in group.commands[command].params for opt in param.opts + param.secondary_opts}


def test_run_and_score_accept_every_metric_flag() -> None:
    for name, _, option in METRIC_FLAGS:
        flags = set(option.param_decls[0].split("/")) if option.param_decls else {"--" + name.replace("_", "-")}
        assert flags <= _options_of("run"), name
        assert flags <= _options_of("score"), name


def test_metric_options_keep_rouge_settings_and_drop_unset_ones() -> None:
    flags = {name: None for name, _, _ in METRIC_FLAGS} | {"stemmer": False, "multi_ref": "mean", "rouge_backend": "auto", "max_words": 50}
    assert metric_options("rouge", flags) == {"stemmer": False, "multi_ref": "mean", "rouge_backend": "auto", "max_words": 50}


def test_score_refuses_a_judge_setting_without_a_judge(cli, seed_root) -> None:
    code, _, err = cli("score", "--summaries", "none.jsonl", "--root", str(seed_root), "--judge-threshold", "0.3")
    assert code == 2 and "--judge-threshold" in err and len(err.strip().splitlines()) == 1

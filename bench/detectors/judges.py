"""Optional judges: a local NLI model or an LLM decides probe and support verdicts instead of the rules.

The rule detectors (bench/detectors/probes.py, bench/detectors/support.py) stay the default: fast, offline, explainable.
A judge is opt-in, chosen by a spec string:

- ``nli:DIR``: a local Hugging Face NLI or fact-checking sequence-classification model, loaded through
  bench/detectors/nli.py (``local_files_only``: never a download). A probe triggers when some summary sentence,
  or two adjacent ones, entails the claim with probability >= the threshold; a summary sentence is
  supported when one of its closest document passages entails it.
- ``openai:MODEL``: an LLM behind an OpenAI-compatible endpoint (bench/detectors/judge_openai.py), at
  temperature 0, with a versioned prompt; its verdicts must quote a span verbatim or are discarded.

A judge answers one question per job and says so with a ``JudgeVerdict``; ``decision`` None means
"unusable" (a bad reply, a failed request), and the caller falls back to the rules' verdict. The
judge and every setting that changes its verdicts are in ``config()``, hence in the metric signature.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any, Mapping, Protocol, Sequence

from ..core.errors import InputError

KINDS = ("nli", "openai")
REMOTE_JUDGES = {"openai": "bench.detectors.judge_openai:OpenAIJudge"}
"""Judges in modules of their own, named as "module:attr" and imported on use: judge_openai builds on
this module's job and verdict types, so this module must not import it."""
DEFAULT_THRESHOLD = 0.5
PASSAGES = 3
"""Document passages (three sentences each) an NLI judge tests a summary sentence against."""


@dataclass(frozen=True)
class ProbeJob:
    """Does ``summary`` state ``claim``?"""

    summary: str
    claim: str


@dataclass(frozen=True)
class SentenceJob:
    """Do the ``documents`` support ``sentence`` (read after ``before``, the summary's earlier sentences)?"""

    documents: tuple[str, ...]
    sentence: str
    before: str = ""


@dataclass
class JudgeVerdict:
    """One judge answer. ``decision``: probe stated / sentence supported; None = unusable (see ``problem``)."""

    decision: bool | None
    span: str = ""
    score: float | None = None
    problem: str = ""
    cached: bool = False

    @property
    def usable(self) -> bool:
        return self.decision is not None

    def to_json(self) -> dict[str, Any]:
        if not self.usable:
            return {"unusable": self.problem}
        out: dict[str, Any] = {"decision": self.decision, "span": self.span}
        if self.score is not None:
            out["score"] = round(float(self.score), 4)
        return out


@dataclass
class JudgeStats:
    """What a judge did in this process: verdicts, unusable ones, requests sent, cache hits."""

    verdicts: int = 0
    unusable: int = 0
    requests: int = 0
    cache_hits: int = 0
    problems: dict[str, int] = field(default_factory=dict)

    def count(self, verdicts: Sequence[JudgeVerdict]) -> None:
        for v in verdicts:
            self.verdicts += 1
            self.cache_hits += v.cached
            if not v.usable:
                self.unusable += 1
                kind = v.problem.split(":")[0]
                self.problems[kind] = self.problems.get(kind, 0) + 1

    def line(self, spec: str) -> str:
        """One line for a person: how many verdicts the judge gave and how many fell back to the rules."""
        why = "; ".join(f"{k}: {n}" for k, n in sorted(self.problems.items()))
        return (
            f"judge {spec}: {self.verdicts} verdicts, {self.unusable} judge unusable (rules' verdict kept)"
            + (f" [{why}]" if why else "") + f", {self.requests} requests, {self.cache_hits} from cache"
        )


class Judge(Protocol):
    spec: str
    stats: JudgeStats

    def config(self) -> dict[str, Any]:
        """Every setting that changes a verdict (the metric signature takes these)."""
        ...

    def probe_verdicts(self, jobs: Sequence[ProbeJob]) -> list[JudgeVerdict]:
        """One verdict per job, same order: does the summary state the claim?"""
        ...

    def sentence_verdicts(self, jobs: Sequence[SentenceJob]) -> list[JudgeVerdict]:
        """One verdict per job, same order: do the documents support the sentence?"""
        ...

    def close(self) -> None: ...


def make_judge(spec: str, option: str = "--probe-judge", threshold: float | None = None, base_url: str | None = None, concurrency: int = 4) -> Judge:
    """The judge a spec names; a bad spec, a missing folder or key is one clear line (exit code 2)."""
    kind, sep, target = (spec or "").partition(":")
    if not sep or kind not in KINDS or not target.strip():
        raise InputError.at(option, spec, "not a judge spec", "use nli:DIR (a local NLI model folder) or openai:MODEL")
    if kind == "nli":
        if base_url:
            raise InputError.at("--judge-base-url", base_url, "only applies to openai:MODEL judges", "drop --judge-base-url")
        return NLIJudge(target, threshold=DEFAULT_THRESHOLD if threshold is None else threshold, option=option)
    if threshold is not None:
        raise InputError.at("--judge-threshold", str(threshold), "only applies to nli:DIR judges (an LLM answers yes or no)", "drop --judge-threshold")
    module_name, attr = REMOTE_JUDGES[kind].split(":")
    return getattr(import_module(module_name), attr)(target, base_url=base_url, concurrency=concurrency)


def judge_from_options(options: Mapping[str, Any], key: str, option: str) -> Judge | None:
    """The judge named by ``options[key]`` (``probe_judge`` or ``support_judge``) with the shared judge
    settings (``judge_threshold``, ``judge_base_url``, ``judge_concurrency``), or None when unset."""
    spec = options.get(key)
    if not spec:
        return None
    nli = str(spec).startswith("nli:")  # the shared settings go to the kind of judge they apply to
    return make_judge(spec, option, threshold=options.get("judge_threshold") if nli else None,
                      base_url=None if nli else options.get("judge_base_url"), concurrency=options.get("judge_concurrency", 4))


def model_fingerprint(path: Path) -> str:
    """A short hash of a model folder: config.json's bytes plus every file's name and size.

    Two folders with the same name but other weights get other signatures, without reading
    hundreds of megabytes of weights on every run.
    """
    h = hashlib.sha256()
    config = path / "config.json"
    h.update(config.read_bytes() if config.is_file() else b"")
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        h.update(f"{file.relative_to(path).as_posix()}:{file.stat().st_size}\n".encode())
    return h.hexdigest()[:10]


class NLIJudge:
    """A local NLI model as the judge: entailment probability against a threshold; spans are the sentences."""

    def __init__(self, folder: str, threshold: float = DEFAULT_THRESHOLD, option: str = "--probe-judge"):
        if not 0.0 < float(threshold) < 1.0:
            raise InputError.at("--judge-threshold", str(threshold), "must be between 0 and 1", "e.g. --judge-threshold 0.5")
        path = Path(folder)
        if not path.is_dir():
            raise InputError.at(option, f"nli:{folder}", "not a local model folder (sumbench never downloads models)",
                                "pass the folder of a saved Hugging Face NLI model (config.json, weights, tokenizer)")
        self.folder = str(path)
        self.threshold = float(threshold)
        self.spec = f"nli:{path.resolve().name}"
        self.fingerprint = model_fingerprint(path)
        self.stats = JudgeStats()
        self._backend = None
        self._passages: dict[str, list[tuple[set[str], str]]] = {}

    def config(self) -> dict[str, Any]:
        return {"judge": f"{self.spec}#{self.fingerprint}", "judge-threshold": self.threshold}

    def backend(self):
        if self._backend is None:
            from .nli import load_nli

            self._backend = load_nli(self.folder)
        return self._backend

    def probe_verdicts(self, jobs: Sequence[ProbeJob]) -> list[JudgeVerdict]:
        pairs: list[tuple[str, str]] = []
        owner: list[int] = []
        for k, job in enumerate(jobs):
            for unit in sentence_units(job.summary):
                pairs.append((unit, job.claim))
                owner.append(k)
        probs = self.backend().entail_probs(pairs) if pairs else []
        best: list[tuple[float, str]] = [(0.0, "")] * len(jobs)
        for k, (unit, _), p in zip(owner, pairs, probs):
            if p > best[k][0]:
                best[k] = (float(p), unit)
        out = [JudgeVerdict(p >= self.threshold, unit if p >= self.threshold else "", score=p) for p, unit in best]
        self.stats.count(out)
        return out

    def sentence_verdicts(self, jobs: Sequence[SentenceJob]) -> list[JudgeVerdict]:
        pairs: list[tuple[str, str]] = []
        owner: list[int] = []
        for k, job in enumerate(jobs):
            for passage in self.closest_passages(job.documents, job.sentence):
                pairs.append((passage, job.sentence))
                owner.append(k)
        probs = self.backend().entail_probs(pairs) if pairs else []
        best: list[tuple[float, str]] = [(0.0, "")] * len(jobs)
        for k, (passage, _), p in zip(owner, pairs, probs):
            if p > best[k][0]:
                best[k] = (float(p), passage)
        out = [JudgeVerdict(p >= self.threshold, passage, score=p) for p, passage in best]
        self.stats.count(out)
        return out

    def closest_passages(self, documents: Sequence[str], sentence: str) -> list[str]:
        """The PASSAGES three-sentence windows of the documents sharing most content stems with ``sentence``."""
        from ..text.lexical import content_stems

        key = hashlib.sha256(json.dumps(list(documents)).encode()).hexdigest()
        windows = self._passages.get(key)
        if windows is None:
            windows = document_windows(documents)
            if len(self._passages) > 64:
                self._passages.clear()
            self._passages[key] = windows
        stems = set(content_stems(sentence))
        ranked = sorted(range(len(windows)), key=lambda i: (-len(stems & windows[i][0]), i))
        return [windows[i][1] for i in ranked[:PASSAGES]]

    def close(self) -> None:
        self._backend = None


def sentence_units(summary: str) -> list[str]:
    """The summary's sentences, then each pair of adjacent sentences, verbatim from the summary.

    Pairs catch a claim split over two sentences ("Zelensky spoke. He called it a sham.").
    """
    from ..text import sentences

    split = sentences(summary)
    starts: list[int] = []
    cursor = 0
    for sentence in split:
        at = summary.find(sentence, cursor)
        starts.append(at)
        if at >= 0:
            cursor = at + len(sentence)
    units = list(split)
    for i in range(len(split) - 1):
        if starts[i] >= 0 and starts[i + 1] >= 0:
            units.append(summary[starts[i] : starts[i + 1] + len(split[i + 1])])
        else:  # the splitter changed the text (a bullet mark dropped): join the two as they are
            units.append(split[i] + " " + split[i + 1])
    return units


def document_windows(documents: Sequence[str]) -> list[tuple[set[str], str]]:
    """Every three-sentence window of each document (centred on each sentence), with its content stems."""
    from ..text import sentences
    from ..text.lexical import content_stems

    out: list[tuple[set[str], str]] = []
    for doc in documents:
        split = sentences(doc)
        for i in range(len(split)):
            text = " ".join(split[max(0, i - 1) : i + 2])
            out.append((set(content_stems(split[i])), text))
    return out

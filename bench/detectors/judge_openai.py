"""``openai:MODEL`` judge: an LLM behind an OpenAI-compatible endpoint, held to what it can quote.

Requests go through the summarizer's client (bench/summarizers/openai_compat.py): the same base URL
rules (``--judge-base-url``, else ``$OPENAI_BASE_URL``, else OpenAI's), key from ``$OPENAI_API_KEY``
only and masked in errors, retries with backoff. Temperature is 0 and the prompts are fixed; changing
their text means a new PROMPT_VERSION, which is in the signature and in every cache key.

The model answers one JSON object, ``{"verdict": ..., "span": ...}``. A verdict that claims
something must quote its evidence verbatim (after whitespace normalisation): a triggered probe quotes
the summary; an unsupported sentence quotes the sentence; a supported one quotes the documents. A
verdict whose quote is not found, bad JSON, or a failed request is *unusable*: counted, reported,
and the rules' verdict stands. Replies are cached on disk by content (claim or sentence, summary or
documents, model, base URL, prompt version), so a re-run sends no request.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Sequence

from .judges import JudgeStats, JudgeVerdict, ProbeJob, SentenceJob

PROMPT_VERSION = "1"
CACHE_FORMAT = 1

SYSTEM = "You are a careful fact-checker. You answer with one JSON object and nothing else."

PROBE_PROMPT = """Claim: {claim}

Summary:
<<<
{summary}
>>>

Does the summary state the claim, in any wording? It does when it asserts the claim, or reports it as
what someone said, even attributed to a source. It does not when it denies the claim, marks it as false
or doubtful, or states something different (another number, date, place, speaker or outcome).

Answer with one JSON object:
{{"verdict": "yes", "span": "<the words of the summary that state the claim, copied exactly>"}}
or
{{"verdict": "no", "span": ""}}"""

SUPPORT_PROMPT = """Documents:
<<<
{documents}
>>>
{before}
Sentence to check:
<<<
{sentence}
>>>

Is everything the sentence states supported by the documents? Names, numbers, dates, places, who said
or did what, and negations must agree with the documents. Use the summary's earlier sentences only to
resolve pronouns.

Answer with one JSON object:
{{"verdict": "supported", "span": "<the words of the documents that support it, copied exactly>"}}
or
{{"verdict": "unsupported", "span": "<the words of the sentence the documents do not support, copied exactly>"}}"""

BEFORE = "\nThe summary's earlier sentences (context only):\n<<<\n{before}\n>>>\n"

_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.IGNORECASE)


def squash(text: str) -> str:
    """Whitespace normalisation for the verbatim rule: runs of whitespace become one space."""
    return " ".join(text.split())


def parse_reply(content: str, allowed: dict[str, bool]) -> tuple[bool, str] | str:
    """(decision, span) from a reply, or the problem as text. ``allowed`` maps verdict words to decisions."""
    text = _FENCE.sub("", content.strip())
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        return f"bad JSON: no object in {content[:80]!r}"
    try:
        data = json.loads(text[start : end + 1])
    except ValueError:
        return f"bad JSON: {content[:80]!r}"
    if not isinstance(data, dict):
        return "bad JSON: not an object"
    verdict = data.get("verdict")
    if isinstance(verdict, bool):
        verdict = "yes" if verdict else "no"
    if not isinstance(verdict, str) or verdict.strip().lower() not in allowed:
        return f"bad verdict: {verdict!r} (expected {' or '.join(allowed)})"
    span = data.get("span")
    if span is None:
        span = ""
    if not isinstance(span, str):
        return f"bad span: {type(span).__name__}, not text"
    return allowed[verdict.strip().lower()], span.strip()


def quoted(span: str, *texts: str) -> bool:
    """Whether ``span`` (non-empty) occurs verbatim in one of ``texts``, whitespace normalised."""
    needle = squash(span)
    return bool(needle) and any(needle in squash(t) for t in texts)


class JudgeCache:
    """Raw replies on disk, one small JSON file per key (``judges/<ab>/<key>.json``), written atomically.

    The raw reply is stored, not the verdict: the verbatim rule runs again on every read, so a
    reply never skips it. Requests that failed are not stored (they are retried next run).
    """

    def __init__(self, root: str | Path | None = None):
        from ..summarizers.cache import default_cache_dir

        self.root = (Path(root) if root is not None else default_cache_dir()) / "judges"

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> str | None:
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("key") != key or entry.get("format") != CACHE_FORMAT:
            return None
        reply = entry.get("reply")
        return reply if isinstance(reply, str) else None

    def put(self, key: str, reply: str, meta: dict[str, Any]) -> None:
        path = self._path(key)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        entry = {"format": CACHE_FORMAT, "key": key, "reply": reply, **meta}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
            os.replace(tmp, path)
        except OSError:  # a cache that cannot be written only costs time
            tmp.unlink(missing_ok=True)


class OpenAIJudge:
    """Probe and support verdicts from a chat model (see the module docstring)."""

    def __init__(self, model: str, base_url: str | None = None, concurrency: int = 4, cache_root: str | Path | None = None):
        from dataclasses import replace

        from ..core.errors import InputError
        from ..summarizers.openai_compat import OpenAICompat, strip_userinfo

        try:
            self.client = OpenAICompat(model, base_url=base_url, temperature=0.0)
        except InputError as exc:  # name the judge's own option, not the summarizer's
            raise InputError([replace(p, field=p.field.replace("--base-url", "--judge-base-url")) for p in exc.problems]) from None
        self.model = model
        self.base_url = strip_userinfo(self.client.base_url)
        self.spec = f"openai:{model}"
        self.concurrency = max(1, int(concurrency))
        self.cache = JudgeCache(cache_root)
        self.stats = JudgeStats()
        self._lock = threading.Lock()

    def config(self) -> dict[str, Any]:
        return {"judge": self.spec, "judge-url": self.base_url, "judge-prompt": PROMPT_VERSION}

    def body(self, prompt: str) -> dict[str, Any]:
        messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt}]
        return {"model": self.model, "messages": messages, **self.client.params}

    def key(self, kind: str, fields: dict[str, Any]) -> str:
        material = {"kind": kind, "model": self.model, "base_url": self.base_url, "prompt": PROMPT_VERSION, **fields}
        return hashlib.sha256(json.dumps(material, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()

    def reply(self, key: str, prompt: str, meta: dict[str, Any]) -> tuple[str | None, bool, str]:
        """(reply text or None, from cache, problem): the cached reply, else one request."""
        cached = self.cache.get(key)
        if cached is not None:
            return cached, True, ""
        from ..summarizers.base import SummarizerFailure

        with self._lock:
            self.stats.requests += 1
        try:
            content = self.client.post_chat(self.body(prompt), f"judge-{key[:12]}")
        except SummarizerFailure as exc:
            return None, False, f"request failed: {exc}"
        self.cache.put(key, content, {"judge": self.spec, "prompt": PROMPT_VERSION, **meta})
        return content, False, ""

    def probe_verdicts(self, jobs: Sequence[ProbeJob]) -> list[JudgeVerdict]:
        out = self._map(self._probe, jobs)
        self.stats.count(out)
        return out

    def sentence_verdicts(self, jobs: Sequence[SentenceJob]) -> list[JudgeVerdict]:
        out = self._map(self._sentence, jobs)
        self.stats.count(out)
        return out

    def _map(self, fn, jobs: Sequence[Any]) -> list[JudgeVerdict]:
        """``fn`` over the distinct jobs (a sentence many summaries share is asked once), in threads."""
        unique = list(dict.fromkeys(jobs))
        if self.concurrency == 1 or len(unique) < 2:
            answers = [fn(job) for job in unique]
        else:
            with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
                answers = list(pool.map(fn, unique))
        by_job = dict(zip(unique, answers))
        return [by_job[job] for job in jobs]

    def _probe(self, job: ProbeJob) -> JudgeVerdict:
        key = self.key("probe", {"claim": job.claim, "summary": job.summary})
        prompt = PROBE_PROMPT.format(claim=job.claim, summary=job.summary)
        return self._verdict(key, prompt, {"claim": job.claim}, {"yes": True, "no": False}, {True: ("summary", (job.summary,))})

    def _sentence(self, job: SentenceJob) -> JudgeVerdict:
        key = self.key("support", {"documents": list(job.documents), "sentence": job.sentence, "before": job.before})
        documents = "\n\n---\n\n".join(d.strip() for d in job.documents)
        before = BEFORE.format(before=job.before) if job.before.strip() else ""
        prompt = SUPPORT_PROMPT.format(documents=documents, before=before, sentence=job.sentence)
        quotes = {True: ("documents", job.documents), False: ("sentence", (job.sentence,))}
        return self._verdict(key, prompt, {"sentence": job.sentence}, {"supported": True, "unsupported": False}, quotes)

    def _verdict(self, key: str, prompt: str, meta: dict[str, Any], allowed: dict[str, bool], quotes: dict[bool, tuple[str, Sequence[str]]]) -> JudgeVerdict:
        """The reply parsed and held to the verbatim rule: ``quotes`` names, per decision, the texts its
        span must stand in; a decision without an entry keeps no span (a probe not stated quotes nothing)."""
        content, cached, problem = self.reply(key, prompt, meta)
        if content is None:
            return JudgeVerdict(None, problem=problem)
        parsed = parse_reply(content, allowed)
        if isinstance(parsed, str):
            return JudgeVerdict(None, problem=parsed, cached=cached)
        decision, span = parsed
        if decision not in quotes:
            return JudgeVerdict(decision, "", cached=cached)
        where, texts = quotes[decision]
        if not quoted(span, *texts):
            return JudgeVerdict(None, problem=f"span not in {where}: {span[:80]!r}", cached=cached)
        return JudgeVerdict(decision, span, cached=cached)

    def close(self) -> None:
        self.client.close()

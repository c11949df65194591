"""``openai:<model>``: any OpenAI-compatible chat-completions endpoint as a summarizer.

One POST to ``{base_url}/chat/completions`` per task. The base URL comes from
``--base-url``, else ``$OPENAI_BASE_URL``, else OpenAI's; the key from
``$OPENAI_API_KEY`` or the variable named by ``--set api_key_env=NAME``. The
key is read from the environment only and never stored: not in options, not
in results, not in the log (any echo of it in an error is masked).
429, 5xx, timeouts and dropped connections are retried with exponential
backoff, honouring ``Retry-After``; other errors and malformed replies fail
the task at once. Each thread has its own ``httpx.Client``, so ``--concurrency``
is safe.

Bounded: ``request_timeout`` is a deadline for the whole request (connect,
headers and body together: see :mod:`.deadline`), not for each read, and a
reply body is read up to :data:`MAX_REPLY_BYTES` (a 1,000,000-character summary
fits several times over); a larger one fails the task without being kept.
"""

from __future__ import annotations

import email.utils
import json
import math
import os
import re
import threading
import time
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit, urlunsplit

from ..core.errors import InputError
from ..core.jsonsafe import loads as json_loads
from ..core.model import Task
from .base import SummarizerFailure
from .baselines import DEFAULT_WORDS
from .deadline import bound_client, deadline_for

MAX_REPLY_BYTES = 16 * 2**20
"""Bytes of a reply body read at most (the reply is JSON around a summary of at most 1,000,000 characters)."""
DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_KEY_ENV = "OPENAI_API_KEY"
RETRY_STATUS = frozenset({408, 409, 429}) | frozenset(range(500, 600))

DEFAULT_PROMPT = """{instructions}

Summarize the {n_documents} news documents below in about {target_words} words.
State only what the documents support; when they disagree, prefer the more reliable source or say that they differ.
Answer with the summary text only.

{documents}"""

PLACEHOLDERS = ("documents", "target_words", "title", "instructions", "task_id", "n_documents")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")


def render_documents(task: Task) -> str:
    """The task's documents as numbered plain-text blocks with their metadata."""
    blocks = []
    for number, doc in enumerate(task.documents, start=1):
        head = f"Document {number}" + (f": {doc.title}" if doc.title else "")
        meta = "; ".join(x for x in (doc.source and f"source: {doc.source}", doc.date and f"date: {doc.date}") if x)
        blocks.append("\n".join(x for x in (head, meta, "", doc.text.strip()) if x is not None))
    return "\n\n---\n\n".join(blocks)


def render_prompt(template: str, task: Task, words: int | None = None) -> str:
    """The template with its ``{placeholder}``s filled; any other brace stays as written."""
    values = {
        "documents": render_documents(task),
        "target_words": str(words or task.target_words or DEFAULT_WORDS),
        "title": task.title,
        "instructions": str(task.instructions.get("prompt", "")),
        "task_id": task.id,
        "n_documents": str(len(task.documents)),
    }
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template).strip()


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def strip_userinfo(url: str) -> str:
    """The URL without ``user:password@``, fit to be written down."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


class OpenAICompat:
    """A chat-completions client that turns one task into one summary (see the module docstring)."""

    def __init__(
        self,
        model: str,
        base_url: str | None = None,
        api_key_env: str | None = None,
        prompt: str | None = None,
        prompt_file: str | None = None,
        system: str | None = None,
        temperature: float = 0.0,
        max_tokens: int | None = None,
        top_p: float | None = None,
        seed: int | None = None,
        words: int | None = None,
        request_timeout: float = 120.0,
        retries: int = 4,
        backoff: float = 1.0,
        max_wait: float = 60.0,
    ):
        spec = f"openai:{model}"
        if not model:
            raise InputError.at(spec, "", "no model name", "e.g. openai:gpt-4o-mini")
        if prompt is not None and prompt_file is not None:
            raise InputError.at(spec, "--set prompt", "both prompt and prompt_file are set", "keep one")
        if base_url and "@" in urlsplit(base_url).netloc:
            raise InputError.at(spec, "--base-url", "the URL carries credentials (user:password@), which would be written to the manifest",
                                "drop them from the URL and pass the key through OPENAI_API_KEY or --set api_key_env=NAME")
        self.model = model
        self.base_url = (base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        if not self.base_url.startswith(("http://", "https://")):
            raise InputError.at(spec, "--base-url", f"not an http(s) URL: {strip_userinfo(self.base_url)!r}", "e.g. http://127.0.0.1:8000/v1")
        key_env = api_key_env or DEFAULT_KEY_ENV
        self._key = os.environ.get(key_env) or None
        if self._key is None and (api_key_env or urlsplit(self.base_url).hostname == "api.openai.com"):
            raise InputError.at(spec, key_env, "no API key in the environment", f"export {key_env}=... (keys are read from the environment only)")
        self.key_env = key_env
        if prompt_file is not None:
            from ..core.safe_read import UnreadableFile, read_limited

            try:
                prompt = read_limited(prompt_file, 2**20).decode("utf-8")
            except (UnreadableFile, UnicodeDecodeError) as exc:
                raise InputError.at(spec, "--set prompt_file", f"cannot read {prompt_file!r}: {exc}", "give a UTF-8 text file") from exc
        self.template = prompt if prompt is not None else DEFAULT_PROMPT
        if "{documents}" not in self.template:
            raise InputError.at(spec, "--set prompt", "the prompt template has no {documents} placeholder", f"placeholders: {', '.join('{' + p + '}' for p in PLACEHOLDERS)}")
        self.system = system
        self.params: dict[str, Any] = {"temperature": float(temperature)}
        for name, value in (("max_tokens", max_tokens), ("top_p", top_p), ("seed", seed)):
            if value is not None:
                self.params[name] = value
        self.words = int(words) if words is not None else None
        self.request_timeout = float(request_timeout) if not isinstance(request_timeout, bool) else math.nan
        if not math.isfinite(self.request_timeout) or self.request_timeout <= 0:
            raise InputError.at(spec, "--set request_timeout", f"{request_timeout!r} is not a positive, finite number of seconds", "e.g. --set request_timeout=120")
        self.retries = max(0, int(retries))
        self.backoff = float(backoff)
        self.max_wait = float(max_wait)
        self.log: Callable[[dict[str, Any]], None] | None = None
        self._local = threading.local()
        self._clients: list[Any] = []
        self._clients_lock = threading.Lock()
        self._cancelled: set[str] = set()
        self._closed = False

    def identity(self) -> dict[str, Any]:
        """What decides the output beyond the options: endpoint (no credentials), model, prompt text, parameters."""
        return {"base_url": strip_userinfo(self.base_url), "model": self.model, "template": self.template, "system": self.system, "params": self.params, "words": self.words}

    def set_logger(self, log: Callable[[dict[str, Any]], None]) -> None:
        self.log = log

    def _client(self):
        client = getattr(self._local, "client", None)
        if client is None:
            import httpx

            headers = {"Authorization": f"Bearer {self._key}"} if self._key else {}
            client = httpx.Client(headers=headers, timeout=httpx.Timeout(self.request_timeout), follow_redirects=False)
            bound_client(client)  # request_timeout becomes a deadline for the whole request
            self._local.client = client
            with self._clients_lock:
                self._clients.append(client)
        return client

    def request_body(self, task: Task) -> dict[str, Any]:
        messages = [{"role": "system", "content": self.system}] if self.system else []
        messages.append({"role": "user", "content": render_prompt(self.template, task, self.words)})
        return {"model": self.model, "messages": messages, **self.params}

    def summarize(self, task: Task) -> str:
        return self.post_chat(self.request_body(task), task.id)

    def post_chat(self, body: dict[str, Any], label: str) -> str:
        """POST one chat-completions body, with the retries above; the reply's text. ``label`` names the
        job in retry logs and cancellation (a task id; the judges reuse this client for their prompts)."""
        import httpx

        url = f"{self.base_url}/chat/completions"
        attempt = 0
        while True:
            attempt += 1
            self._check_cancelled(label)
            wait: float | None = None
            try:
                status, headers, data = self._post(url, body)
            except httpx.TimeoutException:
                problem = f"no answer within {self.request_timeout:g} s (the whole request)"
            except httpx.TransportError as exc:
                problem = f"connection failed ({type(exc).__name__}: {self._mask(str(exc))})"
            else:
                if status == 200:
                    return self._content(data)
                problem = f"HTTP {status}: {self._mask(data[:300].decode('utf-8', 'replace').strip())}"
                if status not in RETRY_STATUS:
                    hint = f" (is ${self.key_env} set and valid?)" if status in (401, 403) else ""
                    raise SummarizerFailure(problem + hint)
                wait = retry_after(headers.get("retry-after"))
            if attempt > self.retries:
                raise SummarizerFailure(f"{problem}; gave up after {attempt} attempt(s)")
            delay = min(self.max_wait, wait if wait is not None else self.backoff * 2 ** (attempt - 1))
            self._check_cancelled(label)
            if self.log is not None:
                self.log({"event": "retry", "task_id": label, "attempt": attempt, "problem": problem, "wait_s": round(delay, 3)})
            time.sleep(delay)

    def cancel(self, task_id: str) -> None:
        """The run gave up on ``task_id`` (its --timeout): send no further request for it."""
        with self._clients_lock:
            self._cancelled.add(task_id)

    def _check_cancelled(self, task_id: str) -> None:
        with self._clients_lock:
            if self._closed or task_id in self._cancelled:
                raise SummarizerFailure("cancelled: the run timed out this task or ended")

    def _post(self, url: str, body: dict[str, Any]) -> tuple[int, Any, bytes]:
        """(status, headers, body) of one POST, within the request deadline and the body cap."""
        import httpx

        with deadline_for(self.request_timeout) as deadline:
            with self._client().stream("POST", url, json=body) as response:
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > MAX_REPLY_BYTES:
                        raise SummarizerFailure(f"the reply passed {MAX_REPLY_BYTES // 2**20} MiB (HTTP {response.status_code}); stopped reading it")
                    chunks.append(chunk)
                    if time.monotonic() > deadline:  # in case the transport could not be bounded
                        raise httpx.ReadTimeout("the request's deadline passed")
                return response.status_code, response.headers, b"".join(chunks)

    def _content(self, raw: bytes) -> str:
        try:
            data = json_loads(raw.decode("utf-8"))
        except ValueError as exc:
            raise SummarizerFailure(f"malformed JSON in the reply ({exc}): {self._mask(raw[:200].decode('utf-8', 'replace'))!r}") from None
        try:
            choice = data["choices"][0]
            content = choice["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise SummarizerFailure(f"reply has no choices[0].message.content: {self._mask(json.dumps(data)[:200])}") from None
        if not isinstance(content, str):
            reason = choice.get("finish_reason") if isinstance(choice, Mapping) else None
            raise SummarizerFailure(f"reply content is {type(content).__name__}, not text (finish_reason: {reason})")
        return content.strip()

    def _mask(self, text: str) -> str:
        return text.replace(self._key, "***") if self._key else text

    def close(self) -> None:
        with self._clients_lock:
            self._closed = True
            clients, self._clients = self._clients, []
        for client in clients:
            client.close()

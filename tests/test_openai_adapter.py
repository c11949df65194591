"""``openai:`` against a real chat-completions server on 127.0.0.1, started by the test.

The server's behaviour is chosen by the model name: ``ok``, ``rate-limited``
(429 with Retry-After, then 200), ``flaky`` (500, then 200), ``slow`` (answers
after the client's timeout), ``broken`` (200 with malformed JSON), ``denied`` (401).
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from bench_factory import write_task
from chat_endpoint import ChatEndpoint

KEY = "sk-test-7f3a9c1e5b2d4f6a8c0e"


class ChatServer(ChatEndpoint):
    """A chat-completions endpoint that records every request it gets."""

    def handle(self, handler: BaseHTTPRequestHandler, raw: bytes) -> None:
        body = json.loads(raw)
        with self.lock:
            self.requests.append({"path": handler.path, "body": body, "auth": handler.headers.get("Authorization"),
                                  "time": time.monotonic(), "thread": threading.get_ident()})
            seen = sum(1 for r in self.requests if r["body"]["model"] == body["model"])
        self.answer(handler, body, seen)

    def answer(self, handler: BaseHTTPRequestHandler, body: dict[str, Any], seen: int) -> None:
        model = body["model"]
        prompt = body["messages"][-1]["content"]
        ok = {"id": "c1", "object": "chat.completion", "model": model,
              "choices": [{"index": 0, "finish_reason": "stop",
                           "message": {"role": "assistant", "content": f"  Summary by {model} of a {len(prompt.split())}-word prompt.  "}}]}
        if model == "rate-limited" and seen == 1:
            return self.reply(handler, 429, {"error": {"message": "slow down"}}, {"Retry-After": "1"})
        if model == "flaky" and seen == 1:
            return self.reply(handler, 500, {"error": {"message": "upstream hiccup"}})
        if model == "slow":
            time.sleep(1.5)
        if model == "mixed":
            time.sleep(3.0 if "t-slow" in prompt else 0.6)
        if model == "broken":
            return self.reply(handler, 200, b'{"choices": [{"message": {"content": "cut')
        if model == "denied":
            return self.reply(handler, 401, {"error": {"message": f"bad key {handler.headers.get('Authorization')}"}})
        return self.reply(handler, 200, ok)

    def of(self, model: str) -> list[dict[str, Any]]:
        with self.lock:
            return [r for r in self.requests if r["body"]["model"] == model]


@pytest.fixture
def server():
    with ChatServer().serving() as chat:
        yield chat


@pytest.fixture
def run_openai(cli, seed_root: Path, tmp_path: Path, server: ChatServer, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)

    def run(model: str, *extra: str, root: Path = seed_root) -> tuple[int, Path, str]:
        out = tmp_path / f"run-{model}-{len(list(tmp_path.glob('run-*')))}"
        code, _, err = cli("run", f"openai:{model}", "--base-url", server.url, *extra,
                           "--root", str(root), "--out", str(out), "--metrics", "rouge", "-q", "--no-cache")
        return code, out, err

    return run


def report_of(out: Path) -> dict[str, Any]:
    return json.loads((out / "report.json").read_text())


def summaries_of(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "summaries.jsonl").read_text().splitlines()]


def everything_written(*folders: Path) -> str:
    return "".join(p.read_text(encoding="utf-8", errors="replace") for f in folders for p in f.rglob("*") if p.is_file())


def test_success_sends_the_documents_and_stores_the_reply(run_openai, server: ChatServer, seed_root: Path, tmp_path: Path) -> None:
    code, out, err = run_openai("ok")
    assert code == 0, err
    (request,) = server.of("ok")
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == f"Bearer {KEY}"
    assert request["body"]["temperature"] == 0
    prompt = request["body"]["messages"][-1]["content"]
    bbc = (seed_root / "tasks" / "trump-putin-call" / "bbc.txt").read_text(encoding="utf-8").strip()
    assert bbc in prompt and "about 150 words" in prompt
    (record,) = summaries_of(out)
    assert record["summary"].startswith("Summary by ok of a ") and record["summary"] == record["summary"].strip()
    assert report_of(out)["complete"]
    assert KEY not in everything_written(out, tmp_path)


def test_429_waits_as_retry_after_says(run_openai, server: ChatServer) -> None:
    code, out, err = run_openai("rate-limited", "--set", "backoff=0.01")
    assert code == 0, err
    first, second = server.of("rate-limited")
    assert second["time"] - first["time"] >= 0.95  # Retry-After: 1, not the 0.01 s backoff
    assert report_of(out)["complete"]
    retries = [json.loads(line) for line in (out / "log.jsonl").read_text().splitlines()]
    assert any(e["event"] == "retry" and "HTTP 429" in e["problem"] and e["wait_s"] == 1.0 for e in retries)


def test_500_then_success(run_openai, server: ChatServer) -> None:
    code, out, err = run_openai("flaky", "--set", "backoff=0.05")
    assert code == 0, err
    assert len(server.of("flaky")) == 2
    assert summaries_of(out)[0]["summary"].startswith("Summary by flaky")


def test_slow_answers_time_out_then_fail_after_the_retries(run_openai, server: ChatServer) -> None:
    code, out, err = run_openai("slow", "--set", "request_timeout=0.3", "--set", "retries=1", "--set", "backoff=0.01")
    assert code == 4, err  # a failed task: the run exits 4 (incomplete)
    (failure,) = report_of(out)["failures"]
    assert "no answer within 0.3 s" in failure["error"] and "gave up after 2 attempt(s)" in failure["error"]
    assert len(server.of("slow")) == 2


def test_malformed_json_is_a_failure_without_retry(run_openai, server: ChatServer) -> None:
    code, out, err = run_openai("broken", "--set", "backoff=0.01")
    assert code == 4, err  # a failed task: the run exits 4 (incomplete)
    (failure,) = report_of(out)["failures"]
    assert "malformed JSON" in failure["error"]
    assert len(server.of("broken")) == 1


def test_401_fails_at_once_and_never_echoes_the_key(run_openai, server: ChatServer, tmp_path: Path) -> None:
    code, out, err = run_openai("denied")
    assert code == 4, err  # a failed task: the run exits 4 (incomplete)
    (failure,) = report_of(out)["failures"]
    assert "HTTP 401" in failure["error"] and "OPENAI_API_KEY" in failure["error"]
    assert len(server.of("denied")) == 1
    assert KEY not in everything_written(out, tmp_path)


def test_prompt_template_and_named_key(run_openai, server: ChatServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_ENDPOINT_TOKEN", "token-for-local-endpoint")
    template = tmp_path / "prompt.txt"
    template.write_text("Task {task_id}: {target_words} words, JSON {\"keep\": true}.\n{documents}", encoding="utf-8")
    code, _, err = run_openai("ok", "--set", f"prompt_file={template}", "--set", "api_key_env=MY_ENDPOINT_TOKEN", "--set", "system=Be brief.")
    assert code == 0, err
    (request,) = server.of("ok")
    assert request["auth"] == "Bearer token-for-local-endpoint"
    messages = request["body"]["messages"]
    assert messages[0] == {"role": "system", "content": "Be brief."}
    assert messages[1]["content"].startswith('Task trump-putin-call: 150 words, JSON {"keep": true}.\nDocument 1: ')


def test_configuration_errors_are_one_line(run_openai, monkeypatch: pytest.MonkeyPatch, cli, seed_root: Path) -> None:
    code, _, err = run_openai("ok", "--set", "prompt=Summarize in {target_words} words.")
    assert code == 2 and "{documents}" in err
    code, _, err = run_openai("ok", "--set", "api_key_env=NOT_SET_ANYWHERE")
    assert code == 2 and "NOT_SET_ANYWHERE" in err
    code, _, err = run_openai("ok", "--set", f"api_key={KEY}")
    assert code == 2 and "environment variable" in err and KEY not in err
    code, _, err = cli("run", "lead", "--base-url", "http://127.0.0.1:1/v1", "--root", str(seed_root), "-q")
    assert code == 2 and "openai:" in err
    code, _, err = cli("run", "openai:ok", "--base-url", "http://user:hunter22@127.0.0.1:1/v1", "--root", str(seed_root), "-q")
    assert code == 2 and "credentials" in err
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY")
    code, _, err = cli("run", "openai:gpt-4o-mini", "--root", str(seed_root), "-q")
    assert code == 2 and "OPENAI_API_KEY" in err  # api.openai.com without a key: refused before any task


def test_concurrent_requests_use_one_client_per_thread(run_openai, server: ChatServer, tmp_path: Path) -> None:
    root = tmp_path / "many"
    for i in range(8):
        write_task(root, f"t{i}", f"Festival {i}", {"a": f"Story {i}: the harbour festival opens this weekend with {i} boats.\n"}, "The festival opens.")
    code, out, err = run_openai("slow", "--concurrency", "8", "--set", "request_timeout=10", root=root)
    assert code == 0, err
    report = report_of(out)
    assert report["summaries"] == 8 and not report["failures"]
    times = sorted(r["time"] for r in server.of("slow"))
    assert times[-1] - times[0] < 1.4, "the 8 requests (1.5 s each) were not in flight together"
    assert [r["task_id"] for r in summaries_of(out)] == [f"t{i}" for i in range(8)]


def test_run_timeout_stops_the_retries(run_openai, server: ChatServer, tmp_path: Path) -> None:
    # t-slow: the server takes 3 s, the client gives up after 1 s and would retry; the run's --timeout
    # (0.8 s) abandoned it before that, while t-wait (0.6 s) keeps the run going past the retry time
    root = tmp_path / "two"
    for task_id in ("t-slow", "t-wait"):
        folder = root / "tasks" / task_id
        folder.mkdir(parents=True)
        (folder / "a.txt").write_text(f"Story {task_id}: the harbour festival opens this weekend.\n")
        (folder / "task.toml").write_text(f'id = "{task_id}"\ntitle = "Festival"\n[[documents]]\nid = "a"\nfile = "a.txt"\n')
        (root / "gold").mkdir(exist_ok=True)
        (root / "gold" / f"{task_id}.toml").write_text(f'task = "{task_id}"\n[[references]]\nid = "r"\ntext = "The festival opens."\n')
    code, out, err = run_openai("mixed", "--timeout", "0.8", "--set", "request_timeout=1", "--set", "backoff=0.01", root=root)
    assert code == 4, err  # a failed task: the run exits 4 (incomplete)
    report = report_of(out)
    assert [f["task_id"] for f in report["failures"]] == ["t-slow"] and "Timeout" in report["failures"][0]["error"]
    slow_requests = [r for r in server.of("mixed") if "t-slow" in r["body"]["messages"][-1]["content"]]
    assert len(slow_requests) == 1, "the abandoned task kept retrying"

"""No leakage, no injection: summarizers see only the task, commands get no shell, API keys stay out of files.

The benchmark here has words that occur only in its gold (``GOLD_MARKERS``).
Test summarizers search everything they can reach for them; planted control
words prove each search actually looks where it claims to.
"""

from __future__ import annotations

import json
import secrets
import sys
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from chat_endpoint import ChatEndpoint
from fault_tools import CONTROLS, GOLD_MARKERS

TESTS = Path(__file__).resolve().parent


def toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def make_root(root: Path, title: str = "Council budget", tasks: dict[str, str] | None = None) -> Path:
    """Tasks whose documents carry the input control word and whose gold carries the gold-only words."""
    tasks = tasks or {"leak": "The council met on Tuesday."}
    ref, fact, probe, why = GOLD_MARKERS
    for task_id, extra in tasks.items():
        folder = root / "tasks" / task_id
        folder.mkdir(parents=True)
        (folder / "d1.txt").write_text(f"{extra} The council approved the budget {CONTROLS['input']}.\n", encoding="utf-8")
        (folder / "d2.txt").write_text("Council members approved the new budget on Tuesday evening.\n", encoding="utf-8")
        (folder / "task.toml").write_text(
            f'id = "{task_id}"\ntitle = {toml_string(title)}\n\n'
            '[[documents]]\nid = "d1"\nfile = "d1.txt"\n\n[[documents]]\nid = "d2"\nfile = "d2.txt"\n',
            encoding="utf-8",
        )
        (root / "gold").mkdir(exist_ok=True)
        (root / "gold" / f"{task_id}.toml").write_text(
            f'task = "{task_id}"\n\n[[references]]\nid = "r"\ntext = "The council approved the budget {ref}."\n\n'
            f'[[key_facts]]\nid = "f"\ntext = "Budget approved {fact}."\n\n'
            f'[[probes]]\nid = "p"\nkind = "fabrication"\nclaim = "The mayor resigned {probe}."\nwhy = "No source says so {why}."\n',
            encoding="utf-8",
        )
    return root


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory (not the benchmark root) holding the cwd control word; the env control word is set.

    Reports of earlier runs show gold text to people (report.html lists key facts), so a
    summarizer run from a folder holding them could read them: docs/reliability.md says so.
    """
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.txt").write_text(f"my notes {CONTROLS['cwd']}\n", encoding="utf-8")
    monkeypatch.setenv("SUMBENCH_TEST_CONTROL", CONTROLS["env"])
    monkeypatch.setenv("SUMBENCH_CACHE", str(tmp_path / "cache"))  # a fresh summary cache: every summarizer really runs
    return work


def assert_nothing_leaked(report: dict) -> None:
    assert report["controls"] == {place: True for place in CONTROLS}, "a search did not look where it should"
    assert report["cwd_files"] >= 1
    leaks = {place: found for place, found in report["leaks"].items() if found}
    assert not leaks, f"gold text reached the summarizer: {leaks}"


def test_python_summarizer_sees_no_gold(cli, tmp_path: Path, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_root(tmp_path / "bench")
    monkeypatch.chdir(workdir)  # the run's own results folder (results/...) is created in here
    report_path = tmp_path / "report.json"
    monkeypatch.setenv("SUMBENCH_TEST_LEAK_REPORT", str(report_path))
    code, _, err = cli("run", f"{TESTS / 'fault_tools.py'}:LeakProbe", "--root", str(root), "-q")
    assert code == 0, err
    report = json.loads(report_path.read_text())
    assert_nothing_leaked(report)
    assert any(name.endswith("/.lock") for name in report["open_files"]), "the open-file search saw nothing"


def test_command_summarizer_sees_no_gold_and_gets_no_shell(cli, tmp_path: Path, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    canaries = [tmp_path / f"pwned-{i}" for i in range(5)]
    title = f"$(touch {canaries[0]}) `touch {canaries[1]}` ; touch {canaries[2]} | touch {canaries[3]} && $(rm -rf ~/nothing-here)"
    root = make_root(tmp_path / "bench", title=title)
    monkeypatch.chdir(workdir)
    report_path = tmp_path / "child-report.json"
    spec = f"cmd:{sys.executable} {TESTS / 'leak_child.py'} {report_path} ; touch {canaries[4]}"
    # cwd=workdir: the child searches the folder holding the planted control word (by default it
    # would start in an empty scratch folder, tested in test_cmd_summarizer.py)
    code, _, err = cli("run", spec, "--set", f"cwd={workdir}", "--root", str(root), "--out", str(workdir / "results" / "cmd"), "-q")
    assert code == 0, err
    report = json.loads(report_path.read_text())
    assert_nothing_leaked(report)
    assert report["title"] == title, "the title must reach the child verbatim, as data"
    assert report["argv"] == [str(report_path), ";", "touch", str(canaries[4])], "no shell: ';' is just an argument"
    assert not [c for c in canaries if c.exists()], "a shell ran part of the task title or command line"
    assert report["parent_open_files"], "the search of the parent's open files saw nothing"


class FakeEndpoint(ChatEndpoint):
    """An OpenAI-compatible endpoint that misbehaves on purpose and echoes the caller's key back."""

    def handle(self, handler: BaseHTTPRequestHandler, raw: bytes) -> None:
        body = raw.decode("utf-8")
        auth = handler.headers.get("authorization", "")
        with self.lock:
            self.requests.append({"auth": auth, "body": body, "path": handler.path})
        if "MODE-OK" in body:
            status, reply = 200, json.dumps({"choices": [{"message": {"role": "assistant", "content": "The council approved the budget."}}]})
        elif "MODE-401" in body:
            status, reply = 401, json.dumps({"error": {"message": f"Incorrect API key provided: {auth}"}})
        elif "MODE-500" in body:
            status, reply = 500, f"upstream failure for {auth}"
        else:  # MODE-BADJSON
            status, reply = 200, f"not json at all; you sent {auth}"
        self.reply(handler, status, reply.encode("utf-8"))


def test_api_key_never_reaches_results_logs_or_reports(cli, tmp_path: Path, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    modes = {"ok-task": "MODE-OK", "unauthorized": "MODE-401", "server-error": "MODE-500", "bad-json": "MODE-BADJSON"}
    root = make_root(tmp_path / "bench", tasks=modes)
    secret = "sk-test-" + secrets.token_hex(16)
    monkeypatch.setenv("SUMBENCH_TEST_SECRET", secret)
    monkeypatch.chdir(workdir)
    out = workdir / "results" / "api"
    with FakeEndpoint().serving() as endpoint:
        code, stdout, stderr = cli(
            "run", "openai:fake-model", "--root", str(root), "--out", str(out), "--base-url", endpoint.url,
            "--set", "api_key_env=SUMBENCH_TEST_SECRET", "--set", "retries=1", "--set", "backoff=0.01",
            "--metrics", "rouge", "-q",
        )
    assert code in (0, 4), stderr  # 4: the run finished with failed tasks (CI exit code)
    assert {s["auth"] for s in endpoint.requests} == {f"Bearer {secret}"}, "the key must reach the endpoint"
    for request in endpoint.requests:
        assert not [m for m in GOLD_MARKERS if m in request["body"]], "gold text was sent to the endpoint"
    records = {json.loads(line)["task_id"]: json.loads(line) for line in (out / "summaries.jsonl").read_text().splitlines()}
    assert "summary" in records["ok-task"]
    for task_id in ("unauthorized", "server-error", "bad-json"):  # each echoed the key; the record keeps a masked echo
        assert "error" in records[task_id] and "Bearer ***" in records[task_id]["error"], records[task_id]
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) >= 4
    leaked = [str(p.relative_to(out)) for p in files if secret.encode() in p.read_bytes()]
    assert not leaked, f"the API key was written to {leaked}"
    assert secret not in stdout and secret not in stderr

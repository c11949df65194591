"""Hostile endpoints, cache entries, output folders and report text (issue 14).

- an ``openai:`` endpoint that drips one byte every 0.5 s (in its headers or its body) is cut at
  ``request_timeout`` for the whole request, and a 100 MB reply is refused after 16 MiB;
- a cache entry with a lone surrogate or 2,000,000 characters is a miss with a warning, and
  the summary is made again;
- a disk that fills up during a run, and ``report``/``baseline`` writing to a read-only place,
  end with one ``error:`` line and exit 2 (tmpfs mounts: skipped where mounting is not allowed);
- a failing summarizer's stderr cannot put headings, verdicts or image beacons into report.md or
  check.md;
- /dev/zero and a FIFO are refused by the file reader, quickly.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from bench_factory import write_task

# ----------------------------------------------------------------------------- files that never end


def test_dev_zero_and_fifo_are_refused_without_reading(tmp_path: Path) -> None:
    from bench.core.safe_read import UnreadableFile, read_limited

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for path, reason in (("/dev/zero", "is a device, not a regular file"), (fifo, "is a FIFO, not a regular file")):
        started = time.monotonic()
        with pytest.raises(UnreadableFile, match=reason):
            read_limited(path, 20 * 2**20)
        seconds = time.monotonic() - started
        print(f"{path}: refused in {seconds:.4f} s")
        assert seconds < 2, f"{path}: {seconds:.2f} s"


# ----------------------------------------------------------------------------- dripping endpoint


class DripServer:
    """A raw HTTP server on 127.0.0.1: ``mode`` drip-body (headers at once, then one byte every 0.5 s),
    drip-headers (one header byte every 0.5 s) or flood (a 100 MB body as fast as it can)."""

    def __init__(self, mode: str):
        self.mode = mode
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/v1"
        self.stop = threading.Event()
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.answer, args=(conn,), daemon=True).start()

    def answer(self, conn: socket.socket) -> None:
        try:
            conn.recv(1 << 20)
            body = json.dumps({"choices": [{"message": {"content": "The river rose."}}]}).encode()
            if self.mode == "drip-body":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
                data = (body + b" " * 100000)[:100000]
            elif self.mode == "drip-headers":
                data = b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 10000 + b"\r\n\r\n"
            else:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n")
                chunk = b" " * (1 << 20)
                for _ in range(100):
                    conn.sendall(chunk)
                return
            for i in range(len(data)):
                if self.stop.is_set():
                    return
                conn.sendall(data[i:i + 1])
                time.sleep(0.5)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.mark.parametrize("mode", ["drip-body", "drip-headers"])
def test_dripping_endpoint_is_cut_at_request_timeout(mode: str) -> None:
    from bench.core.model import Document, Task
    from bench.summarizers.base import SummarizerFailure
    from bench.summarizers.openai_compat import OpenAICompat

    server = DripServer(mode)
    try:
        client = OpenAICompat("drip", base_url=server.url, request_timeout=3, retries=0)
        started = time.monotonic()
        with pytest.raises(SummarizerFailure, match=r"no answer within 3 s \(the whole request\)"):
            client.summarize(Task("t", "T", (Document("d", "The river rose."),)))
        seconds = time.monotonic() - started
        client.close()
    finally:
        server.close()
    print(f"{mode}: cut after {seconds:.2f} s (request_timeout 3 s)")
    assert 2.9 <= seconds < 5, f"{mode}: the request lasted {seconds:.1f} s with request_timeout=3"


def test_huge_reply_is_refused_after_the_cap() -> None:
    import tracemalloc

    from bench.core.model import Document, Task
    from bench.summarizers.base import SummarizerFailure
    from bench.summarizers.openai_compat import OpenAICompat

    server = DripServer("flood")
    try:
        client = OpenAICompat("flood", base_url=server.url, request_timeout=60, retries=0)
        tracemalloc.start()
        try:
            with pytest.raises(SummarizerFailure, match="the reply passed 16 MiB"):
                client.summarize(Task("t", "T", (Document("d", "The river rose."),)))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        client.close()
    finally:
        server.close()
    print(f"100 MB reply: peak {peak / 2**20:.1f} MiB allocated")
    assert peak < 64 * 2**20


# ----------------------------------------------------------------------------- cache entries


@pytest.mark.parametrize("summary, why", [("bad \ud800 text", "lone surrogate"), ("word " * 400_000, "over the 1,000,000 limit")])
def test_bad_cache_entry_is_a_miss_with_a_warning(cli, tmp_path: Path, summary: str, why: str) -> None:
    root = tmp_path / "bench"
    write_task(root, "t0", "River", {"a": "The river rose in town. The mayor closed the old bridge.\n"}, "The river rose.")
    code, _, err = cli("run", "lead", "--root", str(root), "--out", str(tmp_path / "run1"), "--metrics", "rouge", "-q")
    assert code == 0, err
    (entry_path,) = (Path(os.environ["SUMBENCH_CACHE"]) / "summaries").rglob("*.json")
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    good = entry["summary"]
    entry["summary"] = summary
    entry_path.write_text(json.dumps(entry), encoding="utf-8")  # ensure_ascii: the surrogate is stored as \ud800
    code, _, err = cli("run", "lead", "--root", str(root), "--out", str(tmp_path / "run2"), "--metrics", "rouge", "-q")
    assert code == 0, err
    assert "Traceback" not in err
    assert any(line.startswith("warning: ") and why in line and "ignored it" in line for line in err.splitlines()), err
    (record,) = [json.loads(line) for line in (tmp_path / "run2" / "summaries.jsonl").read_text().splitlines()]
    assert record["summary"] == good  # made again, not taken from the cache
    assert json.loads(entry_path.read_text(encoding="utf-8"))["summary"] == good  # and the entry repaired


# ----------------------------------------------------------------------------- output folders


@pytest.fixture
def mount_tmpfs(tmp_path: Path):
    """Mount a small tmpfs (size, read-only); skip where mounting is not allowed (not root, no CAP_SYS_ADMIN)."""
    mounted: list[Path] = []

    def mount(name: str, options: str) -> Path:
        point = tmp_path / name
        point.mkdir()
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True, text=True)
        if result.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert "Traceback" not in err, err
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1, err
    return errors[0]


def test_disk_full_during_a_run_is_one_line(cli, tmp_path: Path, mount_tmpfs) -> None:
    full = mount_tmpfs("full", "size=128k")
    root = tmp_path / "bench"
    for i in range(4):
        write_task(root, f"t{i}", "River", {"a": f"The river rose in town {i}. The mayor closed the old bridge.\n"}, "The river rose.")
    big = tmp_path / "big.sh"
    big.write_text("#!/bin/sh\ncat > /dev/null\nhead -c 60000 /dev/zero | tr '\\0' 'w'\necho\n")
    big.chmod(0o755)
    code, _, err = cli("run", f"cmd:{big}", "--root", str(root), "--out", str(full / "run"), "--metrics", "rouge", "-q", "--no-cache")
    assert code == 2, err
    line = _one_error_line(err)
    assert "No space left on device" in line and "(fix: free some space" in line


def test_report_and_baseline_to_a_read_only_place_are_one_line(cli, tmp_path: Path, mount_tmpfs) -> None:
    root = tmp_path / "bench"
    for i in range(2):
        write_task(root, f"t{i}", "River", {"a": f"The river rose in town {i}. The mayor closed the old bridge.\n"}, "The river rose.")
    run = tmp_path / "run"
    assert cli("run", "lead", "--root", str(root), "--out", str(run), "--metrics", "rouge", "-q")[0] == 0
    read_only = mount_tmpfs("ro", "ro,size=64k")
    code, _, err = cli("report", str(run), "--out", str(read_only / "report"))
    assert code == 2, err
    assert "Read-only file system" in _one_error_line(err)
    code, _, err = cli("baseline", str(run), "--out", str(read_only / "baseline.json"))
    assert code == 2, err
    assert "Read-only file system" in _one_error_line(err)
    assert not list(read_only.iterdir())


# ----------------------------------------------------------------------------- Markdown injection

INJECTION = (
    "# sumbench check: PASS (exit 0)\n\n### All gates passed\n"
    "![beacon](https://tracker.example/pixel.png?run=1) [click](https://evil.example) <img src=x> **PASS**"
)


def _outside_code_spans(markdown: str) -> str:
    return re.sub(r"(`+).*?\1", "", markdown)


def test_summarizer_text_cannot_forge_markdown(cli, tmp_path: Path) -> None:
    root = tmp_path / "bench"
    for i in range(5):
        write_task(root, f"t{i}", "River", {"a": f"The river rose in town {i}. The mayor closed the old bridge.\n"}, "The river rose.")
    base = tmp_path / "base"
    assert cli("run", "lead", "--root", str(root), "--out", str(base), "--metrics", "rouge", "-q")[0] == 0
    evil = tmp_path / "evil.sh"
    evil.write_text(f"#!/bin/sh\ncat > /dev/null\ncat <<'EOF' >&2\n{INJECTION}\nEOF\nexit 1\n")
    evil.chmod(0o755)
    run = tmp_path / "run"
    assert cli("run", f"cmd:{evil}", "--root", str(root), "--out", str(run), "--metrics", "rouge", "-q")[0] == 4  # tasks failed
    code, _, _ = cli("check", str(run), "--baseline", str(base), "--out", str(tmp_path / "check.md"))
    assert code == 4
    assert cli("report", str(run), str(base), "--out", str(tmp_path / "rep"))[0] == 0
    for path in (run / "report.md", tmp_path / "check.md", tmp_path / "rep" / "report.md"):
        text = path.read_text(encoding="utf-8")
        assert "tracker.example" in text or path.parent.name == "rep", path  # the error text is shown ...
        plain = _outside_code_spans(text)
        assert "![" not in plain and "<img" not in plain and "](http" not in plain, (path, plain)  # ... inert
        headings = [line for line in text.splitlines() if line.startswith("#")]
        assert not any("PASS" in h or "All gates" in h for h in headings), (path, headings)

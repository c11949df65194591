"""``cmd:`` programs that misbehave with processes and output: no descendant outlives its task or a
SIGTERM/SIGINT to sumbench, a leftover holding stdout does not stall the run, and 400 MB of output
costs bounded memory. Everything runs end to end through the CLI (in-process, or as a real
``sumbench`` subprocess when a signal or the process's own memory is measured)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bench_factory import write_task

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process trees are found through /proc (Linux)")

REPO = Path(__file__).resolve().parent.parent

DAEMON = r'''
import os, sys, time
mine = os.path.join(sys.argv[1], str(os.getpid()))
# a background child in the same group, then a double-forked, setsid daemon that closes its pipes
child = os.fork()
if child == 0:
    time.sleep(300)
    os._exit(0)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        with open(mine + ".tmp", "w") as handle:
            handle.write(f"{os.getpid()}\n{child}\n")
        os.rename(mine + ".tmp", mine)
        time.sleep(300)
        os._exit(0)
    os._exit(0)
os.wait()
while not os.path.exists(mine):
    time.sleep(0.01)
sys.stdin.read()
if os.environ.get("MODE") == "hang":
    time.sleep(300)
print("The river rose and the mayor closed the old bridge.")
'''


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, waiting to be reaped) counts as dead
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_dead(pids: list[int], seconds: float = 5.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.05)
    return [p for p in pids if alive(p)]


def read_pids(path: Path) -> list[int]:
    """Pids written by the programs: a file per program in folder ``path``, or one file."""
    files = sorted(p for p in path.iterdir() if not p.name.endswith(".tmp")) if path.is_dir() else [path] if path.exists() else []
    return [int(x) for f in files for x in f.read_text().split()]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "bench"
    for i in range(3):
        write_task(root, f"t{i}", f"River {i}", {"a": f"The river rose in town {i}. The mayor closed the old bridge.\n"}, "The river rose.")
    return root


def daemon_script(tmp_path: Path) -> Path:
    path = tmp_path / "daemon.py"
    path.write_text(DAEMON, encoding="utf-8")
    return path


def test_setsid_daemon_and_background_child_end_with_their_task(cli, root: Path, tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    pids.mkdir()
    spec = f"cmd:{sys.executable} {daemon_script(tmp_path)} {pids}"
    code, _, err = cli("run", spec, "--root", str(root), "--tasks", "t0", "--out", str(tmp_path / "run"), "--metrics", "rouge", "-q")
    assert code == 0, err
    report = json.loads((tmp_path / "run" / "report.json").read_text())
    assert report["summaries"] == 1 and not report["failures"]
    started = read_pids(pids)
    assert len(started) == 2  # the setsid daemon and the background child
    assert wait_dead(started) == [], "a descendant of the cmd: program outlived its task"


def test_task_timeout_ends_the_daemon_too(cli, root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODE", "hang")
    pids = tmp_path / "pids"
    pids.mkdir()
    spec = f"cmd:{sys.executable} {daemon_script(tmp_path)} {pids}"
    started_at = time.monotonic()
    code, _, err = cli("run", spec, "--root", str(root), "--tasks", "t0", "--timeout", "2", "--out", str(tmp_path / "run"), "--metrics", "rouge", "-q")
    assert code == 4, err  # the task failed (timed out): a run with failed tasks exits 4
    assert time.monotonic() - started_at < 30
    (failure,) = json.loads((tmp_path / "run" / "report.json").read_text())["failures"]
    assert "Timeout" in failure["error"]
    started = read_pids(pids)
    assert len(started) == 2
    assert wait_dead(started) == [], "a descendant survived the task timeout"


def test_leftover_holding_stdout_does_not_stall_the_run(cli, root: Path, tmp_path: Path) -> None:
    """``sleep 25 &`` keeps the pipe open after the script exits: the summary is kept at once."""
    pid_file = tmp_path / "bg"
    sh = tmp_path / "bg.sh"
    sh.write_text(f'#!/usr/bin/env bash\ncat > /dev/null\nsleep 25 &\necho $! > "{pid_file}"\necho "The river rose and the mayor closed the bridge."\n')
    sh.chmod(0o755)
    started = time.monotonic()
    code, _, err = cli("run", f"cmd:{sh}", "--root", str(root), "--out", str(tmp_path / "run"), "--metrics", "rouge", "-q")
    seconds = time.monotonic() - started
    assert code == 0, err
    report = json.loads((tmp_path / "run" / "report.json").read_text())
    assert report["summaries"] == 3 and not report["failures"], report["failures"]
    summaries = [json.loads(line) for line in (tmp_path / "run" / "summaries.jsonl").read_text().splitlines()]
    assert all(s["summary"] == "The river rose and the mayor closed the bridge." for s in summaries)
    print(f"3 tasks with a 25 s leftover on stdout: {seconds:.2f} s")
    assert seconds < 15, f"took {seconds:.1f} s: the leftover stalled the run"
    assert wait_dead(read_pids(pid_file)) == []


def test_child_gets_no_pwd_or_oldpwd(cli, root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PWD", str(root))
    monkeypatch.setenv("OLDPWD", str(root))
    seen = tmp_path / "env"
    sh = tmp_path / "env.sh"
    sh.write_text(f'#!/bin/sh\ncat > /dev/null\nenv > "{seen}"\necho "The river rose."\n')
    sh.chmod(0o755)
    code, _, err = cli("run", f"cmd:{sh}", "--root", str(root), "--tasks", "t0", "--out", str(tmp_path / "run"), "--metrics", "rouge", "-q")
    assert code == 0, err
    names = {line.split("=", 1)[0] for line in seen.read_text().splitlines()}
    assert "HOME" in names  # the environment is passed on (control) ...
    # ... but not where sumbench runs (/bin/sh sets PWD itself to its own folder: the scratch one)
    assert "OLDPWD" not in names
    pwd = next(line.split("=", 1)[1] for line in seen.read_text().splitlines() if line.startswith("PWD="))
    assert pwd != str(root) and "sumbench-cmd-" in pwd


def _sumbench(args: list[str], cwd: Path, env: dict[str, str] | None = None, **kw) -> subprocess.Popen:
    prelude = ("import resource, sys, atexit; atexit.register(lambda: print('MAXRSS_KB', "
               "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)); "
               "from bench.cli import main; main(sys.argv[1:])")
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.Popen([sys.executable, "-c", prelude, *args], cwd=cwd, env=full_env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_to_sumbench_ends_every_running_tree(root: Path, tmp_path: Path, signum: int) -> None:
    """Three tasks at once, each with a background child and a setsid daemon; then the CI runner cancels."""
    pids = tmp_path / "pids"
    pids.mkdir()
    script = daemon_script(tmp_path)
    spec = f"cmd:{sys.executable} {script} {pids}"
    proc = _sumbench(["run", spec, "--root", str(root), "--out", str(tmp_path / "run"), "--concurrency", "3",
                      "--metrics", "rouge", "-q", "--no-cache"], tmp_path, env={"MODE": "hang", "SUMBENCH_CACHE": str(tmp_path / "cache")})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(read_pids(pids)) < 6:
        time.sleep(0.05)
    children = [int(line.split()[0]) for line in subprocess.run(["ps", "-o", "pid=", "--ppid", str(proc.pid)], capture_output=True, text=True).stdout.splitlines()]
    started = read_pids(pids) + children
    assert len(read_pids(pids)) == 6, "the three programs did not all start"
    proc.send_signal(signum)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    if signum == signal.SIGINT:
        assert proc.returncode == 130, err
        assert "interrupted" in err
    else:
        assert proc.returncode == -signal.SIGTERM, err
    assert "Traceback" not in err
    assert wait_dead(started) == [], f"descendants survived {signal.Signals(signum).name}"


def test_400_mb_of_output_costs_bounded_memory(root: Path, tmp_path: Path) -> None:
    """400 MB on stdout (cut at the 4 MB cap, task fails) and 400 MB on stderr (drained, tail kept, task
    succeeds): sumbench's own peak RSS stays within 64 MiB of a run whose program prints one line."""
    quiet = tmp_path / "quiet.sh"
    quiet.write_text('#!/bin/sh\ncat > /dev/null\necho "The river rose."\n')
    flood_out = tmp_path / "flood_out.sh"
    flood_out.write_text("#!/bin/sh\ncat > /dev/null\nhead -c 400000000 /dev/zero | tr '\\0' 'a'\n")
    flood_err = tmp_path / "flood_err.sh"
    flood_err.write_text("#!/bin/sh\ncat > /dev/null\nhead -c 400000000 /dev/zero | tr '\\0' 'e' >&2\necho \"The river rose.\"\n")
    for script in (quiet, flood_out, flood_err):
        script.chmod(0o755)
    rss = {}
    for script in (quiet, flood_out, flood_err):
        out = tmp_path / f"run-{script.stem}"
        proc = _sumbench(["run", f"cmd:{script}", "--root", str(root), "--tasks", "t0", "--out", str(out), "--metrics", "rouge", "-q", "--no-cache"],
                         tmp_path, env={"SUMBENCH_CACHE": str(tmp_path / "cache")})
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == (4 if script is flood_out else 0), err  # the flooding task fails
        rss[script.stem] = int(err.split("MAXRSS_KB")[1].split()[0]) / 1024
        report = json.loads((out / "report.json").read_text())
        if script is flood_out:
            (failure,) = report["failures"]
            assert "stdout passed 4,000,000 bytes" in failure["error"]
        else:
            assert not report["failures"], report["failures"]
    print("peak RSS of sumbench (MiB): " + ", ".join(f"{k} {v:.0f}" for k, v in rss.items()))
    for name in ("flood_out", "flood_err"):
        assert rss[name] - rss["quiet"] < 64, f"{name}: {rss[name]:.0f} MiB vs {rss['quiet']:.0f} MiB for one line"

"""``cmd:`` summarizers: a Perl and a shell program run per task, end to end through the CLI."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from bench_factory import read_lines, write_task

pytestmark = pytest.mark.skipif(shutil.which("perl") is None or shutil.which("bash") is None, reason="needs perl and bash")

PERL_SUMMARIZER = r"""
use strict;
use warnings;
use JSON::PP;
binmode(STDIN);
binmode(STDOUT, ':encoding(UTF-8)');
local $/;
my $task = JSON::PP->new->utf8->decode(<STDIN>);
my $n = $task->{instructions}{target_words} // 100;
my @words = split ' ', $task->{documents}[0]{text};
$n = 12 if $n > 12;
print STDERR "perl: summarizing $task->{id} from ", scalar(@{$task->{documents}}), " documents\n";
print "[$task->{id}] ", join(' ', @words[0 .. $n - 1]), "\n";
"""


def script(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    path.chmod(0o755)
    return path


def test_perl_summarizer_end_to_end(cli, seed_root: Path, tmp_path: Path) -> None:
    perl = script(tmp_path, "lead12.pl", PERL_SUMMARIZER)
    out = tmp_path / "run"
    code, stdout, err = cli("run", f"cmd:perl {perl}", "--root", str(seed_root), "--out", str(out), "--metrics", "rouge", "-q")
    assert code == 0, err
    bbc = (seed_root / "tasks" / "trump-putin-call" / "bbc.txt").read_text(encoding="utf-8")
    expected = "[trump-putin-call] " + " ".join(bbc.split()[:12])
    (record,) = read_lines(out / "summaries.jsonl")
    assert record["summary"] == expected
    assert "rouge1_f" in stdout
    log = read_lines(out / "log.jsonl")
    assert any(e["event"] == "stderr" and "perl: summarizing trump-putin-call from 2 documents" in e["text"] for e in log)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["summarizer"]["kind"] == "command"


def test_child_starts_in_an_empty_scratch_folder(cli, seed_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from a checkout, a command must not find gold/ or results/ in its working directory;
    a relative script path on the command line still works."""
    caller = tmp_path / "checkout"
    (caller / "gold").mkdir(parents=True)
    script(caller, "where.sh", '#!/usr/bin/env bash\necho "cwd=$(pwd) files=$(ls -A | wc -l)"\n')
    monkeypatch.chdir(caller)
    out = tmp_path / "run"
    code, _, err = cli("run", "cmd:bash where.sh", "--root", str(seed_root), "--out", str(out), "--metrics", "rouge", "-q")
    assert code == 0, err
    (record,) = read_lines(out / "summaries.jsonl")
    cwd, files = record["summary"].split()
    assert cwd != f"cwd={caller}" and "sumbench-cmd-" in cwd
    assert files == "files=0"
    assert not Path(cwd.removeprefix("cwd=")).exists(), "the scratch folder is removed afterwards"


def test_task_json_on_stdin_has_the_public_fields_only(cli, seed_root: Path, tmp_path: Path) -> None:
    dump = tmp_path / "stdin.json"
    sh = script(tmp_path, "dump.sh", f'#!/usr/bin/env bash\ncat > "{dump}"\necho "a summary"\n')
    code, _, err = cli("run", f"cmd:{sh}", "--root", str(seed_root), "--out", str(tmp_path / "run"), "--metrics", "rouge", "-q")
    assert code == 0, err
    task = json.loads(dump.read_text(encoding="utf-8"))
    assert set(task) == {"id", "title", "documents", "instructions"}
    assert [d["id"] for d in task["documents"]] == ["bbc", "atlas"]
    assert set(task["documents"][0]) == {"id", "title", "source", "date", "text"}
    assert task["instructions"]["target_words"] == 150
    gold_words = "summary-150"  # ids and texts of gold never travel
    assert gold_words not in dump.read_text() and "national-address-quote" not in dump.read_text()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('echo "model file missing" >&2\nexit 3', "exit status 3; stderr: model file missing"),
        ("printf '\\xff\\xfe summary'", "not UTF-8"),
        ("echo '   '", "empty output"),
        ('kill -TERM $$', "killed by signal 15"),
        ("head -c 10485760 /dev/zero | tr '\\0' 'a'", "over the 1,000,000 limit"),
        ("printf 'binary\\0output'", "NUL bytes"),
    ],
)
def test_bad_output_is_a_failure_with_the_reason(cli, seed_root: Path, tmp_path: Path, body: str, message: str) -> None:
    sh = script(tmp_path, "bad.sh", f"#!/usr/bin/env bash\ncat > /dev/null\n{body}\n")
    out = tmp_path / "run"
    code, _, err = cli("run", f"cmd:{sh}", "--root", str(seed_root), "--out", str(out), "--metrics", "rouge", "-q")
    assert code == 4, err  # a failed task: the run exits 4 (incomplete)
    (failure,) = json.loads((out / "report.json").read_text())["failures"]
    assert message in failure["error"]
    assert any(e["event"] == "failure" and message in e["message"] for e in read_lines(out / "log.jsonl"))


def test_timeout_kills_the_whole_process_group(cli, seed_root: Path, tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    sh = script(tmp_path, "slow.sh", f'#!/usr/bin/env bash\nsleep 300 &\necho $! > "{pids}"\nsleep 300\necho never\n')
    out = tmp_path / "run"
    started = time.monotonic()
    code, _, err = cli("run", f"cmd:{sh}", "--timeout", "1", "--root", str(seed_root), "--out", str(out), "--metrics", "rouge", "-q")
    assert code == 4, err  # a failed task: the run exits 4 (incomplete)
    assert time.monotonic() - started < 20
    (failure,) = json.loads((out / "report.json").read_text())["failures"]
    assert "Timeout" in failure["error"]
    child = int(pids.read_text())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _alive(child):
        time.sleep(0.05)
    assert not _alive(child), "the script's background child survived the timeout"


def test_own_timeout_option_kills_too(cli, seed_root: Path, tmp_path: Path) -> None:
    sh = script(tmp_path, "slow.sh", "#!/usr/bin/env bash\nsleep 300\n")
    out = tmp_path / "run"
    code, _, err = cli("run", f"cmd:{sh}", "--set", "timeout=0.5", "--root", str(seed_root), "--out", str(out), "--metrics", "rouge", "-q")
    assert code == 4, err  # a failed task: the run exits 4 (incomplete)
    (failure,) = json.loads((out / "report.json").read_text())["failures"]
    assert "timed out after 0.5 s; process group killed" in failure["error"]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, not yet reaped by init) counts as dead
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_no_shell_is_involved(cli, seed_root: Path, tmp_path: Path) -> None:
    args_file = tmp_path / "args"
    sh = script(tmp_path, "args.sh", f'#!/usr/bin/env bash\ncat > /dev/null\nprintf "%s\\n" "$@" > "{args_file}"\necho summary\n')
    canary = tmp_path / "pwned"
    spec = f"cmd:{sh} 'two words' '; touch {canary}' '$(touch {canary})' $HOME"
    code, _, err = cli("run", spec, "--root", str(seed_root), "--out", str(tmp_path / "run"), "--metrics", "rouge", "-q")
    assert code == 0, err
    assert args_file.read_text().splitlines() == ["two words", f"; touch {canary}", f"$(touch {canary})", "$HOME"]
    assert not canary.exists()


def test_missing_program_is_a_clear_error(cli, seed_root: Path) -> None:
    code, _, err = cli("run", "cmd:no-such-summarizer-program --fast", "--root", str(seed_root), "-q")
    assert code == 2 and "not found on PATH" in err and "Traceback" not in err
    code, _, err = cli("run", "cmd:", "--root", str(seed_root), "-q")
    assert code == 2 and "empty command" in err
    code, _, err = cli("run", "cmd:perl 'unclosed", "--root", str(seed_root), "-q")
    assert code == 2 and "quotes" in err


def test_secrets_a_command_prints_stay_out_of_results(cli, seed_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "sk-test-0123456789abcdef"
    monkeypatch.setenv("SOME_API_KEY", secret)
    sh = script(tmp_path, "leaky.sh", '#!/usr/bin/env bash\ncat > /dev/null\necho "using key $SOME_API_KEY" >&2\nexit 1\n')
    out = tmp_path / "run"
    code, _, err = cli("run", f"cmd:{sh}", "--root", str(seed_root), "--out", str(out), "--metrics", "rouge", "-q")
    assert code == 4, err  # a failed task: the run exits 4 (incomplete)
    written = "".join(p.read_text(encoding="utf-8") for p in out.iterdir() if p.is_file())
    assert "using key ***" in written
    assert secret not in written


def test_concurrent_commands(cli, tmp_path: Path) -> None:
    root = tmp_path / "many"
    for i in range(6):
        write_task(root, f"t{i}", f"Festival {i}", {"a": f"Story {i} about the harbour festival this weekend.\n"}, "The harbour festival is this weekend.")
    stamps = tmp_path / "stamps"
    sh = script(tmp_path, "sleepy.sh", f'#!/usr/bin/env bash\ncat > /dev/null\necho "start $(date +%s.%N)" >> "{stamps}"\n'
                f'sleep 1\necho "end $(date +%s.%N)" >> "{stamps}"\necho summary of the festival\n')
    code, _, err = cli("run", f"cmd:{sh}", "--concurrency", "6", "--root", str(root), "--out", str(tmp_path / "run"), "--metrics", "rouge", "-q")
    assert code == 0, err
    report = json.loads((tmp_path / "run" / "report.json").read_text())
    assert report["summaries"] == 6 and not report["failures"]
    marks = [line.split() for line in stamps.read_text().splitlines()]
    starts = [float(t) for kind, t in marks if kind == "start"]
    ends = [float(t) for kind, t in marks if kind == "end"]
    assert len(starts) == len(ends) == 6
    assert max(starts) < min(ends), "the six programs were never all running at once"


def test_sigkill_is_the_signal_used(tmp_path: Path) -> None:
    """A child that ignores SIGTERM still goes: the group gets SIGKILL."""
    from bench.core.model import Document, Task
    from bench.summarizers import SummarizerFailure, resolve

    sh = script(tmp_path, "stubborn.sh", "#!/usr/bin/env bash\ntrap '' TERM\nsleep 300\n")
    loaded = resolve(f"cmd:{sh}", {"timeout": 0.3})
    started = time.monotonic()
    with pytest.raises(SummarizerFailure, match="timed out"):
        loaded(Task("t", "T", (Document("d", "text"),)))
    assert time.monotonic() - started < 5

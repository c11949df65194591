"""pytest plugin: a ``sumbench`` fixture that runs a summarizer and applies regression gates.

    def test_summarizer(sumbench):
        sumbench.assert_no_regression("my_pkg:summarize", baseline="baselines/main.json")

pytest loads this module in every session of every project that has sumbench
installed (entry point ``pytest11``), so it imports only pytest and the standard
library here; sumbench itself is imported when a test uses the fixture.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

import pytest

UPDATE_FLAG = "--sumbench-update-baseline"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sumbench", "sumbench regression gates")
    group.addoption(
        UPDATE_FLAG,
        action="store_true",
        default=False,
        help="sumbench.assert_no_regression writes the baseline from the new run instead of checking it (then skips).",
    )


class SumbenchFixture:
    """Runs summarizers into the test's tmp folder and checks them against a baseline."""

    def __init__(self, tmp_path: Path, rootpath: Path, update: bool = False, test_dir: Path | None = None):
        self.tmp_path = tmp_path
        self.rootpath = rootpath
        self.update = update
        self.test_dir = test_dir
        self._runs = 0

    def _path(self, path: str | Path) -> Path:
        """A relative path is read beside the test file first (so a test's baselines travel with
        it, wherever pytest is started); then from the current folder or the pytest root, where
        it exists there. A path that exists nowhere yet (a baseline to write) is the test file's."""
        path = Path(path)
        if path.is_absolute():
            return path
        candidates = ([self.test_dir / path] if self.test_dir else []) + [path, self.rootpath / path]
        return next((c for c in candidates if c.exists()), candidates[0])

    def run(
        self,
        summarizer: str,
        *,
        root: str | Path | None = None,
        tasks: str | Sequence[str] | None = None,
        metrics: str | Sequence[str] | None = None,
        out: str | Path | None = None,
        **run_options: Any,
    ) -> Path:
        """Run and score ``summarizer`` (any spec ``sumbench run`` takes) into a fresh folder; returns it."""
        import dataclasses

        from bench.execution.runner import RunConfig, run

        if "cache" in {f.name for f in dataclasses.fields(RunConfig)}:
            # the summary cache sees only the file that defines a summarizer, not what it imports:
            # a regression test must call the code under test, so it summarizes afresh by default
            run_options.setdefault("cache", False)
        self._runs += 1
        folder = Path(out) if out else self.tmp_path / f"sumbench-run-{self._runs}"
        if isinstance(tasks, (list, tuple)):
            tasks = ",".join(tasks)
        if isinstance(metrics, str):
            metrics = [m.strip() for m in metrics.split(",") if m.strip()]
        config = RunConfig(
            summarizer=summarizer,
            root=str(self._path(root)) if root is not None else None,
            tasks=tasks,  # type: ignore[arg-type]
            metrics=list(metrics) if metrics else None,
            out=str(folder),
            **run_options,
        )
        run(config)
        return folder

    def check(self, run_dir: str | Path, baseline: str | Path, gates: Any = None, **settings: Any):
        """Judge a run folder against a baseline; returns a ``bench.analysis.gates.CheckResult``."""
        from bench.analysis.gates import check, make_settings
        from bench.results.rundata import load_run

        gate_list, file_settings = _gates(gates, self._path)
        result = check(load_run(run_dir), load_run(self._path(baseline)), gate_list, make_settings({**file_settings, **settings}))
        return result

    def assert_no_regression(
        self,
        summarizer: str,
        baseline: str | Path,
        gates: Any = None,
        root: str | Path | None = None,
        tasks: str | Sequence[str] | None = None,
        metrics: str | Sequence[str] | None = None,
        on_inconclusive: str = "fail",
        settings: Mapping[str, Any] | None = None,
        **run_options: Any,
    ):
        """Run ``summarizer`` on the baseline's tasks with its metrics, then apply the gates.

        ``gates``: None (sumbench's defaults), a path to a gates TOML file, or a
        dict like ``{"max_drop": {"rouge2_f": 0.01}, "max_rate": {"hallucination": 0}}``.
        ``on_inconclusive``: "fail" (default), "skip" or "pass" when the gates
        cannot decide (too few tasks, or intervals too wide). Other keyword
        arguments go to ``bench.execution.runner.RunConfig`` (``summarizer_options``,
        ``metric_options``, ``concurrency``, ``timeout``, ...).
        Returns the ``CheckResult`` when the check passes.
        """
        from bench.core.errors import SumbenchError

        if on_inconclusive not in ("fail", "skip", "pass"):
            raise ValueError(f"on_inconclusive must be 'fail', 'skip' or 'pass', not {on_inconclusive!r}")
        base_path = self._path(baseline)
        if not base_path.exists() and not self.update:
            pytest.fail(
                f"sumbench: baseline {base_path} does not exist; run `pytest {UPDATE_FLAG}` once to write it from this "
                "summarizer's run, then commit it",
                pytrace=False,
            )
        try:
            return self._assert_no_regression(summarizer, baseline, gates, root, tasks, metrics, on_inconclusive, settings, run_options)
        except SumbenchError as exc:  # a bad path, gate or task selection: one line, no traceback
            message = f"sumbench: {exc}"
        pytest.fail(message, pytrace=False)  # outside the except: pytest shows one error, not two chained

    def _assert_no_regression(self, summarizer, baseline, gates, root, tasks, metrics, on_inconclusive, settings, run_options):  # type: ignore[no-untyped-def]
        from bench.results.rundata import load_run, write_baseline

        base_path = self._path(baseline)
        base = load_run(base_path) if base_path.exists() or not self.update else None
        if base is not None:
            if tasks is None:
                tasks = list(base.tasks)
            if metrics is None and base.signatures:
                metrics = list(base.signatures)
            arguments = base.manifest.get("arguments", {})
            if "metric_options" not in run_options and isinstance(arguments.get("metric_options"), dict):
                run_options["metric_options"] = dict(arguments["metric_options"])
        run_dir = self.run(summarizer, root=root, tasks=tasks, metrics=metrics, **run_options)
        if self.update:
            write_baseline(load_run(run_dir), base_path)
            pytest.skip(f"sumbench: wrote the baseline {base_path} from {summarizer} ({UPDATE_FLAG})")
        result = self.check(run_dir, base_path, gates, **dict(settings or {}))
        (run_dir / "check.md").write_text(result.markdown(), encoding="utf-8")
        if result.exit_code == 0 or (result.status == "INCONCLUSIVE" and on_inconclusive == "pass"):
            return result
        message = "\n".join(result.summary_lines() + [f"  details: {run_dir / 'check.md'}"])
        if result.status == "INCONCLUSIVE" and on_inconclusive == "skip":
            pytest.skip(message)
        pytest.fail(message, pytrace=False)


def _gates(gates: Any, resolve: Any) -> tuple[list[Any], dict[str, Any]]:
    """Gates and settings from None, a TOML path or a {kind: {metric: margin}} dict."""
    from bench.analysis.gates import KINDS, Gate, _number, load_gates_file
    from bench.core.errors import InputError

    if gates is None:
        return [], {}
    if isinstance(gates, (str, Path)):
        return load_gates_file(resolve(gates))
    if isinstance(gates, Mapping):
        out, settings = [], dict(gates.get("settings", {}))
        for kind, table in gates.items():
            if kind == "settings":
                continue
            if kind not in KINDS or not isinstance(table, Mapping):
                raise InputError.at("gates", str(kind), "expected {kind: {metric: margin}}", f"kinds: {', '.join(KINDS)}")
            out += [Gate(kind, metric, _number(margin, "gates", f"{kind}.{metric}")) for metric, margin in table.items()]
        return out, settings
    raise TypeError(f"gates must be None, a path or a dict, not {type(gates).__name__}")


@pytest.fixture
def sumbench(tmp_path: Path, request: pytest.FixtureRequest) -> SumbenchFixture:
    """Run summarizers and check them against a baseline: ``sumbench.assert_no_regression(spec, baseline=...)``."""
    test_dir = Path(str(request.path)).parent if getattr(request, "path", None) else None
    return SumbenchFixture(tmp_path, Path(request.config.rootpath), update=bool(request.config.getoption(UPDATE_FLAG, default=False)), test_dir=test_dir)

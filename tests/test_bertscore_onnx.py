"""The optional ONNX Runtime engine of BERTScore: same numbers as torch (within 1e-5) on
MultiLing 2011, exported once and reused from the cache, chosen and refused as documented."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.core.errors import InputError
from bench.metrics import bertscore_onnx
from bench.metrics.bertscore import BertScore, packaged_model_path

REPO = Path(__file__).resolve().parent.parent
DATA = (Path(os.environ["SUMBENCH_SHARED"]) if os.environ.get("SUMBENCH_SHARED") else REPO.parent / "shared") / "data" / "multiling2011_en"

needs_onnx = pytest.mark.skipif(not bertscore_onnx.onnx_available(), reason="the onnx extra is not installed (pip install 'sumbench[onnx]')")


def _multiling_items() -> list:
    """MultiLing 2011 peers x their 3 references when the release is beside the repo; always each
    shipped reference scored against its topic's references (30 summaries, up to 3 windows long)."""
    import importlib.util

    from bench.benchmark.load import load_benchmark
    from bench.metrics.base import ScoreItem

    bench = load_benchmark(suite="multiling2011")
    items = [ScoreItem(t, bench.gold_for(t.id), r.text, f"{t.id}-{r.id}") for t in bench.tasks.values() for r in bench.gold_for(t.id).references]
    if (DATA / "peer_summaries").is_dir():
        spec = importlib.util.spec_from_file_location("peers", REPO / "scripts" / "multiling_peers_to_jsonl.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        items += [ScoreItem(bench.tasks[p["task_id"]], bench.gold_for(p["task_id"]), p["summary"], p["id"]) for p in module.peer_lines(DATA)]
    return items


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SUMBENCH_CACHE", str(tmp_path))
    monkeypatch.delenv(bertscore_onnx.ENGINE_ENV, raising=False)
    return tmp_path / "onnx"


@needs_onnx
def test_onnx_matches_torch_on_multiling(cache: Path) -> None:
    items = _multiling_items()
    onnx, torch_ = BertScore(engine="onnx"), BertScore(engine="torch")
    assert onnx.config() == torch_.config()  # same numbers, so the same signature and score cache
    got, want = [], []
    for start in range(0, len(items), 64):
        got += onnx.score_batch(items[start : start + 64])
        want += torch_.score_batch(items[start : start + 64])
    assert onnx._encoder.engine == "onnx" and torch_._encoder.engine == "torch"
    diff = max(abs(a.values[k] - b.values[k]) for a, b in zip(got, want) for k in a.values)
    assert diff < 1e-5, diff
    assert any(a.values != b.values for a, b in zip(got, want)) or diff == 0  # really two engines ran


@needs_onnx
def test_export_cached_atomically_and_reused(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert BertScore(engine="onnx")._encoder.engine == "onnx"
    files = sorted(p.name for p in cache.iterdir())
    assert len(files) == 1 and files[0].endswith(".onnx"), files  # no temporary file left behind

    def no_export(*args, **kwargs):
        raise AssertionError("exported again")

    monkeypatch.setattr(bertscore_onnx, "export", no_export)
    assert BertScore()._encoder.engine == "onnx"  # auto picks the extra when installed
    path = packaged_model_path()
    assert bertscore_onnx.model_key(path, 5) != bertscore_onnx.model_key(path, 6)  # another layer, another graph
    assert sorted(p.name for p in cache.iterdir()) == files


@needs_onnx
def test_failed_check_keeps_torch_under_auto(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bertscore_onnx, "EXPORT_TOLERANCE", -1.0)  # any difference fails the check
    assert BertScore()._encoder.engine == "torch"
    assert not any(cache.iterdir()) if cache.exists() else True
    with pytest.raises(InputError, match="ONNX export failed"):
        _ = BertScore(engine="onnx")._encoder


def test_engine_option_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError, match="unknown BERTScore engine"):
        BertScore(engine="gpu")
    monkeypatch.setenv(bertscore_onnx.ENGINE_ENV, "tpu")
    with pytest.raises(InputError, match=bertscore_onnx.ENGINE_ENV):
        BertScore()
    monkeypatch.setenv(bertscore_onnx.ENGINE_ENV, "torch")
    assert BertScore().engine == "torch"


@needs_onnx
def test_session_threads_block_instead_of_spinning(cache: Path) -> None:
    """On shared cores a spinning ONNX Runtime worker holds the core the thread it waits for needs
    (in-process BERTScore took 1.7x the wall time with spinning, docs/performance.md): the
    engine's session must run one pool whose workers block, and keep its numbers."""
    encoder = BertScore(engine="onnx")._encoder
    options = encoder.forward.session.get_session_options()
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"
    assert options.inter_op_num_threads == 1

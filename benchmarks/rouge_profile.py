"""Where ROUGE's time goes: the rouge-score-rs backend by ROUGE type and stemming, and the rougeLsum split.

    python benchmarks/rouge_profile.py            # 2,000 summaries, median of 3 interleaved reps
    python benchmarks/rouge_profile.py --n 300    # quicker

The workload is benchmarks/run.py's ROUGE row (100 words, 4 references of 100 words each, texts
drawn from the synthetic topics). Every figure is CPU time per summary (5 texts) and is measured
in the same rep as the others. It also measures the rejected lever of round 4: stemming each
distinct token once in Python (a cache that starts cold every rep) and handing the backend
pre-stemmed text with stemming off; the numbers stay identical, but building that text costs
more than the backend's own stemming.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from synth import _load_topics  # noqa: E402

_NON_ALNUM_KEEP_NL = re.compile(r"[^a-z0-9\n]+")


def workload(n: int) -> list[tuple[list[str], str]]:
    """run.py's ROUGE items: (four references, summary), raw text."""
    rng = random.Random(7)
    pool = [s.strip() + "." for t in _load_topics() for d in t["docs"] for s in d["text"].split(".") if len(s.split()) > 5]

    def text(words: int) -> str:
        out: list[str] = []
        while sum(len(s.split()) for s in out) < words:
            out.append(rng.choice(pool))
        return " ".join(out)

    return [([text(100) for _ in range(4)], text(100)) for _ in range(n)]


class _Stems(dict):
    """token -> rouge-score's stem, computed on first sight by the backend's own stemmer."""

    def __missing__(self, token: str) -> str:
        from rouge_score_rs import _rougers

        stem = self[token] = _rougers.tokenize(token, True)[0] if len(token) > 3 else token
        return stem


def prestemmed(split: list[tuple[list[str], str]]) -> list[tuple[list[str], str]]:
    """Each text as its stemmed tokens (lines kept), from a stem cache that starts empty."""
    stem = _Stems({"\n": "\n", "": ""}).__getitem__

    def encode(text: str) -> str:
        return " ".join(map(stem, _NON_ALNUM_KEEP_NL.sub(" ", text.lower()).replace("\n", " \n ").split(" ")))

    return [([encode(r) for r in refs], encode(p)) for refs, p in split]


def cpu(fn) -> tuple[float, object]:
    c0 = time.process_time()
    out = fn()
    return time.process_time() - c0, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="summaries (each with 4 references)")
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()

    from rouge_score_rs import _rougers

    from bench.metrics.rouge import ROUGE_TYPES, lsum_text
    from bench.text import _BULLET, _punkt, _punkt_split, _split_line, plain_split

    raw = workload(args.n)
    split = [([lsum_text(r) for r in refs], lsum_text(p)) for refs, p in raw]
    one_line = [([r.replace("\n", " ") for r in refs], p.replace("\n", " ")) for refs, p in split]

    def scorer(types, stem):
        return _rougers.Scorer(list(types), stem, "rouge-score", None)

    backends = {
        "backend score_multi, 4 types, stemming (what the metric calls)": (scorer(ROUGE_TYPES, True), split),
        "backend score_multi, 4 types, no stemming": (scorer(ROUGE_TYPES, False), split),
        **{f"backend score_multi, {t} alone, stemming": (scorer([t], True), split) for t in ROUGE_TYPES},
        "backend score_multi, rougeLsum alone, no stemming": (scorer(["rougeLsum"], False), split),
        "backend score_multi, rougeLsum alone, no stemming, each text one line": (scorer(["rougeLsum"], False), one_line),
    }
    params = _punkt()._params
    sets = plain_split._model_sets(params)
    lines = [s for refs, p in raw for t in (*refs, p) for ln in t.splitlines() if (s := _BULLET.sub("", ln).strip())]
    plain = [ln for ln in lines if plain_split._all_plain(ln, sets) is not None]
    other = [ln for ln in lines if plain_split._all_plain(ln, sets) is None]
    nupunkt = [0.0]

    def timed_punkt(span: str) -> tuple[str, ...]:
        c0 = time.process_time()
        out = _punkt_split(span)
        nupunkt[0] += time.process_time() - c0
        return out

    times: dict[str, list[float]] = {}
    reference = [scorer(ROUGE_TYPES, True).score_multi(r, p) for r, p in split]
    identical = True
    for _ in range(args.reps):
        for label, (sc, data) in backends.items():
            times.setdefault(label, []).append(cpu(lambda: [sc.score_multi(r, p) for r, p in data])[0] / args.n)
        spent, encoded = cpu(lambda: prestemmed(split))
        times.setdefault("rejected: pre-stem in Python (cold stem cache), building the text", []).append(spent / args.n)
        nostem = scorer(ROUGE_TYPES, False)
        spent, out = cpu(lambda: [nostem.score_multi(r, p) for r, p in encoded])
        times.setdefault("rejected: backend on the pre-stemmed text, no stemming", []).append(spent / args.n)
        identical = identical and out == reference
        _split_line.cache_clear()
        times.setdefault("split, 5 texts (lsum_text, cold line cache)", []).append(cpu(lambda: [lsum_text(t) for refs, p in raw for t in (*refs, p)])[0] / args.n)
        for name, group in (("plain", plain), ("other", other)):
            nupunkt[0] = 0.0
            spent = cpu(lambda: [plain_split.split_line(ln, timed_punkt, params) for ln in group])[0]
            times.setdefault(f"split of one '{name}' line", []).append(spent / max(1, len(group)))
            times.setdefault(f"  of which nupunkt, per '{name}' line", []).append(nupunkt[0] / max(1, len(group)))

    print(f"| part | CPU per summary (us), median of {args.reps} |\n|---|---:|")
    for label, values in times.items():
        print(f"| {label} | {statistics.median(values) * 1e6:,.1f} |")
    print(f"\n{args.n} summaries x 4 references; lines: {len(plain)} plain ({len(plain) / len(lines):.0%}), {len(other)} other "
          f"(per line, not per summary); pre-stemmed scores identical: {'yes' if identical else 'NO'}; "
          f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()

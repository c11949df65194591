"""Synthetic benchmark roots of any size, for the performance suite and the executor tests.

Documents come from the SummHay news haystacks in ``shared/data`` (machine-written
news-style articles, BSD-3 + Apache-2.0; see that folder's SOURCE.txt): each task takes
three documents of one topic, two references made of the insights those documents
carry, three key facts (insights with the documents that hold them) and two probes
(insights of the topic that none of the task's documents holds). Without the data
folder, documents are drawn from a fixed vocabulary instead, so the suite still runs.
Everything is seeded: the same (n, seed) gives the same files.
"""

from __future__ import annotations

import ast
import json
import os
import random
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
VERSION = 1
"""Bump when the layout changes: cached roots of another version are rebuilt."""
ATTRIBUTION = (
    "Synthetic sumbench benchmark task packed from the SummHay news haystacks (Laban et al. 2024, Apache-2.0; "
    "preprocessed by Belem et al. 2025, BSD-3-Clause). Documents are machine-written, not real articles."
)


def data_dir() -> Path | None:
    """``$SUMBENCH_DATA`` or ``shared/data`` beside the checkout, when it holds the haystacks."""
    for candidate in (os.environ.get("SUMBENCH_DATA"), REPO.parent / "shared" / "data", Path("/work/shared/data")):
        if candidate and (Path(candidate) / "summhay_news_haystacks").is_dir():
            return Path(candidate)
    return None


def _toml_str(text: str) -> str:
    # JSON string escapes (\", \\, \n, \uXXXX) are valid TOML basic-string escapes
    return json.dumps(text, ensure_ascii=False)


def _load_topics() -> list[dict[str, Any]]:
    folder = data_dir()
    if folder is None:
        return [_fallback_topic(i) for i in range(3)]
    topics = []
    for path in sorted((folder / "summhay_news_haystacks").glob("topic_news*.haystack.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        docs = []
        for doc_id in sorted(raw["documents"]):
            doc = raw["documents"][doc_id]
            included = doc.get("insights_included") or "[]"
            insights = ast.literal_eval(included) if isinstance(included, str) else list(included)
            docs.append({"text": doc["document_text"], "insights": [i for i in insights if i in raw["insights"]]})
        insights = {k: v["insight"] for k, v in sorted(raw["insights"].items())}
        topics.append({"topic": raw["topic"], "docs": docs, "insights": insights})
    return topics


def _fallback_topic(index: int) -> dict[str, Any]:
    rng = random.Random(index)
    vocab = [f"{a}{b}" for a in ("tra", "mol", "ves", "pun", "dar", "kel") for b in ("on", "ite", "ar", "us", "em")]
    insights = {f"i{index}-{k}": " ".join(rng.choice(vocab) for _ in range(14)).capitalize() + "." for k in range(40)}
    keys = list(insights)
    docs = []
    for _ in range(60):
        chosen = rng.sample(keys, 6)
        sentences = [insights[k] for k in chosen] + [" ".join(rng.choice(vocab) for _ in range(18)).capitalize() + "." for _ in range(30)]
        rng.shuffle(sentences)
        docs.append({"text": " ".join(sentences), "insights": chosen})
    return {"topic": f"synthetic topic {index}", "docs": docs, "insights": insights}


def write_task(root: Path, task_id: str, topic: dict[str, Any], rng: random.Random) -> None:
    docs = rng.sample(range(len(topic["docs"])), 3)
    folder = root / "tasks" / task_id
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"id = {_toml_str(task_id)}", f"title = {_toml_str(topic['topic'])}", 'suite = "synth"', "",
             "[instructions]", "target_words = 100", "", "[metadata]", f"note = {_toml_str(ATTRIBUTION)}", ""]
    held: dict[str, list[str]] = {}
    for n, index in enumerate(docs):
        doc = topic["docs"][index]
        (folder / f"d{n}.txt").write_text(doc["text"], encoding="utf-8")
        lines += ["[[documents]]", f'id = "d{n}"', f'file = "d{n}.txt"', f'source = "SummHay haystack doc {index}"', ""]
        for insight in doc["insights"]:
            held.setdefault(insight, []).append(f"d{n}")
    (folder / "task.toml").write_text("\n".join(lines), encoding="utf-8")

    covered = sorted(held)
    absent = sorted(set(topic["insights"]) - set(held))
    gold = [f"task = {_toml_str(task_id)}", ""]
    for r in range(2):
        picked = rng.sample(covered, min(len(covered), 5))
        text = "\n".join(topic["insights"][i] for i in picked)
        gold += ["[[references]]", f'id = "ref-{r}"', f"text = {_toml_str(text)}", ""]
    for k, insight in enumerate(rng.sample(covered, min(len(covered), 3))):
        gold += ["[[key_facts]]", f'id = "fact-{k}"', f"text = {_toml_str(topic['insights'][insight])}",
                 f"supported_by = {json.dumps(held[insight])}", ""]
    for k, insight in enumerate(rng.sample(absent, min(len(absent), 2))):
        gold += ["[[probes]]", f'id = "probe-{k}"', 'kind = "unsupported"', f"claim = {_toml_str(topic['insights'][insight])}",
                 '"why" = "an insight of the topic that none of this task\'s documents carries"', ""]
    (root / "gold" / f"{task_id}.toml").write_text("\n".join(gold), encoding="utf-8")


def make_root(out: str | Path, n_tasks: int, seed: int = 0) -> Path:
    """Write (or reuse, when already complete) a root with ``n_tasks`` synthetic tasks."""
    root = Path(out)
    stamp = root / "SYNTH.json"
    want = {"version": VERSION, "tasks": n_tasks, "seed": seed, "data": str(data_dir())}
    if stamp.is_file() and json.loads(stamp.read_text()) == want:
        return root
    topics = _load_topics()
    rng = random.Random(seed)
    (root / "gold").mkdir(parents=True, exist_ok=True)
    for i in range(n_tasks):
        write_task(root, f"synth-{i:05d}", topics[i % len(topics)], rng)
    stamp.write_text(json.dumps(want))
    return root


if __name__ == "__main__":
    import sys

    print(make_root(sys.argv[1], int(sys.argv[2])))

"""A small multi-task benchmark built from real sentences, and summarizers degraded on purpose.

Tests of statistics and gates need many tasks; the shipped benchmark may hold
one. The tasks here reuse the sentences of the seed task's two articles: each
task draws 12 of them (seeded), as 3 documents of 4 sentences, one per line;
its reference is the first two sentences of each document. Summarizers in
this module are named in tests as ``<this file>:<function>``.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED_TASK = REPO / "tasks" / "trump-putin-call"
SPEC = str(Path(__file__).resolve())
QUOTE = (
    "“They talk about peace while attacking civilians — this is not negotiation, it’s deception,” "
    "Zelensky said in a national address."
)
"""The Atlas-only quote of the seed task (probe ``national-address-quote``)."""


def seed_sentences() -> list[str]:
    from bench.text import sentences

    out: list[str] = []
    for name in ("bbc.txt", "atlas.txt"):
        for sentence in sentences((SEED_TASK / name).read_text(encoding="utf-8")):
            if len(sentence.split()) >= 6 and sentence not in out and QUOTE not in sentence:
                out.append(sentence)
    return out


def _toml_string(text: str) -> str:
    return '"""\n' + text.replace("\\", "\\\\").replace('"""', '\\"""') + '\n"""'


def read_lines(path: Path) -> list[dict]:
    """Every line of a JSONL file, strictly: unlike ``bench.core.store.read_jsonl`` a torn line fails the test."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_task(root: Path, task_id: str, title: str, docs: dict[str, str], reference: str) -> None:
    """One task of ``root`` (document id -> text, stored as ``<id>.txt``) and its gold: one reference ``r``."""
    folder = root / "tasks" / task_id
    folder.mkdir(parents=True)
    (root / "gold").mkdir(exist_ok=True)
    entries = []
    for doc_id, text in docs.items():
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        entries.append(f'[[documents]]\nid = "{doc_id}"\nfile = "{doc_id}.txt"\n')
    (folder / "task.toml").write_text(f'id = "{task_id}"\ntitle = {json.dumps(title)}\n\n' + "\n".join(entries), encoding="utf-8")
    (root / "gold" / f"{task_id}.toml").write_text(
        f'task = "{task_id}"\n\n[[references]]\nid = "r"\ntext = {json.dumps(reference)}\n', encoding="utf-8"
    )


def write_root(root: Path, n_tasks: int = 12, with_seed_task: bool = False) -> Path:
    """A benchmark root with tasks syn-00 ... syn-NN (and the seed task when asked)."""
    pool = seed_sentences()
    (root / "tasks").mkdir(parents=True, exist_ok=True)
    (root / "gold").mkdir(exist_ok=True)
    for k in range(n_tasks):
        task_id = f"syn-{k:02d}"
        drawn = random.Random(k).sample(pool, 12)
        docs = [drawn[i * 4:(i + 1) * 4] for i in range(3)]
        folder = root / "tasks" / task_id
        folder.mkdir()
        entries = []
        for j, sents in enumerate(docs):
            (folder / f"d{j}.txt").write_text("\n".join(sents) + "\n", encoding="utf-8")
            entries.append(f'[[documents]]\nid = "d{j}"\nfile = "d{j}.txt"\ntitle = "Document {j}"\n')
        (folder / "task.toml").write_text(
            f'id = "{task_id}"\ntitle = "Synthetic task {k}"\nsuite = "synthetic"\n\n'
            "[instructions]\ntarget_words = 80\n\n" + "\n".join(entries),
            encoding="utf-8",
        )
        reference = "\n".join(s for sents in docs for s in sents[:2])
        (root / "gold" / f"{task_id}.toml").write_text(
            f'task = "{task_id}"\n\n[[references]]\nid = "ref"\ntext = {_toml_string(reference)}\n', encoding="utf-8"
        )
    if with_seed_task:
        shutil.copytree(SEED_TASK, root / "tasks" / SEED_TASK.name)
        shutil.copy(REPO / "gold" / f"{SEED_TASK.name}.toml", root / "gold")
    return root


def _lines(task) -> list[list[str]]:
    return [[line for line in d.text.splitlines() if line.strip()] for d in task.documents]


def good(task) -> str:
    """The first sentence of every document, then the third of the first one."""
    docs = _lines(task)
    picked = [d[0] for d in docs if d]
    if docs and len(docs[0]) > 2:
        picked.append(docs[0][2])
    return "\n".join(picked)


def half(task) -> str:
    """``good`` with every second sentence dropped."""
    return "\n".join(good(task).splitlines()[::2])


def shorter(task) -> str:
    """``good`` with the last four words of its first sentence cut: a small, consistent drop."""
    first, *rest = good(task).splitlines()
    return "\n".join([" ".join(first.split()[:-4]), *rest])


def with_quote(task) -> str:
    """``good`` plus the national-address quote that only the Atlas post carries."""
    return good(task) + "\n" + QUOTE


def fails_on_three(task) -> str:
    if task.id == "syn-03":
        raise RuntimeError("model server returned 500")
    return good(task)


def interrupted_at_seven(task) -> str:
    """Like Ctrl-C while task syn-07 is being summarized."""
    if task.id == "syn-07":
        raise KeyboardInterrupt
    return good(task)

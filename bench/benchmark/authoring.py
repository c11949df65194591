"""``sumbench tasks new``: start a task from document files, with a gold template to fill in.

The task folder is complete at once (task.toml plus the documents, copied verbatim); the gold
file holds only ``task = "<id>"`` and, as TOML comments, one entry of each kind with every field
explained (docs/gold.md is the reference). So the new task validates and runs straight away
(reference-free metrics), and each entry validates once uncommented and filled in.
Nothing existing is ever overwritten.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Sequence

from ..core.errors import InputError, display_path
from .files import slugify

GOLD_TEMPLATE = '''\
# Gold of task {task_id!r}: what a good summary of tasks/{task_id}/ says, and what it must not say.
# Uncomment an entry, fill it in, and run `sumbench tasks validate --root {root}`.
# Every field is described in docs/gold.md.
task = "{task_id}"

# --- references: hand-written summaries (ROUGE, BERTScore). Write them without looking at any
# --- system's output; two or three by different people make ROUGE steadier.
# [[references]]
# id = "ref-1"                       # unique in this file: [a-z0-9-]
# author = "your name"               # optional
# text = """
# One fluent summary of about {target} words, in your own words.
# """

# --- key facts: atomic facts a good summary covers (key_fact_recall). One fact per entry.
# [[key_facts]]
# id = "fact-1"
# text = "One short sentence stating one fact the documents support."
# supported_by = [{doc_list}]    # ids of the documents that state it (optional)

# --- probes: claims a summary must NOT make (hallucination rate).
# [[probes]]
# id = "probe-1"
# kind = "unsupported"               # unsupported | contradiction | fabrication
# claim = "The claim, stated plainly, as a summary might put it."
# source = "{first_doc}"               # the document that carries the claim, if any (omit for fabrication)
# evidence = "a verbatim span of {first_file} that makes the claim"   # checked on load: must be in the source
# why = "Why a summary must not repeat it (e.g. only the unreliable post says so)."
# controls = [                       # true sentences that must NOT trigger the probe (checked by validate)
#   "A close, supported sentence about the same people or numbers.",
# ]
# examples = [                       # the claim in other words: each must trigger the probe (checked by validate)
#   "The same claim, paraphrased.",
# ]
'''


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def task_toml(task_id: str, title: str, docs: Sequence[tuple[str, str, str]], target_words: int) -> str:
    """task.toml text: id, title, instructions.target_words and one [[documents]] per file."""
    lines = [
        f"id = {_toml_string(task_id)}",
        f"title = {_toml_string(title)}",
        "",
        "[instructions]",
        f"target_words = {target_words}",
        "",
    ]
    for doc_id, file_name, doc_title in docs:
        lines += [
            "[[documents]]",
            f"id = {_toml_string(doc_id)}",
            f"file = {_toml_string(file_name)}",
        ]
        if doc_title:
            lines.append(f"title = {_toml_string(doc_title)}")
        lines += [
            '# source = "Outlet name"           # optional: who published it',
            '# date = "YYYY-MM-DD"',
            '# url = "https://..."',
            '# reliability = "Why a reader would trust it or not."',
            "",
        ]
    return "\n".join(lines)


def _first_line(text: str, limit: int = 120) -> str:
    for line in text.splitlines():
        if line.strip():
            line = " ".join(line.split())
            return line if len(line) <= limit else line[: limit - 3].rstrip() + "..."
    return ""


def new_task(root: str | Path, task_id: str, doc_paths: Sequence[str | Path], *, title: str | None = None, target_words: int = 150) -> tuple[Path, Path]:
    """Write ``root/tasks/<id>/`` (task.toml + documents) and ``root/gold/<id>.toml``; returns both paths."""
    from .files import ID_PATTERN

    root = Path(root)
    if not ID_PATTERN.match(task_id):
        raise InputError.at("ID", task_id, "not a valid task id", f"use lowercase letters, digits and '-', e.g. {slugify(task_id, 'my-task')!r}")
    if not doc_paths:
        raise InputError.at("--doc", "", "no documents given", "pass each document file with --doc, e.g. --doc a.txt --doc b.txt")
    task_dir, gold_path = root / "tasks" / task_id, root / "gold" / f"{task_id}.toml"
    for existing in (task_dir, gold_path):
        if existing.exists():
            raise InputError.at(display_path(existing), "", "already exists", "choose another task id, or delete it first (sumbench never overwrites a task)")
    docs: list[tuple[str, str, str, Path]] = []
    used: set[str] = set()
    for given in doc_paths:
        path = Path(given)
        if not path.is_file():
            raise InputError.at(display_path(path), "--doc", "no such file", "pass a UTF-8 text file")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise InputError.at(display_path(path), "--doc", "is not UTF-8 text", "convert it to UTF-8 (e.g. iconv -t UTF-8)") from None
        if not text.strip():
            raise InputError.at(display_path(path), "--doc", "is empty", "pass a document with text")
        doc_id = slugify(path.stem, "doc")
        base, k = doc_id, 2
        while doc_id in used:
            doc_id, k = f"{base}-{k}", k + 1
        used.add(doc_id)
        docs.append((doc_id, f"{doc_id}.txt", _first_line(text), path))
    staging = task_dir.with_name(f".{task_id}.new")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    for _, file_name, _, path in docs:
        shutil.copyfile(path, staging / file_name)  # verbatim: probe evidence is checked against these bytes
    chosen_title = title or docs[0][2] or task_id
    (staging / "task.toml").write_text(task_toml(task_id, chosen_title, [(d, f, t) for d, f, t, _ in docs], target_words), encoding="utf-8")
    staging.rename(task_dir)
    gold_path.parent.mkdir(parents=True, exist_ok=True)
    doc_list = ", ".join(f'"{d}"' for d, _, _, _ in docs)
    gold_text = GOLD_TEMPLATE.format(task_id=task_id, root=display_path(root), target=target_words, doc_list=doc_list,
                                     first_doc=docs[0][0], first_file=docs[0][1])
    with open(gold_path, "x", encoding="utf-8") as handle:  # "x": never overwrite
        handle.write(gold_text)
    return task_dir, gold_path

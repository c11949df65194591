"""One-file readers of a benchmark root (a task folder, a gold file, a TOML file) and the id rules.

Every problem becomes one line naming the file, the field, what is wrong and how to fix it.
They sit lowest in benchmark/: the writer re-reads what it wrote with them and the packers
check ids with them, so none of those needs the loader (which reads export files through them).
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import re
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterable

try:  # tomli >= 2.1 ships compiled wheels: ~3x faster than the standard tomllib (same parser and messages)
    import tomli as tomllib
except ImportError:  # pragma: no cover - only where tomli is missing
    import tomllib  # type: ignore[no-redef]

from ..core.errors import Problem, display_path
from ..core.jsonsafe import MAX_JSON_DEPTH
from ..core.model import PROBE_KINDS, Document, Gold, KeyFact, Probe, Reference, Task
from ..core.safe_read import UnreadableFile, name_problem, read_limited
from ..core.textcheck import text_problem

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")
"""Ends in \\Z, not $: $ also matches before a final newline, so "alpha" plus a newline would pass."""
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
"""Documents above this size are refused before they are read (bounded memory)."""

TASK_KEYS = {"id", "title", "suite", "instructions", "documents", "metadata"}
DOCUMENT_KEYS = {"id", "file", "title", "source", "date", "url", "reliability"}
GOLD_KEYS = {"task", "references", "key_facts", "probes", "metadata"}
REFERENCE_KEYS = {"id", "text", "author"}
KEY_FACT_KEYS = {"id", "text", "supported_by"}
KEY_FACT_HINT_KEYS = {"terms", "synonyms", "paraphrases", "weight"}
PROBE_KEYS = {"id", "kind", "claim", "source", "evidence", "why", "controls", "examples", "origin", "category"}
PROBE_HINT_KEYS = {"quotes", "anchors", "paraphrases", "negations", "speakers", "hints", "notes",
                   "default_negations", "window", "true_speakers", "other_speakers", "values"}
"""Detection hints a probe may carry beside the contract fields (read by bench.detectors.probes)."""


def slugify(text: str, fallback: str = "item") -> str:
    """A valid sumbench id (lowercase ``[a-z0-9-]``) made from free text."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or fallback


def read_toml(path: Path, problems: list[Problem], digests: dict[Path, str] | None = None) -> dict[str, Any] | None:
    """The parsed file, or None with the problem recorded; ``digests`` gets the SHA-256 of its bytes."""
    try:
        raw = read_limited(path, MAX_DOCUMENT_BYTES)  # regular files only, size checked before reading
    except UnreadableFile as exc:
        fix = "keep task and gold files small; long texts belong in document files" if "limit" in str(exc) else "make it a regular TOML file"
        problems.append(Problem(display_path(path), "", str(exc), fix))
        return None
    if digests is not None:
        digests[path] = hashlib.sha256(raw).hexdigest()[:16]
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        problems.append(Problem(display_path(path), f"byte {exc.start}", "not UTF-8", "save the file as UTF-8"))
        return None
    except tomllib.TOMLDecodeError as exc:
        problems.append(Problem(display_path(path), "", f"broken TOML: {exc}", "fix the TOML syntax at that line"))
        return None
    except RecursionError:  # tomli refuses inline arrays/tables nested over 400 levels this way
        problems.append(Problem(display_path(path), "", "arrays or tables nested over 400 levels", f"nest at most {MAX_JSON_DEPTH} levels"))
        return None
    bad = _json_unsafe(data)
    if bad:
        problems.append(Problem(display_path(path), *bad))
        return None
    return data


def _json_unsafe(data: dict[str, Any]) -> tuple[str, str, str] | None:
    """(field, problem, fix) for the first value that JSON cannot carry or that nests too deep.

    Tasks travel as JSON (to ``cmd:`` programs, exports, cache keys): a TOML date
    would pass validation and crash the run, so it is refused here, where
    ``tasks validate`` sees it. Iterative, so no depth can exhaust the stack.
    """
    stack: list[tuple[str, Any, int]] = [("", data, 0)]
    while stack:
        where, value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return where.split("[")[0], f"nested more than {MAX_JSON_DEPTH} levels", f"nest at most {MAX_JSON_DEPTH} levels"
        if isinstance(value, dict):
            stack.extend((f"{where}.{k}" if where else k, v, depth + 1) for k, v in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", v, depth + 1) for i, v in reversed(list(enumerate(value))))
        elif isinstance(value, (datetime.date, datetime.time)):  # datetime is a date subclass
            return where, f"is a TOML date/time ({value.isoformat()}), which JSON cannot carry", f'quote it: {where.rsplit(".", 1)[-1]} = "{value.isoformat()}"'
    return None


def _suggest(key: str, allowed: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, sorted(allowed), n=1)
    return f"did you mean {close[0]!r}?" if close else f"allowed keys: {', '.join(sorted(allowed))}"


class _Checker:
    """Collects problems for one file while fields are read from it."""

    def __init__(self, path: Path, problems: list[Problem]):
        self._path = path
        self.problems = problems

    @property
    def file(self) -> str:
        """Made when a problem is reported: display_path resolves paths, slow over 10,000 files."""
        return display_path(self._path)

    def add(self, fld: str, message: str, fix: str = "") -> None:
        self.problems.append(Problem(self.file, fld, message, fix))

    def keys(self, table: dict[str, Any], allowed: set[str], where: str, extra_fix: str = "") -> None:
        for key in table:
            if key not in allowed:
                fix = _suggest(key, allowed)
                self.add(f"{where}{key}", "unknown key", fix + extra_fix)

    def string(self, table: dict[str, Any], key: str, where: str, required: bool = False) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.add(f"{where}{key}", "missing", f"add {key} = \"...\"")
            return ""
        if not isinstance(value, str):
            self.add(f"{where}{key}", f"must be a string, not {type(value).__name__}", f'write {key} = "..."')
            return ""
        problem = text_problem(value, from_utf8=True) if "\x00" in value else None  # TOML escapes cannot make surrogates
        if problem:
            self.add(f"{where}{key}", problem, "remove the character (a \\u0000 escape?)")
            return ""
        if required and not value.strip():
            self.add(f"{where}{key}", "is empty", f"give {key} a value")
        return value

    def ident(self, table: dict[str, Any], key: str, where: str) -> str:
        value = self.string(table, key, where, required=True)
        if value and not ID_PATTERN.fullmatch(value):
            self.add(
                f"{where}{key}",
                f"{value!r} is not a valid id",
                "use lowercase letters, digits and '-' only (no '/', '..', spaces or capitals)",
            )
            return ""
        return value

    def tables(self, table: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.add(key, "must be an array of tables", f"write each entry as [[{key}]]")
            return []
        return value

    def string_list(self, table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(f"{where}{key}", "must be a list of strings", f'write {key} = ["...", "..."]')
            return ()
        return tuple(value)

    def unique(self, ids: list[str], what: str) -> None:
        seen: set[str] = set()
        for i, ident in enumerate(ids):
            if ident and ident in seen:
                self.add(f"{what}[{i}].id", f"duplicate id {ident!r}", "give every entry its own id")
            seen.add(ident)


def read_document_text(path: Path, check: _Checker, where: str) -> str:
    try:
        raw = read_limited(path, MAX_DOCUMENT_BYTES)  # regular files only; size checked on the open fd
    except UnreadableFile as exc:
        reason = str(exc)
        if reason == "not found":
            check.add(where + "file", f"document file {path.name!r} not found", "create it or fix the file name")
        elif reason.startswith("is a folder"):
            check.add(where + "file", f"{path.name!r} is not a file", "point file to a text file")
        elif "limit" in reason:
            check.add(where + "file", f"{path.name} {reason}", "split the document or trim it")
        else:
            check.add(where + "file", f"{path.name!r} {reason}", "point file to a regular UTF-8 text file")
        return ""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        check.add(where + "file", f"{path.name} is not UTF-8 (byte {exc.start})", "re-save it as UTF-8")
        return ""
    text = text.lstrip("\ufeff")
    problem = text_problem(text, from_utf8=True)
    if problem:
        check.add(where + "file", f"{path.name} {problem}", "save the document as plain UTF-8 text")
        return ""
    if not text.strip():
        check.add(where + "file", f"{path.name} is empty", "put the article's text in it or drop the document")
    return text


def _leaves_folder(task_dir: Path, rel: Path) -> bool:
    """True when a link inside ``rel`` points out of the task folder. Only links need
    resolving: one lstat per part instead of a realpath walk from / (x 15,000 documents)."""
    path = task_dir
    try:
        for part in rel.parts:
            path = path / part
            if path.is_symlink():
                return not (task_dir / rel).resolve().is_relative_to(task_dir.resolve())
    except (OSError, RuntimeError, ValueError):  # a loop or an unusable name: reading it names the problem
        return False
    return False


def load_task(task_dir: Path, problems: list[Problem]) -> Task | None:
    """Load ``task_dir/task.toml`` and its documents, appending every problem found."""
    path = task_dir / "task.toml"
    if _leaves_folder(task_dir, Path("task.toml")):
        problems.append(Problem(display_path(path), "", "is a link that leaves the task folder", "copy the file into the task folder"))
        return None
    if not path.exists() and not path.is_symlink():  # a FIFO or device is read (and refused) by read_toml
        problems.append(Problem(display_path(task_dir), "", "no task.toml", "add task.toml or remove the folder"))
        return None
    data = read_toml(path, problems)
    if data is None:
        return None
    check = _Checker(path, problems)
    before = len(problems)
    check.keys(data, TASK_KEYS, "", "; put free-form fields under [metadata]")
    task_id = check.ident(data, "id", "")
    if task_id and task_id != task_dir.name:
        check.add("id", f"{task_id!r} differs from the folder name {task_dir.name!r}", "make them equal")
    title = check.string(data, "title", "")
    suite = check.string(data, "suite", "")
    instructions = data.get("instructions", {})
    if not isinstance(instructions, dict):
        check.add("instructions", "must be a table", "write [instructions] with key = value lines")
        instructions = {}
    target = instructions.get("target_words")
    if target is not None and (not isinstance(target, int) or isinstance(target, bool) or target <= 0):
        check.add("instructions.target_words", f"must be a positive integer, not {target!r}", "e.g. target_words = 150")
    metadata = data.get("metadata", {})
    if not isinstance(metadata, dict):
        check.add("metadata", "must be a table", "write [metadata] with key = value lines")
        metadata = {}
    entries = check.tables(data, "documents")
    if not entries and "documents" not in data:
        check.add("documents", "missing", "add at least one [[documents]] table")
    elif not entries and isinstance(data.get("documents"), list):
        check.add("documents", "is empty", "add at least one [[documents]] table")
    docs: list[Document] = []
    for i, entry in enumerate(entries):
        where = f"documents[{i}]."
        check.keys(entry, DOCUMENT_KEYS, where)
        doc_id = check.ident(entry, "id", where)
        file_name = check.string(entry, "file", where, required=True)
        text = ""
        if file_name:
            rel = Path(file_name)
            bad_name = name_problem(file_name)
            if bad_name:
                check.add(where + "file", f"{file_name!r} {bad_name}", "name the file with printable characters, at most 255 bytes per part")
            elif rel.is_absolute() or ".." in rel.parts:
                check.add(where + "file", f"{file_name!r} leaves the task folder", "give a path relative to the task folder")
            elif _leaves_folder(task_dir, rel):
                check.add(where + "file", f"{file_name!r} is a link that leaves the task folder", "copy the document into the task folder")
            else:
                text = read_document_text(task_dir / rel, check, where)
        fields = {k: check.string(entry, k, where) for k in ("title", "source", "date", "url", "reliability")}
        docs.append(Document(id=doc_id, text=text, file=file_name, **fields))
    check.unique([d.id for d in docs], "documents")
    if len(problems) > before:
        return None
    meta = dict(metadata)
    if suite:
        meta["suite"] = suite
    return Task(id=task_id, title=title, documents=tuple(docs), instructions=instructions, metadata=meta)


def _hints(entry: dict[str, Any], contract: set[str]) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if k not in contract}


def _collapse(text: str) -> str:
    return " ".join(text.split())


def load_gold(path: Path, task: Task | None, problems: list[Problem]) -> Gold | None:
    """Load one gold file and check it against its task (evidence verbatim, document ids)."""
    digests: dict[Path, str] = {}
    data = read_toml(path, problems, digests)
    if data is None:
        return None
    check = _Checker(path, problems)
    before = len(problems)
    check.keys(data, GOLD_KEYS, "", "; put free-form fields under [metadata]")
    task_id = check.string(data, "task", "", required=True)
    if task_id and task_id != path.stem:
        check.add("task", f"{task_id!r} differs from the file name {path.stem!r}", f"rename the file to {task_id}.toml")
    references = _entries(check, data, "references", REFERENCE_KEYS, partial(_reference, check))
    facts = _entries(check, data, "key_facts", KEY_FACT_KEYS | KEY_FACT_HINT_KEYS, partial(_key_fact, check, task))
    probes = _entries(check, data, "probes", PROBE_KEYS | PROBE_HINT_KEYS, partial(_probe, check, task))
    metadata = data.get("metadata", {})
    if not isinstance(metadata, dict):
        check.add("metadata", "must be a table", "write [metadata] with key = value lines")
        metadata = {}
    if len(problems) > before:
        return None
    gold = Gold(task=task_id, references=tuple(references), key_facts=tuple(facts), probes=tuple(probes), metadata=metadata)
    # the file's bytes already read: hashing them is ~100x cheaper than hashing the parsed gold
    # (a resume hashes every task's gold); any edit of the file changes it
    object.__setattr__(gold, "_content_hash", "file:" + digests[path])
    return gold


def _known_doc(check: _Checker, task: Task | None, doc_id: str, where: str) -> bool:
    """True when the task has the document; else the problem is recorded (always True without a task)."""
    doc_ids = {d.id for d in task.documents} if task else set()
    if task is not None and doc_id not in doc_ids:
        check.add(where, f"unknown document {doc_id!r}", f"use one of: {', '.join(sorted(doc_ids))}")
        return False
    return True


def _entries(check: _Checker, data: dict[str, Any], name: str, allowed: set[str], read: Callable[[dict[str, Any], str], Any]) -> list[Any]:
    """Every ``[[name]]`` table read by ``read(entry, where)``, unknown keys and duplicate ids reported alike for all three."""
    items = []
    for i, entry in enumerate(check.tables(data, name)):
        where = f"{name}[{i}]."
        check.keys(entry, allowed, where)
        items.append(read(entry, where))
    check.unique([item.id for item in items], name)
    return items


def _reference(check: _Checker, entry: dict[str, Any], where: str) -> Reference:
    return Reference(
        id=check.ident(entry, "id", where),
        text=check.string(entry, "text", where, required=True),
        author=check.string(entry, "author", where),
    )


def _key_fact(check: _Checker, task: Task | None, entry: dict[str, Any], where: str) -> KeyFact:
    supported = check.string_list(entry, "supported_by", where)
    for doc_id in supported:
        _known_doc(check, task, doc_id, where + "supported_by")
    return KeyFact(
        id=check.ident(entry, "id", where),
        text=check.string(entry, "text", where, required=True),
        supported_by=supported,
        hints=_hints(entry, KEY_FACT_KEYS),
    )


def _probe(check: _Checker, task: Task | None, entry: dict[str, Any], where: str) -> Probe:
    """One probe, its evidence checked verbatim (whitespace collapsed) against its source document."""
    kind = check.string(entry, "kind", where, required=True)
    if kind and kind not in PROBE_KINDS:
        check.add(where + "kind", f"unknown kind {kind!r}", f"use one of: {', '.join(PROBE_KINDS)}")
    source = check.string(entry, "source", where)
    evidence = check.string(entry, "evidence", where)
    if evidence and not source:
        check.add(where + "source", "missing while evidence is given", "name the document that carries the evidence")
    if source and _known_doc(check, task, source, where + "source") and evidence and task is not None:
        if _collapse(evidence) not in _collapse(task.document(source).text):
            check.add(
                where + "evidence",
                f"not found verbatim in document {source!r}",
                "copy the span exactly from the document text",
            )
    return Probe(
        id=check.ident(entry, "id", where),
        kind=kind,
        claim=check.string(entry, "claim", where, required=True),
        source=source,
        evidence=evidence,
        why=check.string(entry, "why", where),
        controls=check.string_list(entry, "controls", where),
        examples=check.string_list(entry, "examples", where),
        hints=_hints(entry, PROBE_KEYS),
        origin=check.string(entry, "origin", where),
        category=check.string(entry, "category", where),
    )


def leaves_root(path: Path, root: Path) -> bool:
    """True when ``path`` is a symlink (or loop) that does not stay inside ``root``."""
    if not path.is_symlink():
        return False
    try:
        return not path.resolve(strict=True).is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a loop or a dangling link: it leads nowhere inside the root
        return True

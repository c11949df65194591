"""Naming a summarizer: one registry for built-ins, Python objects, commands, endpoints and plugins.

Spec forms (docs/summarizers.md): a built-in name (``lead``), ``module:attr``,
``path/to/file.py:attr``, ``cmd:<command line>``, ``openai:<model>``, or the
name of an entry point in the group ``sumbench.summarizers``. Built-ins are
``module:attr`` strings imported on first use, so listing them costs nothing.
"""

from __future__ import annotations

import difflib
import hashlib
import importlib
import importlib.util
import inspect
import sys
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Mapping

from ..core.errors import InputError
from .base import LoadedSummarizer, Summarizer, SummarizerFailure, check_output

ENTRY_POINT_GROUP = "sumbench.summarizers"

BUILTINS: dict[str, tuple[str, str]] = {
    "lead": ("bench.summarizers.baselines:Lead", "round-robin lead sentences of every document up to the word budget"),
    "lead-doc": ("bench.summarizers.baselines:LeadDoc", "the first N words of one document (--set doc=ID or position; default the first)"),
    "centroid": ("bench.summarizers.baselines:Centroid", "the document closest to the TF-IDF centroid, cut to the budget (MultiLing 2011 baseline)"),
    "textrank": ("bench.summarizers.textrank:TextRank", "TextRank over all documents' sentences, redundant ones skipped (--set redundancy=0.5)"),
    "random": ("bench.summarizers.baselines:Random", "random whole sentences up to the budget, seeded by --set seed=N and the task id"),
    "oracle": ("bench.summarizers.oracle:GreedyOracle", "greedy ROUGE-1+2 extractive oracle: READS THE REFERENCES, an upper bound, not a contestant"),
    "perturbed-lead": ("bench.summarizers.perturbed:PerturbedLead", "lead with seeded, logged factual edits (numbers, dates, names, places, negation, a foreign sentence): a CONTROL for the checkers, never ranked"),  # noqa: E501
}
PREFIXES = ("cmd:", "openai:")
DEFAULT_SUMMARIZER = "lead"


def plugin_entry_points() -> dict[str, Any]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def listing() -> list[tuple[str, str, str]]:
    """(name, kind, description) of every summarizer that can be named without a path.

    Plugins are listed from their metadata, without importing them.
    """
    rows = [(name, "built-in", desc) for name, (_, desc) in BUILTINS.items()]
    for name, ep in sorted(plugin_entry_points().items()):
        dist = getattr(ep, "dist", None)
        origin = f" (from {dist.name} {dist.version})" if dist is not None else ""
        note = "  [shadowed by the built-in of that name]" if name in BUILTINS else ""
        rows.append((name, "plugin", f"{ep.value}{origin}{note}"))
    return rows


def _import_attr(target: str, spec: str) -> Any:
    module_part, _, attr = target.rpartition(":")
    if module_part.endswith(".py") or "/" in module_part or "\\" in module_part:
        path = Path(module_part)
        if not path.is_file():
            raise InputError.at(spec, "", f"file {module_part!r} not found", "give a path to an existing .py file")
        name = f"_sumbench_user_{hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]}"
        module_spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(module_spec)  # type: ignore[arg-type]
        sys.modules[name] = module
        try:
            module_spec.loader.exec_module(module)  # type: ignore[union-attr]
        except Exception as exc:  # the user's file failed to run: say where, not a traceback
            sys.modules.pop(name, None)
            where = f" (line {exc.lineno})" if isinstance(exc, SyntaxError) and exc.lineno else ""
            detail = exc.msg if isinstance(exc, SyntaxError) else str(exc)
            raise InputError.at(spec, "", f"{module_part} failed to load: {type(exc).__name__}: {detail}{where}", "fix the file; --debug shows the traceback") from exc
    else:
        try:
            module = importlib.import_module(module_part)
        except ImportError as exc:
            raise InputError.at(spec, "", f"cannot import module {module_part!r}: {exc}", "check the module name and that it is installed") from exc
        except Exception as exc:  # the module raised while importing
            raise InputError.at(spec, "", f"module {module_part!r} failed to load: {type(exc).__name__}: {exc}", "fix the module; --debug shows the traceback") from exc
    obj = module
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise InputError.at(spec, "", f"{module_part!r} has no attribute {attr!r}", "check the name after ':'")
        obj = getattr(obj, part)
    return obj


def instantiate(obj: Any, options: Mapping[str, Any], spec: str) -> Any:
    """A class is built with the options as keyword arguments; a callable is used as it is."""
    if inspect.isclass(obj):
        try:
            return obj(**options)
        except (TypeError, ValueError) as exc:
            raise InputError.at(spec, "--set", f"bad options {dict(options)!r}: {exc}", "pass only options the summarizer accepts, with values of the right type") from exc
    if options and hasattr(obj, "summarize"):
        raise InputError.at(spec, "--set", f"{type(obj).__name__} is an object, built already: it takes no options ({', '.join(sorted(options))})",
                            "drop --set, or point to the class (or a function) that takes them")
    if options and callable(obj):
        import functools

        _check_parameters(obj, options, spec)
        return functools.partial(obj, **options)
    if not (callable(obj) or hasattr(obj, "summarize")):
        raise InputError.at(spec, "", f"{type(obj).__name__} is neither callable nor has summarize()", "point to a function f(task) -> str or a class with summarize(task)")
    return obj


def _check_parameters(fn: Any, options: Mapping[str, Any], spec: str) -> None:
    """Refuse, before any task runs, an option the function has no keyword parameter for
    (otherwise every task fails with the same TypeError)."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):  # no signature to read (a C function): let the call decide
        return
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return
    positional = [n for n, p in params.items() if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD][1:]  # the first is the task
    takes = positional + [n for n, p in params.items() if p.kind is inspect.Parameter.KEYWORD_ONLY]
    for key in options:
        if key not in takes:
            close = difflib.get_close_matches(key, takes, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise InputError.at(spec, f"--set {key}", f"the summarizer takes no parameter {key!r} (its options: {', '.join(takes) or 'none'})",
                                f"{hint}pass only options the summarizer accepts")


def _version_of(obj: Any) -> str:
    module = inspect.getmodule(obj)
    return str(getattr(module, "__version__", "")) if module else ""


def _file_identity(obj: Any) -> dict[str, str]:
    """The content hash of the source file defining ``obj``: editing it invalidates cached summaries.

    (Only that file: a change in a module it imports needs ``--no-cache``.)
    """
    try:
        source = inspect.getsourcefile(obj) or inspect.getsourcefile(inspect.getmodule(obj))  # type: ignore[arg-type]
    except TypeError:
        return {}
    if not source or not Path(source).is_file():
        return {}
    return {"file_sha256": hashlib.sha256(Path(source).read_bytes()).hexdigest()[:16]}


def _resolve_command(spec: str, options: Mapping[str, Any]) -> LoadedSummarizer:
    from .command import CommandSummarizer, files_fingerprint, parse_command

    argv = parse_command(spec[len("cmd:"):], spec)
    impl = instantiate(CommandSummarizer, {"argv": argv, **options}, spec)
    return LoadedSummarizer(spec, impl, options, kind="command", identity={"files": files_fingerprint(argv)})


def _resolve_openai(spec: str, options: Mapping[str, Any]) -> LoadedSummarizer:
    from .openai_compat import OpenAICompat

    if "api_key" in options:
        raise InputError.at(spec, "--set api_key", "API keys are never passed as options (they would be written to the manifest)",
                            "export the key in an environment variable and pass --set api_key_env=NAME")
    model = spec[len("openai:"):].strip()
    impl = instantiate(OpenAICompat, {"model": model, **options}, spec)
    return LoadedSummarizer(spec, impl, options, kind="openai", identity=impl.identity())


def _looks_like_python(spec: str) -> bool:
    module_part = spec.rpartition(":")[0]
    if module_part.endswith(".py") or "/" in module_part or "." in module_part:
        return True
    return module_part.isidentifier() and importlib.util.find_spec(module_part) is not None


def _unknown(spec: str, names: list[str]) -> InputError:
    head = spec.split(":", 1)[0] + ":" if ":" in spec else None
    close = difflib.get_close_matches(head, PREFIXES, n=1) if head else difflib.get_close_matches(spec, names, n=1)
    if close:
        hint = f"did you mean {close[0]!r}?"
    else:
        hint = f"known: {', '.join(names)}; or module:attr, file.py:attr, cmd:..., openai:... (see `sumbench summarizers`)"
    return InputError.at("SUMMARIZER", "", f"unknown summarizer {spec!r}", hint)


def resolve(spec: str, options: Mapping[str, Any] | None = None) -> LoadedSummarizer:
    """Turn a spec from the command line into a callable summarizer, or a clear InputError."""
    options = dict(options or {})
    spec = spec.strip()
    if not spec:
        raise InputError.at("SUMMARIZER", "", "empty summarizer spec", f"e.g. {DEFAULT_SUMMARIZER}")
    if spec.startswith("cmd:"):
        return _resolve_command(spec, options)
    if spec.startswith("openai:"):
        return _resolve_openai(spec, options)
    if spec in BUILTINS:
        obj = _import_attr(BUILTINS[spec][0], spec)
        impl = instantiate(obj, options, spec)
        from .. import __version__

        revision = getattr(impl, "revision", "")  # a built-in whose output changed says so: old cached summaries stop matching
        version = f"{__version__}+{revision}" if revision else __version__
        return LoadedSummarizer(spec, impl, options, uses_gold=getattr(impl, "uses_gold", False), kind="built-in", version=version,
                                control=bool(getattr(impl, "control", False)))
    plugins = plugin_entry_points()
    if spec in plugins:
        ep = plugins[spec]
        try:
            obj = ep.load()
        except Exception as exc:  # a broken plugin is the user's to fix: say which and why
            raise InputError.at(spec, "", f"plugin entry point {ep.value!r} failed to load: {type(exc).__name__}: {exc}", "reinstall or fix the plugin package") from exc
        impl = instantiate(obj, options, spec)
        dist = getattr(ep, "dist", None)
        version = f"{dist.name}-{dist.version}" if dist is not None else _version_of(obj)
        return LoadedSummarizer(spec, impl, options, uses_gold=getattr(impl, "uses_gold", False), kind="plugin", version=version)
    names = list(BUILTINS) + list(plugins)
    if ":" in spec:
        if not _looks_like_python(spec) and difflib.get_close_matches(spec.split(":", 1)[0] + ":", PREFIXES, n=1):
            raise _unknown(spec, names)  # "cmnd:..." is a typo of cmd:, not a module
        obj = _import_attr(spec, spec)
        impl = instantiate(obj, options, spec)
        return LoadedSummarizer(spec, impl, options, uses_gold=getattr(impl, "uses_gold", False), kind="python",
                                version=_version_of(obj), identity=_file_identity(obj))
    raise _unknown(spec, names)


__all__ = ["Summarizer", "SummarizerFailure", "LoadedSummarizer", "resolve", "listing", "check_output", "BUILTINS", "DEFAULT_SUMMARIZER"]

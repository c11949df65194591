"""Naming a summarizer: one registry for built-ins, Python objects, commands, endpoints and plugins.

Spec forms (DESIGN.md 3.3): a built-in name (``lead``), ``module:attr``,
``path/to/file.py:attr``, ``cmd:<command line>``, ``openai:<model>``, or the
name of an entry point in the group ``sumbench.summarizers``. Built-ins are
``module:attr`` strings imported on first use, so listing them costs nothing.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import inspect
import sys
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Mapping

from ..errors import InputError
from .base import LoadedSummarizer, Summarizer, SummarizerFailure, check_output

ENTRY_POINT_GROUP = "sumbench.summarizers"

BUILTINS: dict[str, tuple[str, str]] = {
    "lead": ("bench.summarizers.baselines:Lead", "round-robin lead sentences of every document up to the word budget"),
}
DEFAULT_SUMMARIZER = "lead"


def plugin_entry_points() -> dict[str, Any]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def listing() -> list[tuple[str, str, str]]:
    """(name, kind, description) of every summarizer that can be named without a path."""
    rows = [(name, "built-in", desc) for name, (_, desc) in BUILTINS.items()]
    for name, ep in sorted(plugin_entry_points().items()):
        rows.append((name, "plugin", ep.value))
    return rows


def _import_attr(target: str, spec: str) -> Any:
    module_part, _, attr = target.rpartition(":")
    if module_part.endswith(".py") or "/" in module_part or "\\" in module_part:
        path = Path(module_part)
        if not path.is_file():
            raise InputError.at(spec, "", f"file {module_part!r} not found", "give a path to an existing .py file")
        name = f"_sumbench_user_{abs(hash(str(path.resolve())))}"
        module_spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(module_spec)  # type: ignore[arg-type]
        sys.modules[name] = module
        module_spec.loader.exec_module(module)  # type: ignore[union-attr]
    else:
        try:
            module = importlib.import_module(module_part)
        except ImportError as exc:
            raise InputError.at(spec, "", f"cannot import module {module_part!r}: {exc}", "check the module name and that it is installed") from exc
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
        except TypeError as exc:
            raise InputError.at(spec, "--set", f"bad options {dict(options)!r}: {exc}", "pass only options the summarizer accepts") from exc
    if options and callable(obj) and not hasattr(obj, "summarize"):
        import functools

        return functools.partial(obj, **options)
    if not (callable(obj) or hasattr(obj, "summarize")):
        raise InputError.at(spec, "", f"{type(obj).__name__} is neither callable nor has summarize()", "point to a function f(task) -> str or a class with summarize(task)")
    return obj


def _version_of(obj: Any) -> str:
    module = inspect.getmodule(obj)
    return str(getattr(module, "__version__", "")) if module else ""


def resolve(spec: str, options: Mapping[str, Any] | None = None) -> LoadedSummarizer:
    """Turn a spec from the command line into a callable summarizer, or a clear InputError."""
    options = dict(options or {})
    spec = spec.strip()
    if not spec:
        raise InputError.at("SUMMARIZER", "", "empty summarizer spec", f"e.g. {DEFAULT_SUMMARIZER}")
    if spec in BUILTINS:
        obj = _import_attr(BUILTINS[spec][0], spec)
        impl = instantiate(obj, options, spec)
        from .. import __version__

        return LoadedSummarizer(spec, impl, options, uses_gold=getattr(impl, "uses_gold", False), kind="built-in", version=__version__)
    plugins = plugin_entry_points()
    if spec in plugins:
        obj = plugins[spec].load()
        impl = instantiate(obj, options, spec)
        return LoadedSummarizer(spec, impl, options, uses_gold=getattr(impl, "uses_gold", False), kind="plugin", version=_version_of(obj))
    if ":" in spec and not spec.startswith(("cmd:", "openai:")):
        obj = _import_attr(spec, spec)
        impl = instantiate(obj, options, spec)
        return LoadedSummarizer(spec, impl, options, uses_gold=getattr(impl, "uses_gold", False), kind="python", version=_version_of(obj))
    names = list(BUILTINS) + list(plugins)
    close = difflib.get_close_matches(spec, names, n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(names)}; or module:attr, file.py:attr, cmd:..., openai:..."
    raise InputError.at("SUMMARIZER", "", f"unknown summarizer {spec!r}", hint)


__all__ = ["Summarizer", "SummarizerFailure", "LoadedSummarizer", "resolve", "listing", "check_output", "BUILTINS", "DEFAULT_SUMMARIZER"]

"""Small modules with one job: no bench module reaches 600 lines, no function 80 (issue 20)."""

import ast
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def test_every_module_is_under_600_lines():
    long = {str(p.relative_to(BENCH)): n for p in sorted(BENCH.rglob("*.py")) if (n := len(p.read_text(encoding="utf-8").splitlines())) >= MAX_MODULE_LINES}
    assert not long, f"split these modules (lines): {long}"


def test_every_function_is_under_80_lines():
    long = []
    for path in sorted(BENCH.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 >= MAX_FUNCTION_LINES:
                long.append(f"{path.relative_to(BENCH)}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)")
    assert not long, "split these functions:\n" + "\n".join(long)

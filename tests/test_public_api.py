"""README's Python API: the lazy names of `bench` resolve to the objects it documents."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize("first", ["", "import bench.execution.runner, bench.benchmark.load"])
def test_readme_imports_give_the_documented_objects(first):
    # A sub-package named like a public function would shadow it once imported (bench.run was one).
    code = f"""{first}
from bench import RunConfig, load_benchmark, run, score_file, Benchmark, InputError
import inspect
assert inspect.isfunction(run) and run.__name__ == "run", run
assert inspect.isfunction(load_benchmark) and inspect.isfunction(score_file)
assert inspect.isclass(RunConfig) and inspect.isclass(Benchmark) and issubclass(InputError, Exception)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr

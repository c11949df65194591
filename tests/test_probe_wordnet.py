"""Detector rule ``wordnet`` (issue 15, round 6): a claim word is stated by its WordNet 3.1 synonyms, through the table
scripts/make_synonyms.py derives from nlptoolkit-wordnet (docs/probes.md, "Version 9 (WordNet)")."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest
from rule_switch import fires, without_rules

from bench.detectors.claim_core import Sources
from bench.detectors.synonyms import DATA, wordnet_senses
from bench.text.stopwords import STOPWORDS

ROOT = Path(__file__).resolve().parents[1]
SHIP = Sources((
    ("a", "The cargo ship Meridian left Lisbon on Monday with 20 crew aboard."),
    ("b", "Coastguards said the ship reached Porto safely on Tuesday."),
))
BOX = Sources((
    ("a", "The airliner crashed into the sea off Crete on Sunday."),
    ("b", "Navy divers searched the wreck for the flight recorders for a week."),
))


def test_a_synonym_states_the_claim_and_only_with_the_rule_on() -> None:
    claim = "The cargo ship Meridian vanished after leaving Lisbon."
    summary = "The cargo ship Meridian disappeared after leaving Lisbon on Monday."
    assert fires(claim, summary, SHIP)
    assert not without_rules("wordnet", lambda: fires(claim, summary, SHIP))


def test_recovered_is_stated_by_retrieved() -> None:
    claim = "Navy divers recovered the flight recorders."
    summary = "After a week of searching the wreck off Crete, navy divers retrieved the flight recorders."
    assert fires(claim, summary, BOX)
    assert not without_rules("wordnet", lambda: fires(claim, summary, BOX))


def test_a_word_that_is_no_synonym_does_not_state_the_claim() -> None:
    claim = "The cargo ship Meridian vanished after leaving Lisbon."
    assert not fires(claim, "The cargo ship Meridian sank after leaving Lisbon on Monday.", SHIP)
    assert not fires(claim, "The cargo ship Meridian reached Porto after leaving Lisbon on Monday.", SHIP)


def test_polysemous_words_stopwords_and_names_take_no_synonyms() -> None:
    assert "disappear" in wordnet_senses("vanish") and "retrieve" in wordnet_senses("recover")
    assert wordnet_senses("get") == frozenset()  # 30-odd verb senses, 2 noun ones with no one-word synonym
    assert not {"create", "do", "cause"} & wordnet_senses("make")  # its 49 verb senses are left out; its 2 noun ones kept
    text = gzip.decompress(DATA.read_bytes()).decode("utf-8")
    rows = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    assert "Princeton University" in text.split("\n", 3)[2]
    assert all(word.isalpha() and word.islower() and word not in STOPWORDS for word, _ in rows)


def test_shipped_table_equals_the_generator_output() -> None:
    pytest.importorskip("WordNet")
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_synonyms.py"), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_missing_xml_is_one_line_and_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "none.xml"
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_synonyms.py"), "--xml", str(missing), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 2 and str(missing) in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_the_two_ends_of_one_act_are_not_synonyms() -> None:
    """WordNet's synset "teach, learn, instruct": "the handlers learned it from Guantanamo" must not state "the handlers
    taught it to Guantanamo" (gold m007, probe handlers-taught-guantanamo)."""
    assert "learn" not in wordnet_senses("teach") and "hire" not in wordnet_senses("rent")
    sources = Sources((("a", "The dog handlers said they learned the techniques from interrogators sent from Guantanamo."),))
    claim = "The dog handlers taught their techniques to interrogators at Guantanamo."
    assert not fires(claim, "The dog handlers said they learned their techniques from interrogators from Guantanamo.", sources)

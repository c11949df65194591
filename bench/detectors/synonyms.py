"""WordNet synonyms for the plain-claim probe rule ``wordnet``: "vanished" states "disappeared".

The hand-written relation table (bench.detectors.paraphrase) covers news predicates; a summary's wording
nobody tuned for needs general English synonymy, which Princeton WordNet 3.1 gives. The table
(synonym_data.tsv.gz, ~290 KB, derived by scripts/make_synonyms.py; WordNet 3.1 licence in
synonym_data.LICENSE) maps one-word verb and noun lemmas to their synsets; a lemma's ids are the synsets
it shares with other words, so two words match when WordNet puts them in one synset. Polysemous words
match by their wrong senses too, so a lemma with more synsets than MAX_SYNSETS in a part of speech
gets none there (measured on the development sets: docs/probes.md "Version 9 (WordNet)").
The table is read once, on first use (a probe run that never compiles a plain claim never reads it).
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib.resources import files

MAX_SYNSETS = 6
"""Synsets a lemma may have in a part of speech and still match by them (the table holds up to 8)."""


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """lemma -> its raw "synset:count,..." entries. Kept as strings (parsed per lemma on use): 28,000 frozensets
    would sit in every garbage collection of the run and cost the detector ~10% of its time."""
    raw = files("bench.detectors").joinpath("synonym_data.tsv.gz").read_bytes()
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    return dict(line.split("\t", 1) for line in lines if not line.startswith("#"))


@lru_cache(maxsize=4)
def _members(max_synsets: int) -> dict[str, tuple[str, ...]]:
    """synset -> its lemmas that have at most ``max_synsets`` synsets in that part of speech."""
    out: dict[str, list[str]] = {}
    for word, entries in _table().items():
        for synset, _, n in (e.partition(":") for e in entries.split(",")):
            if int(n) <= max_synsets:
                out.setdefault(synset, []).append(word)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=65536)
def wordnet_senses(lem: str, max_synsets: int = MAX_SYNSETS) -> frozenset[str]:
    """The lemmas that share a WordNet synset with ``lem`` (neither with more than ``max_synsets`` synsets in
    that part of speech): a claim word's extra ids, met by a sentence's plain lemma ids, so the documents'
    reading is unchanged. Empty for names, stopwords, very polysemous or unknown words."""
    entries = _table().get(lem)
    if not entries:
        return frozenset()
    members = _members(max_synsets)
    found = {w for s, _, n in (e.partition(":") for e in entries.split(",")) if int(n) <= max_synsets for w in members.get(s, ())}
    return frozenset(found - {lem})

"""WordNet synonyms for the plain-claim probe rule ``wordnet``: "vanished" states "disappeared".

The hand-written relation table (bench.detectors.paraphrase) covers news predicates; wording nobody tuned
for needs general English synonymy, which Princeton WordNet 3.1 gives. The table (synonym_data.tsv.gz,
derived by scripts/make_synonyms.py; WordNet 3.1 licence in synonym_data.LICENSE) maps a one-word verb or
noun lemma to the lemmas it shares a synset with. Polysemous words would match by their wrong senses, so a
lemma with more than 6 synsets in a part of speech ("make", "recover") takes no part there (measured on
the development sets: docs/probes.md "Version 9 (WordNet)"). A claim word gains its synonyms as lemma ids,
which a sentence's own lemmas meet: the documents' reading is unchanged and costs nothing more. The
table is read once, on the first claim word it is asked about (about 20 ms).
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("synonym_data.tsv.gz")
_ROW = re.compile(r"^([a-z]+)\t(.+)$", re.M)


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """lemma -> its synonyms as one comma-separated string (split per lemma on use: 28,000 frozensets would
    sit in every garbage collection of the run)."""
    return dict(_ROW.findall(gzip.decompress(DATA.read_bytes()).decode("utf-8")))


@lru_cache(maxsize=65536)
def wordnet_senses(lem: str) -> frozenset[str]:
    """The lemmas sharing a WordNet synset with ``lem`` (empty for names, stopwords, polysemous or unknown words)."""
    found = _table().get(lem)
    return frozenset(found.split(",")) if found else frozenset()

"""The detectors read each distinct sentence once per run (the same documents recur across a benchmark's
tasks) and the shared readings change nothing: a reading served from the cache equals a fresh one, a
sentence keeps its own document, an ablation never gets a stale reading, and no index can alter another's."""

from bench import load_benchmark
from bench.detectors import claim_core, support_index, values
from bench.detectors.claim_core import Sources, analyse, analyse_sources, compile_core
from bench.detectors.support_index import SourceIndex
from bench.text import sentences


def _clear() -> None:
    for cached in (claim_core._reading, values.time_refs_of, values.quantities_of, support_index._read_sentence, support_index._document_words):
        cached.cache_clear()


def _task():
    bench = load_benchmark()
    task_id = sorted(t for t in bench.tasks if bench.gold.get(t) and bench.gold[t].probes)[0]
    return bench.tasks[task_id], bench.gold[task_id]


def _cores(task, gold) -> list:
    support = analyse_sources(Sources.of(task, gold))
    out = []
    for probe in gold.probes:
        core = compile_core(probe.claim, support)
        out.append(([e.label() for e in core.core], [e.label() for e in core.frame], sorted(core.supported_by.items()), sorted(core.ambiguous)))
    return out


def test_compiled_claims_are_the_same_read_fresh_or_from_the_cache():
    task, gold = _task()
    _clear()
    fresh = _cores(task, gold)
    assert _cores(task, gold) == fresh  # every sentence served from the cache
    _clear()
    assert _cores(task, gold) == fresh


def test_a_shared_reading_keeps_each_sentence_its_own_document_and_values():
    text = "On Tuesday 216 people were flown from Madrid to Paris."
    a, b = analyse(text, "doc-a"), analyse(text, "doc-b")
    assert (a.doc, b.doc) == ("doc-a", "doc-b")
    assert a.ids == b.ids and a.directions == b.directions == {"madrid>paris"}
    assert [q.value for q in a.quantities] == [216.0] and [t.value for t in b.times] == ["tuesday"]
    assert analyse("Talks went on without a break.").quantities == []


def test_an_ablated_rule_is_never_served_a_reading_made_with_it():
    text = "The suspect was extradited from Spain last year."
    assert analyse(text).directions == {"spain>?"}
    claim_core.OFF.add("half-directions")
    try:
        assert analyse(text).directions == set()
    finally:
        claim_core.OFF.discard("half-directions")
    assert analyse(text).directions == {"spain>?"}


def _index_state(index: SourceIndex) -> tuple:
    return (
        [(d.stems, d.negated, d.numbers, d.lower, d.raw) for d in index.sentences],
        index.bigrams, index.stems, index.numbers, index.capitalised, index.words_lower, index.raw_sentences,
    )


def test_source_index_is_the_same_from_the_cache_and_indexes_share_nothing_mutable():
    task, _ = _task()
    texts = [d.text for d in task.documents]
    _clear()
    fresh = _index_state(SourceIndex(texts))
    first, second = SourceIndex(texts), SourceIndex(texts)
    assert _index_state(first) == fresh
    first.sentences[0].stems.add("zzz-not-a-stem")
    first.capitalised.add("zzz")
    assert _index_state(second) == fresh
    assert _index_state(SourceIndex(texts)) == fresh


def test_each_distinct_sentence_is_read_once_across_tasks_sharing_documents():
    task, _ = _task()
    texts = [d.text for d in task.documents]
    distinct = {s for t in texts for s in sentences(t)}
    _clear()
    SourceIndex(texts)
    SourceIndex(list(reversed(texts)))  # another task with the same documents
    SourceIndex(texts[:1])
    assert support_index._read_sentence.cache_info().misses == len(distinct)
    analyse_sources(Sources(tuple((f"d{k}", t) for k, t in enumerate(texts))))
    analyse_sources(Sources(tuple((f"e{k}", t) for k, t in enumerate(texts))))
    assert claim_core._reading.cache_info().misses == len(distinct)

"""Detector fixes found by validating the shipped plain-claim probes (issues 15 and 16): each test is a
shape of sentence a shipped probe, control or reference has, cut down to the rule it exercises."""

from __future__ import annotations

from bench.core.model import Probe
from bench.detectors.claim_core import Sources
from bench.detectors.probes import ProbeDetector

NEWS = Sources((
    ("wire", "Treasury yields fell on Tuesday. Musk has a large fan base. The Demon 170 ran the quarter mile. "
             "Foot Locker is closing stores in malls."),
))


def fires(claim: str, text: str, sources: Sources = NEWS) -> bool:
    probe = Probe(id="p", kind="fabrication", claim=claim)
    return ProbeDetector().detect(text, [probe], sources)["p"].triggered


def test_a_claim_about_doubt_detects_itself_and_doubt_elsewhere_still_counts() -> None:
    claim = "Whether these fans translate into Tesla buyers remains uncertain."
    assert fires(claim, claim)
    speculation = "Treasury yields fell amid speculation of a less aggressive Fed policy, lifting tech stocks."
    assert fires(speculation, speculation)
    assert not fires(speculation, "Treasury yields fell amid a less aggressive Fed policy, lifting tech stocks, reports claimed without evidence.")


def test_lower_case_words_inside_hyphenated_names_are_words() -> None:
    claim = "Underperforming stores in C- and D-rated malls generate 800 basis points less profit."
    assert fires(claim, claim)
    claim = "The Demon 170 needs a prepped dragstrip to achieve its NHRA-verified 8.91-second quarter mile."
    assert fires(claim, claim)


FLIGHT = Sources((
    ("a", "Air France Flight 447 was carrying 216 passengers and 12 crew members, 228 people in all. "
          "It vanished over the Atlantic on June 1, 2009."),
))


def test_another_count_of_the_same_thing_is_not_the_claim() -> None:
    claim = "Flight 447 was carrying 228 passengers and 12 crew members."
    assert fires(claim, claim, FLIGHT)
    assert not fires(claim, "Flight 447 was carrying 216 passengers and 12 crew members.", FLIGHT)


def test_a_label_value_alone_is_not_the_claims_date() -> None:
    claim = "Air France Flight 447 disappeared over the Atlantic on June 2, 2009."
    assert fires(claim, claim, FLIGHT)
    assert not fires(claim, "Air France Flight 447 disappeared over the Atlantic on June 1, 2009.", FLIGHT)


def test_a_documents_dateline_is_the_supported_date() -> None:
    torch = Sources((("d1", "Sunday, April 6, 2008\nThe Olympic torch was carried through London amid protests."),
                     ("d2", "Monday, April 7, 2008\nThe torch went out in Paris.")))
    claim = "The Olympic torch was carried through London on Monday, April 7, 2008."
    assert fires(claim, claim, torch)
    assert not fires(claim, "The Olympic torch was carried through London on Sunday, April 6, 2008.", torch)


RELAY = Sources((
    ("d", "The London relay went from Wembley Stadium to the O2 Arena. Lin Miaoke appeared on screen at the opening "
          "ceremony; the voice heard was Yang Peiyi's. The dog handlers said they were taught interrogation techniques "
          "by interrogators from Guantanamo Bay. Abu Ghraib is a prison in Iraq."),
))


def test_a_movement_told_by_its_ends_has_a_direction() -> None:
    claim = "The London torch relay started at the O2 Arena and finished at Wembley Stadium."
    assert fires(claim, claim, RELAY)
    assert not fires(claim, "The London torch relay started at Wembley Stadium and finished at the O2 Arena.", RELAY)


def test_roles_swapped_between_clauses_are_another_claim() -> None:
    claim = "Yang Peiyi appeared on screen at the opening ceremony while Lin Miaoke's voice was heard."
    assert fires(claim, claim, RELAY)
    assert not fires(claim, "Lin Miaoke appeared on screen at the opening ceremony while Yang Peiyi's voice was heard.", RELAY)


def test_names_alone_are_not_a_claims_core() -> None:
    claim = "The Abu Ghraib dog handlers taught their interrogation techniques to interrogators at Guantanamo Bay."
    assert fires(claim, claim, RELAY)
    assert not fires(claim, "Staff Sgt. Lucas taught lessons learned at Guantanamo to interrogators at Abu Ghraib.", RELAY)


def test_a_title_with_a_dot_is_not_part_of_the_claim() -> None:
    claim = "Lt. Col. Steven Jordan was convicted and sentenced to five years in prison."
    jordan = Sources((("d", "Lt. Col. Steven Jordan was acquitted of the charges."),))
    assert fires(claim, claim, jordan)


def test_a_count_given_to_another_subject_is_not_the_claim() -> None:
    medals = Sources((("d", "China topped the medal table with 51 gold medals. The United States won 36 gold medals."),))
    claim = "China topped the medal table with 36 gold medals."
    assert fires(claim, claim, medals)
    assert not fires(claim, "The United States came second with 36 gold medals.", medals)
    assert fires(claim, "With 36 gold medals, China led the medal table.", medals)


def test_agent_and_patient_swapped_around_the_verb() -> None:
    boats = Sources((("d", "Captain Air said the Iranians rammed the British boat. The British boarding crew did not engage."),))
    claim = "The British boarding crew rammed the Iranian boats."
    assert fires(claim, claim, boats)
    assert not fires(claim, "The Iranians rammed the British boat and trained their guns on the crew.", boats)


def test_a_generic_word_of_a_place_name_may_be_left_out() -> None:
    sailors = Sources((("d", "The freed sailors flew home to Heathrow on April 5."),))
    claim = "The freed sailors landed at Gatwick Airport."
    assert fires(claim, "The freed sailors landed at Gatwick on April 5.", sailors)


def test_another_date_for_the_claims_event_is_not_the_claim() -> None:
    telethon = Sources((("d", "Romanian artists will gather on Sunday, January 23, to raise money for the tsunami victims. "
                              "Through a telethon, Romanians raised 395,000 euro for the tsunami victims."),))
    claim = "The Romanian telethon for the tsunami victims was held on Sunday, January 23, 2005."
    assert fires(claim, claim, telethon)
    assert not fires(claim, "The Romanian telethon was held on Sunday, January 16, 2005.", telethon)


def test_the_opposite_word_states_the_other_claim() -> None:
    tour = Sources((("d", "Michael Rasmussen was withdrawn from the Tour by Rabobank. Vinokourov tested positive for doping."),))
    claim = "Michael Rasmussen was withdrawn from the Tour after testing positive for doping."
    assert fires(claim, claim, tour)
    assert not fires(claim, "Michael Rasmussen was withdrawn from the Tour although he had tested negative for doping.", tour)


def test_a_sentence_copied_from_a_document_repeats_it_and_triggers_nothing() -> None:
    """Extractive summaries copy document sentences: a probe that matches their wording is not a claim the
    summary added (the extractive baselines' only MultiLing alarms were such copies). A copy of the probe's own
    unreliable `source` still triggers: repeating the Atlas post's claim is the hallucination."""
    from bench.benchmark.load import load_benchmark
    from bench.detectors.claim_core import Sources
    from bench.detectors.probes import ProbeDetector

    bench = load_benchmark()
    task, gold = bench.tasks["multiling2011-m008"], bench.gold_for("multiling2011-m008")
    probe = next(p for p in gold.probes if p.id == "passengers-228-plus-crew")
    copied = "Air France jet with 228 on board goes missing"
    assert copied in task.documents[0].text or any(copied in d.text for d in task.documents)
    job = [(copied, [probe], Sources.of(task, gold))]
    assert not ProbeDetector().detect_many(job)[0][probe.id].triggered
    from bench.detectors.claim_core import OFF

    OFF.add("value-frames")  # round 5: "228 on board" is also the sources' own wording of the value (rule value-frames)
    try:
        assert ProbeDetector(ablate=["copies"]).detect_many(job)[0][probe.id].triggered  # the copy veto is what stops it
    finally:
        OFF.discard("value-frames")

    seed, seed_gold = bench.tasks["trump-putin-call"], bench.gold_for("trump-putin-call")
    atlas = next(line for line in seed.document("atlas").text.splitlines() if "30-day ceasefire" in line)
    verdicts = ProbeDetector().detect_many([(atlas, seed_gold.probes, Sources.of(seed, seed_gold))])[0]
    assert verdicts["eu-30-day-ceasefire"].triggered

"""Detector version 6 (issue 15, round 3): general rules about how news English states, doubts and
dates a claim, each cut down to the sentence shape it handles (development data only)."""

from __future__ import annotations

from bench.core.model import Probe
from bench.detectors.claim_core import Sources, claim_elements
from bench.detectors.claims import polarity_at
from bench.detectors.probes import ProbeDetector
from bench.detectors.values import quantities, time_refs

TALKS = Sources((
    ("a", "European leaders have called for a 30-day ceasefire, officials said. Putin did not attend the talks."),
    ("b", "The roadmap was agreed on Saturday after the United States accepted changes proposed by India. "
          "Al Gore received the Nobel Peace Prize in Oslo. Jean-Max Bellerive is the Prime Minister of Haiti."),
))


def fires(probe: Probe, text: str, sources: Sources = TALKS) -> bool:
    return ProbeDetector().detect(text, [probe], sources)[probe.id].triggered


HINTED = Probe(id="eu", kind="unsupported", claim="European leaders have called for a 30-day ceasefire.", source="a",
               hints={"anchors": [[["30-day", "month-long"], ["ceasefire*", "truce*"]]]})


def test_a_hint_matched_in_a_question_or_under_doubt_does_not_trigger() -> None:
    assert fires(HINTED, "European leaders want a 30-day truce.")
    assert not fires(HINTED, "Q: Did European leaders demand a 30-day truce?")
    assert not fires(HINTED, "Atlas says European leaders called for a 30-day ceasefire (unverified, no source given).")
    assert not fires(HINTED, "People say Europe asked for a 30-day truce, but the BBC does not say that.")


def test_the_hint_doubt_rule_can_be_switched_off_for_the_ablation() -> None:
    detector = ProbeDetector(ablate=["hint-doubt"])
    assert detector.detect("Q: Did European leaders demand a 30-day truce?", [HINTED], TALKS)["eu"].triggered


def test_dates_with_ordinal_words_and_in_figures() -> None:
    assert [t.value for t in time_refs("On the thirtieth of March 2007 guards seized them.")] == ["2007-03-30"]
    assert [t.value for t in time_refs("It began on 30/03/2007.")] == ["2007-03-30"]
    assert sorted(t.value for t in time_refs("They met on 12/3.")) == ["--03-12", "--12-03"]  # either reading
    assert [t.value for t in time_refs("It was March the twenty-first.")] == ["--03-21"]
    assert not [t for t in time_refs("The 7/7 bombings; 24/7 news; 3.5 million.") if t.kind == "date"]


def test_magnitudes_in_every_form_are_one_value() -> None:
    for text in ("a M7.8 quake", "a magnitude-7.8 quake", "a magnitude 7.8 quake", "a magnitude seven point eight quake"):
        assert [(q.value, q.unit) for q in quantities(text)] == [(7.8, "magnitude")], text
    assert [q.value for q in quantities("a seven point eight quake")] == [7.8]


def test_former_negates_only_the_word_it_stands_before() -> None:
    text = "Former US Vice President Al Gore, fresh from accepting the Nobel Peace Prize, spoke."
    at = text.index("accepting")
    assert polarity_at(text, at, at + 9)[0] == "asserted"
    text = "The former minister Dimas spoke."
    at = text.index("minister")
    assert polarity_at(text, at, at + 8)[0] == "negated"


def test_an_inflected_first_word_is_no_name_and_taking_part_states_nothing() -> None:
    labels = [e.label() for e in claim_elements("Delegates from about 150 countries took part in the Bali conference.")]
    assert "word delegate" in labels and "name delegates" not in labels
    assert not any(label.endswith(" part") for label in labels)


def test_an_agent_is_a_name_of_its_own_clause() -> None:
    probe = Probe(id="dir", kind="contradiction", claim="The roadmap was agreed after India accepted changes proposed by the United States.", source="x")
    assert fires(probe, probe.claim)
    assert not fires(probe, "15 Dec: the roadmap adopted after the US accepts India's changes.")


def test_a_whole_core_names_its_titles_as_written() -> None:
    probe = Probe(id="title", kind="contradiction", claim="Jean-Max Bellerive is the President of Haiti.", source="x")
    assert fires(probe, "Haiti's President, Jean-Max Bellerive, spoke.")
    assert not fires(probe, "Haitian Prime Minister Jean-Max Bellerive spoke.")


def test_an_answer_is_read_with_its_question() -> None:
    probe = Probe(id="who", kind="contradiction", claim="Rubio said the talks had failed.", source="x")
    sources = Sources((("a", "Lavrov said the talks had failed. Rubio spoke to Lavrov."),))
    assert fires(probe, "Q: Who said the talks had failed?\nA: Rubio, speaking on Saturday.", sources)
    assert not fires(probe, "Q: Who said the talks had failed?\nA: Lavrov, speaking on Saturday.", sources)
    assert not fires(probe, "Q: Did Rubio say the talks had failed?\nA: No.", sources)


def test_a_measure_after_a_number_is_its_unit() -> None:
    for text in ("a 13-mile relay", "a 13 mile relay around London", "it covered 13 miles"):
        assert [(q.value, q.unit) for q in quantities(text)] == [(13.0, "mile")], text
    assert [q.unit for q in quantities("a 10-member team")] == ["member"]
    assert [q.unit for q in quantities("a 30-day truce")] == ["day"]


def test_a_value_named_to_be_denied_and_informal_negations() -> None:
    toll = Probe(id="toll", kind="contradiction", claim="The bus strike killed twelve people.", source="x",
                 hints={"values": [{"kind": "count", "allowed": [9], "near": ["kill*"], "context": [["bus"]]}]})
    sources = Sources((("a", "A drone strike on a bus killed nine people."),))
    assert fires(toll, "The bus strike killed twelve.", sources)
    assert not fires(toll, "The bus strike killed nine, not twelve.", sources)
    plain = Probe(id="plain", kind="contradiction", claim="The bus strike killed twelve people.", source="x")
    assert fires(plain, "The bus strike killed twelve people.", sources)
    assert not fires(plain, "The bus strike killed nine people, not twelve.", sources)
    went = Probe(id="went", kind="contradiction", claim="Putin went to Istanbul.", hints={"anchors": [[["putin"], ["went", "go"], ["istanbul"]]]})
    assert fires(went, "putin did go to istanbul.")
    assert not fires(went, "putin didnt go to istanbul even tho trump asked.")


def test_an_ing_noun_states_its_verb_and_a_place_needs_half_the_event() -> None:
    from bench.detectors.paraphrase import ing_verb

    assert "close" in ing_verb("closing") and "bomb" in ing_verb("bombing")
    assert not ing_verb("building") and not ing_verb("morning")
    relay = Sources((("a", "The closing ceremony of the San Francisco torch relay was moved. A ceremony was held at AT&T Park for the Giants."),))
    probe = Probe(id="park", kind="contradiction", claim="The closing ceremony of the San Francisco torch relay was held at AT&T Park.", source="x")
    assert fires(probe, "In San Francisco, the relay closed with a brief ceremony at AT&T Park.", relay)
    assert not fires(probe, "In San Francisco, the relay closed with a brief ceremony near the bay.", relay)


def test_a_specific_value_stated_exactly_needs_less_of_the_claims_wording() -> None:
    torch = Sources((("a", "The London leg of the Olympic torch relay covered 31 miles, from Wembley to the O2 Arena."),))
    probe = Probe(id="miles", kind="contradiction", claim="The London leg of the Olympic torch relay covered 13 miles.", source="x")
    assert fires(probe, "In London it was escorted by twenty security officers along a 13-mile course from Wembley.", torch)
    assert not fires(probe, "In London it was escorted by twenty security officers along a 31-mile course from Wembley.", torch)
    assert not fires(probe, "Twenty security officers ran 13 miles in Paris.", torch)


def test_an_attribute_before_another_name_is_that_persons() -> None:
    race = Sources((("a", "Cadel Evans of Australia was second. Levi Leipheimer of the United States was third. Evans rode for Predictor."),))
    probe = Probe(id="nation", kind="contradiction", claim="Cadel Evans is American.", source="x")
    assert fires(probe, "The American Cadel Evans finished second.", race)
    assert not fires(probe, "Cadel Evans was second and American Levi Leipheimer third.", race)


def test_a_figure_revised_in_the_same_sentence_is_not_stated() -> None:
    quake = Sources((("a", "The earthquake in Haiti had a magnitude of 7.0."),))
    probe = Probe(id="mag", kind="contradiction", claim="The Haiti earthquake had a magnitude of 7.3.", source="x")
    assert fires(probe, "The Haiti quake measured magnitude 7.3.", quake)
    assert not fires(probe, "Some reports put the Haiti quake at magnitude 7.3, but seismologists revised it to 7.0.", quake)


def test_on_schedule_and_could_be_seen_state_what_happened() -> None:
    from bench.detectors.claims import hedge_at

    for text in ("The talks ended on schedule on Friday", "The talks ended as scheduled on Friday", "Hussain could be seen with Khan"):
        assert hedge_at(text, len(text) - 6, len(text)) is None, text
    for text in ("The talks are scheduled for Friday", "He could attend on Friday"):
        assert hedge_at(text, len(text) - 6, len(text)) is not None, text


def test_title_abbreviations_acronyms_and_thousands() -> None:
    sources = Sources((("a", "Secretary of State Marco Rubio spoke to Sergei Lavrov. The quake cost Haiti a third of its output."),))
    senator = Probe(id="sen", kind="contradiction", claim="Senator Marco Rubio spoke to Sergei Lavrov.", source="x")
    assert fires(senator, "Sen. Marco Rubio spoke to Sergei Lavrov on Saturday.", sources)
    assert not fires(senator, "Secretary of State Marco Rubio spoke to Sergei Lavrov on Saturday.", sources)
    gdp = Probe(id="gdp", kind="contradiction", claim="The quake cost Haiti 60 percent of its GDP.", source="x")
    assert fires(gdp, "The quake cost Haiti 60 percent of its gross domestic product.", sources)
    assert [(q.value, q.unit) for q in quantities("An estimated 7k people were wounded")] == [(7000.0, "people")]
    assert not quantities("She ran a 5k race")


def test_half_of_a_two_word_core_needs_most_of_the_frame() -> None:
    crisis = Sources((("a", "Manouchehr Mottaki announced that Faye Turney would be freed. Iran said the release of the crew had been suspended."),))
    probe = Probe(id="half", kind="contradiction", claim="Manouchehr Mottaki announced that the release of Faye Turney had been suspended.", source="x")
    assert fires(probe, "Mottaki announced that the release of Faye Turney had been suspended.", crisis)
    assert not fires(probe, "Tehran freed Leading Seaman Faye Turney first.", crisis)

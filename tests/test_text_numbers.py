"""One number-word table (bench.text.numbers): every reader of number words takes its values from it."""

from bench.detectors import probe_values
from bench.detectors.values import quantities
from bench.summarizers import perturbed
from bench.text import lexical
from bench.text.numbers import NUMBER_WORDS, number_words


def test_every_reader_takes_its_values_from_the_one_table():
    for view in (lexical.NUMBER_WORDS, probe_values.NUMBER_WORDS):
        assert view and all(NUMBER_WORDS[w] == v for w, v in view.items())
    assert set(perturbed.NUMBER_WORDS) <= set(NUMBER_WORDS)


def test_the_readers_agree_on_a_value_written_as_a_word():
    assert lexical.number_value("nine") == lexical.number_value("9") == "9"
    assert [q.value for q in quantities("nine people and dozens of others")] == [9.0, 24.0]
    assert probe_values.NUMBER_WORDS["dozens"] == 24


def test_vague_plurals_are_no_exact_number_for_lexical_matching():
    assert lexical.number_value("dozens") is None
    assert lexical.number_value("trillion") is None  # a scale after a number only ("5 trillion")


def test_a_perturbation_swaps_one_number_word_for_another_in_a_seeded_order():
    assert perturbed.NUMBER_WORDS[:3] == ("two", "three", "four") and "dozen" not in perturbed.NUMBER_WORDS


def test_a_view_names_a_missing_word():
    try:
        number_words("one", "eleventy")
    except KeyError as err:
        assert "eleventy" in str(err)
    else:
        raise AssertionError("number_words accepted a word the table lacks")

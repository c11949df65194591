"""The seed task's gold, the hallucination-probe detector, its metric and `sumbench probes eval`.

Expected verdicts come from reading the two source articles (an outside truth), never
from running the detector; the accuracy floors sit a little under the measured numbers.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from bench.benchmark.load import load_benchmark
from bench.core.model import Probe
from bench.core.stats import wilson
from bench.detectors.probes import ProbeDetector
from bench.metaeval.probe_eval import evaluate, read_set

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO / "tests" / "data" / "probe_eval"
TASK = "trump-putin-call"
DESIGN_IDS = {
    "national-address-quote", "rubio-direct-talks-quote", "eu-30-day-ceasefire", "nato-diplomats-concern",
    "kremlin-open-to-dialogue", "ceasefire-agreed", "bus-death-toll",
}


@pytest.fixture(scope="module")
def bench():
    return load_benchmark(REPO, TASK)


@pytest.fixture(scope="module")
def probes(bench):
    return bench.gold[TASK].probes


@pytest.fixture(scope="module")
def detector():
    return ProbeDetector()


def triggered(detector, probes, text: str) -> set[str]:
    return {pid for pid, v in detector.detect(text, probes).items() if v.triggered}


# ----------------------------------------------------------------------------- the gold


def test_seed_gold_has_what_the_issue_asks(bench) -> None:
    gold = bench.gold[TASK]
    assert {"summary-150", "brief-60", "bullets"} <= {r.id for r in gold.references}
    brief = next(r for r in gold.references if r.id == "brief-60")
    assert 50 <= len(brief.text.split()) <= 75
    assert sum(line.startswith("- ") for line in next(r for r in gold.references if r.id == "bullets").text.splitlines()) >= 5
    assert len(gold.key_facts) >= 12 and all(f.supported_by for f in gold.key_facts)
    assert len(gold.probes) >= 12 and DESIGN_IDS <= {p.id for p in gold.probes}
    for probe in gold.probes:
        assert probe.why and probe.controls, probe.id
        if probe.kind == "unsupported":
            assert probe.source and probe.evidence, probe.id


def test_references_repeat_no_atlas_only_claim(detector, bench, probes) -> None:
    for ref in bench.gold[TASK].references:
        assert triggered(detector, probes, ref.text) == set(), ref.id


def test_source_articles_themselves(detector, bench, probes) -> None:
    # the reliable report makes no probed claim; the Atlas post makes every claim sourced to it
    task = bench.tasks[TASK]
    assert triggered(detector, probes, task.document("bbc").text) == set()
    assert triggered(detector, probes, task.document("atlas").text) == {p.id for p in probes if p.source == "atlas"}


def test_supported_facts_near_the_probes_trigger_nothing(detector, probes) -> None:
    # the seed task's design: these are true (both articles) and sit close to probed claims
    supported = [
        "Zelensky called the bus attack \"a deliberate killing of civilians\".",
        "Ukraine reaffirmed its demand for a complete and unconditional ceasefire.",
        "US Secretary of State Marco Rubio spoke with Russian Foreign Minister Sergei Lavrov on Saturday.",
        "Trump said he hoped a ceasefire would take place and the war would end.",
        "A Russian drone struck a bus in Sumy, killing at least nine people.",
        "Trump said direct negotiations between him and Putin were necessary.",
        "Putin declined Trump's invitation to attend the talks in Istanbul.",
        "The call is due at 10:00 EDT (14:00 GMT) on Monday.",
    ]
    for text in supported:
        assert triggered(detector, probes, text) == set(), text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("In a national address, Zelensky said Russia talks about peace while attacking civilians.", {"national-address-quote"}),
        ("Rubio said that real negotiations begin only when Trump and Putin talk directly.", {"rubio-direct-talks-quote"}),
        ("European leaders have urged a 30-day truce.", {"eu-30-day-ceasefire"}),
        ("NATO diplomats privately worry Trump will push a deal that favours Moscow.", {"nato-diplomats-concern"}),
        ("The Kremlin says it is open to dialogue.", {"kremlin-open-to-dialogue"}),
        ("Russia and Ukraine agreed a ceasefire in Istanbul.", {"ceasefire-agreed"}),
        ("The drone strike on the Sumy bus killed 12 people.", {"bus-death-toll"}),
        ("Trump will phone Putin on Friday.", {"wrong-call-time"}),
        ("Putin said the war should never have happened.", {"never-happened-misattributed"}),
    ],
)
def test_each_probe_fires_on_its_claim_in_new_words(detector, probes, text, expected) -> None:
    assert triggered(detector, probes, text) == expected


def test_negation_guard(detector, probes) -> None:
    assert "ceasefire-agreed" in triggered(detector, probes, "A ceasefire was agreed.")
    for text in ("No ceasefire was agreed.", "A ceasefire was not agreed.", "The talks failed to produce a truce; only a prisoner swap was agreed."):
        assert "ceasefire-agreed" not in triggered(detector, probes, text), text


def test_curly_quotes_and_dashes_are_normalised(detector, probes) -> None:
    assert "ceasefire-agreed" not in triggered(detector, probes, "A ceasefire wasn\u2019t agreed.")
    assert "national-address-quote" in triggered(
        detector, probes, "\u201cThey talk about peace while attacking civilians \u2014 this is not negotiation, it\u2019s deception,\u201d Zelensky said."
    )


def test_speaker_attribution(detector, probes) -> None:
    said = "{} said it was a war that \u201cshould never have happened\u201d."
    assert "never-happened-misattributed" not in triggered(detector, probes, said.format("Trump"))
    for other in ("Zelensky", "Peskov", "The Kremlin"):
        assert "never-happened-misattributed" in triggered(detector, probes, said.format(other)), other
    assert "rubio-direct-talks-quote" not in triggered(detector, probes, "Trump argued that he and Putin need to talk directly.")


def test_death_toll_numbers(detector, probes) -> None:
    probe = [p for p in probes if p.id == "bus-death-toll"]
    fires = lambda t: detector.detect(t, probe)["bus-death-toll"].triggered  # noqa: E731
    assert fires("A drone hit a bus in Sumy, killing eleven.")
    assert fires("The Sumy bus strike killed more than nine people.")
    assert not fires("A drone hit a bus in Sumy, killing nine and injuring 12.")
    assert not fires("Three years into the war, a drone strike on a bus in Sumy killed 9.")


def test_verdict_span_is_the_summary_sentence(detector, probes) -> None:
    summary = "Trump will call Putin on Monday. Afterwards, European leaders called for a 30-day ceasefire. Nine died in Sumy."
    verdict = detector.detect(summary, probes)["eu-30-day-ceasefire"]
    assert verdict.triggered and verdict.span == "Afterwards, European leaders called for a 30-day ceasefire."
    assert verdict.layer == "anchors" and verdict.span in summary


def test_a_probe_with_only_a_claim_still_works(detector) -> None:
    probe = Probe(id="mayor-resigned", kind="fabrication", claim="The mayor resigned after the flood.")
    fires = lambda t: detector.detect(t, [probe])["mayor-resigned"].triggered  # noqa: E731
    assert fires("Days after the flood, the city's mayor resigned.")
    assert not fires("The river flooded the old town; rescue teams worked through the night.")
    assert not fires("The mayor did not resign after the flood.")


def test_optional_nli_layer_is_used_only_when_given(probes) -> None:
    class FakeNLI:
        def __init__(self):
            self.calls = 0

        def entail_probs(self, pairs):
            self.calls += 1
            return [0.9 if "Russia-friendly" in premise else 0.1 for premise, _ in pairs]

    fake = FakeNLI()
    text = "Diplomats in Brussels think the outcome may be Russia-friendly."
    assert not ProbeDetector().detect(text, probes)["nato-diplomats-concern"].triggered
    verdict = ProbeDetector(nli=fake).detect(text, probes)["nato-diplomats-concern"]
    assert fake.calls == 1 and verdict.triggered and verdict.layer == "nli" and verdict.span == text


# ----------------------------------------------------------------------------- validation


def test_validate_fails_when_a_control_triggers_its_probe(cli, seed_root: Path) -> None:
    code, out, err = cli("tasks", "validate", "--root", str(seed_root))
    assert code == 0, err
    gold = seed_root / "gold" / f"{TASK}.toml"
    text = gold.read_text(encoding="utf-8")
    broken = text.replace(
        '  "Zelensky said the bus attack was a deliberate killing of civilians.",',
        '  "Zelensky said the bus attack was a deliberate killing of civilians.",\n  "Zelensky told a national address that Russia talks about peace while attacking civilians.",',
        1,
    )
    assert broken != text
    gold.write_text(broken, encoding="utf-8")
    code, out, err = cli("tasks", "validate", "--root", str(seed_root))
    assert code == 2
    assert "probes[0].controls[1]" in err and "national-address-quote" in err


def test_validate_fails_when_a_probe_misses_its_own_claim(cli, seed_root: Path) -> None:
    gold = seed_root / "gold" / f"{TASK}.toml"
    text = gold.read_text(encoding="utf-8")
    broken = text.replace('claim = "European leaders have called for a 30-day ceasefire."', 'claim = "Did Brussels want a pause in hostilities?"', 1)  # a question asserts nothing (a claim's own "unclear whether" is its content)  # noqa: E501
    assert broken != text
    gold.write_text(broken, encoding="utf-8")
    code, _, err = cli("tasks", "validate", "--root", str(seed_root))
    assert code == 2 and "does not detect its own claim" in err


# ----------------------------------------------------------------------------- measured accuracy


def test_eval_set_is_large_and_labels_are_known_probes(bench) -> None:
    rows = read_set(EVAL / "dev.jsonl", bench) + read_set(EVAL / "heldout.jsonl", bench)
    assert len(rows) >= 80
    assert {r["style"] for r in rows} >= {"terse", "verbose", "bulleted", "sloppy"}
    positives = {pid for r in rows for pid in r["expect"]}
    assert positives == {p.id for p in bench.gold[TASK].probes}  # every probe has positives
    assert sum(1 for r in rows if not r["expect"]) >= 20  # and clean summaries / controls


@pytest.mark.parametrize("name, precision, recall, probe_recall", [("dev", 0.97, 0.97, 0.8), ("heldout", 0.95, 0.95, 0.8)])
def test_accuracy_floors(bench, name, precision, recall, probe_recall) -> None:
    result = evaluate(read_set(EVAL / f"{name}.jsonl", bench), bench, name)
    rates = result.overall.rates()
    assert rates["precision"] >= precision and rates["recall"] >= recall, rates
    for pid, counts in result.per_probe.items():
        r = counts.rates()["recall"]
        assert r is None or r >= probe_recall, (pid, r)


def test_wilson_interval_matches_scipy() -> None:
    stats = pytest.importorskip("scipy.stats")
    for k, n in ((8, 10), (0, 12), (54, 55), (3, 3)):
        ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
        low, high = wilson(k, n)
        assert low == pytest.approx(ci.low, abs=1e-9) and high == pytest.approx(ci.high, abs=1e-9)


def test_probes_eval_command(cli, tmp_path: Path) -> None:
    code, out, err = cli("probes", "eval", "--root", str(REPO), "--set", str(EVAL / "dev.jsonl"), "--no-errors")
    assert code == 0, err
    assert "OVERALL" in out and "Wilson 95%" in out and "bus-death-toll" in out
    code, out, _ = cli("probes", "eval", "--root", str(REPO), "--set", str(EVAL / "dev.jsonl"), "--json")
    data = json.loads(out)
    assert data[0]["summaries"] >= 80 and 0 <= data[0]["overall"]["precision_ci"][0] <= data[0]["overall"]["precision"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"task_id": TASK, "summary": "x", "expect": ["no-such-probe"]}) + "\n")
    code, _, err = cli("probes", "eval", "--root", str(REPO), "--set", str(bad))
    assert code == 2 and "no-such-probe" in err and len(err.strip().splitlines()) == 1


# ----------------------------------------------------------------------------- metric, report, speed


def test_score_with_probes_metric_and_report(cli, seed_root: Path, tmp_path: Path) -> None:
    lines = [
        {"task_id": TASK, "id": "clean", "summary": "Trump will call Putin on Monday. A drone strike on a bus in Sumy killed nine people."},
        {"task_id": TASK, "id": "bad", "summary": "Trump and Putin agreed a ceasefire. The Sumy bus strike killed 20."},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    code, _, err = cli("score", "--summaries", str(path), "--root", str(seed_root), "--out", str(tmp_path / "s"), "--metrics", "probes")
    assert code == 0, err
    out = [json.loads(x) for x in (tmp_path / "s" / "scores.jsonl").read_text().splitlines()]
    probe_values = lambda r: {k: v for k, v in r["metrics"].items() if k not in ("length_words", "over_target")}  # noqa: E731 (length: every record)
    assert probe_values(out[0]) == {"hallucination": False, "probes_triggered": 0}
    assert probe_values(out[1]) == {"hallucination": True, "probes_triggered": 2}
    bad = out[1]["probes"]
    assert bad["ceasefire-agreed"]["triggered"] and bad["ceasefire-agreed"]["span"] == "Trump and Putin agreed a ceasefire."
    assert bad["bus-death-toll"]["layer"].startswith("value") and not bad["rubio-senator"]["triggered"]
    assert len(bad) == 15 and all({"triggered", "span", "layer"} <= set(v) for v in bad.values())
    report = (tmp_path / "s" / "report.md").read_text()
    assert "hallucination rate" in report and "0.5000" in report


def test_speed_1000_summaries(probes) -> None:
    texts = [
        "Donald Trump said he will phone Vladimir Putin on Monday at 10:00 EDT to discuss ending the bloodbath in Ukraine, "
        "then speak with Zelensky and NATO leaders. The Kremlin said the conversation is in the works. Friday's Istanbul talks, "
        f"the first in three years, produced a prisoner swap. A drone strike on a bus in Sumy killed nine people ({i}).\n"
        "- European leaders called for a 30-day ceasefire\n- Zelensky: \u201cthis is deception\u201d"
        for i in range(1000)
    ]
    detector = ProbeDetector()
    start = time.process_time()
    results = detector.detect_many([(t, probes) for t in texts])
    elapsed = time.process_time() - start
    assert all(r["eu-30-day-ceasefire"].triggered and not r["ceasefire-agreed"].triggered for r in results)
    assert elapsed < 6.0, f"{elapsed:.2f} s CPU for 1,000 summaries (target 2 s on an idle core)"


# ----------------------------------------------------------------------------- plain claims (issue 15)

from bench.detectors.claim_core import Sources  # noqa: E402

FLIGHT = Sources((
    ("wire", "The plane was carrying 228 people aboard (216 passengers and 12 crew) on its flight from Rio to Paris. "
             "Trump will call Putin on Monday. Repairs will cost 5 million euros. Putin declined to attend the talks in Istanbul."),
    ("blog", "European leaders called for a 30-day truce, the blog says."),
))


def fires(claim: str, text: str, source: str = "") -> bool:
    probe = Probe(id="p", kind="contradiction", claim=claim, source=source)
    return ProbeDetector().detect(text, [probe], FLIGHT)["p"].triggered


@pytest.mark.parametrize(
    "claim, true_neighbour",
    [
        ("The plane was carrying 216 people.", "The plane had 228 people aboard (216 passengers)."),
        ("Trump will call Putin on Tuesday.", "Trump will call Putin on Monday."),
        ("Repairs could exceed 50 million euros.", "Repairs will cost 5 million euros."),
        ("The flight from Paris to Rio was full.", "The flight from Rio to Paris was full."),
        ("Putin attended the talks in Istanbul.", "Putin declined to attend the talks in Istanbul."),
    ],
)
def test_plain_claim_fires_on_itself_not_on_the_supported_alternative(claim: str, true_neighbour: str) -> None:
    assert fires(claim, claim)
    assert not fires(claim, true_neighbour)


def test_names_alone_never_fire_a_plain_claim() -> None:
    assert not fires("Trump will call Putin on Tuesday.", "Trump and Putin have spoken before.")
    assert not fires("Trump will call Putin on Tuesday.", "Rubio and Lavrov spoke on Tuesday.")


def test_values_as_values_in_plain_claims() -> None:
    assert fires("The plane was carrying 216 people.", "Two hundred and sixteen people were on the plane.")
    assert fires("Europeans want a 30-day truce.", "European leaders called for a month-long truce.", source="blog")


def test_a_claim_with_not_detects_itself() -> None:
    claim = "The crew did not survive the crash."
    assert fires(claim, claim)
    assert not fires(claim, "The crew survived the crash.")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Atlas reports that European leaders called for a 30-day truce.", True),
        ("European leaders want a truce lasting thirty days.", True),
        ("Atlas claimed, without evidence, that European leaders called for a 30-day truce.", False),
        ("An unverified report says European leaders called for a 30-day truce.", False),
        ("It is unclear whether European leaders called for a 30-day truce.", False),
        ("Did European leaders call for a 30-day truce?", False),
        ("European leaders did not call for a 30-day truce.", False),
    ],
)
def test_attribution_rule(text: str, expected: bool) -> None:
    assert fires("European leaders called for a 30-day truce.", text, source="blog") is expected


def test_examples_round_trip_and_validate(cli, seed_root: Path) -> None:
    bench = load_benchmark(seed_root)
    assert all(len(p.examples) >= 2 for p in bench.gold[TASK].probes)
    code, out, err = cli("probes", "check", "--root", str(seed_root))
    assert code == 0, err
    assert "15/15 probe(s) pass" in out and "held out" in out
    gold = seed_root / "gold" / f"{TASK}.toml"
    text = gold.read_text(encoding="utf-8")
    # an example that does not state the claim, and a control that does
    broken = text.replace('  "Trump will phone Putin on Wednesday.",', '  "Trump will phone Putin on Monday.",', 1)
    broken = broken.replace('  "Rubio and Lavrov spoke by phone on Saturday.",', '  "Rubio and Lavrov spoke by phone on Saturday.",\n  "Trump will ring Putin on Thursday.",', 1)
    # and a reference that states a wrong call time
    broken = broken.replace("- Trump said he will call Putin on Monday at 10:00 EDT", "- Trump said he will call Putin on Tuesday at 11:00 EDT", 1)
    assert broken != text
    gold.write_text(broken, encoding="utf-8")
    code, out, err = cli("probes", "check", "--root", str(seed_root))
    assert code == 1 and "wrong-call-time examples[0]" in out and "wrong-call-time control[" in out
    code, _, err = cli("tasks", "validate", "--root", str(seed_root))
    # the control states another wrong day and the reference the wrong time: validation names both
    assert code == 2 and "probes[13].controls[" in err and "references[" in err


def test_probes_check_bad_input(cli, tmp_path: Path) -> None:
    code, _, err = cli("probes", "check", "--root", str(tmp_path / "nowhere"))
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_pack_and_export_keep_examples(tmp_path: Path) -> None:
    from bench.benchmark.writer import gold_to_toml

    bench = load_benchmark(REPO, TASK)
    data = gold_to_toml(bench.gold[TASK])
    assert all(p.get("examples") for p in data["probes"])


PLAIN_PROBES = '''
[[probes]]
id = "call-on-tuesday"
kind = "contradiction"
claim = "Trump will call Putin on Tuesday."
controls = ["Trump will call Putin on Monday.", "Rubio and Lavrov spoke by phone on Saturday."]
examples = ["The Trump-Putin phone call is set for Tuesday."]

[[probes]]
id = "toll-twelve"
kind = "contradiction"
claim = "The drone strike on the bus in Sumy killed twelve people."
controls = ["A Russian drone struck a bus in Sumy, killing nine people.", "Nine people died when a drone hit a bus in Sumy."]
examples = ["Twelve passengers died when a drone hit the Sumy bus."]

[[probes]]
id = "talks-five-years"
kind = "contradiction"
claim = "The Istanbul talks were the first direct talks between Russia and Ukraine in five years."
controls = ["The Istanbul talks were the first direct talks between Russia and Ukraine in three years."]
examples = ["Russia and Ukraine met directly in Istanbul for the first time in five years."]
'''


def plain_root(seed_root: Path, extra: str = "") -> Path:
    gold = seed_root / "gold" / f"{TASK}.toml"
    gold.write_text(gold.read_text(encoding="utf-8") + PLAIN_PROBES + extra, encoding="utf-8")
    return seed_root


def test_plain_claim_root_with_true_controls_validates(cli, seed_root: Path) -> None:
    root = plain_root(seed_root)
    code, out, err = cli("tasks", "validate", "--root", str(root))
    assert code == 0, err
    code, out, err = cli("probes", "check", "--root", str(root))
    assert code == 0 and "18/18 probe(s) pass" in out, out + err


def test_a_control_that_states_the_claim_fails_validation(cli, seed_root: Path) -> None:
    root = plain_root(seed_root)
    gold = root / "gold" / f"{TASK}.toml"
    text = gold.read_text(encoding="utf-8").replace(
        'controls = ["Trump will call Putin on Monday.", "Rubio',
        'controls = ["Trump will call Putin on Monday.", "The Trump-Putin call will take place on Tuesday.", "Rubio', 1)
    gold.write_text(text, encoding="utf-8")
    code, _, err = cli("tasks", "validate", "--root", str(root))
    assert code == 2 and "controls[1]" in err and "call-on-tuesday" in err and "time tuesday" in err


# ----------------------------------------------------------------------------- plain-claim dev roots

DEV = REPO / "tests" / "data" / "probe_dev"


def test_dev_roots_use_only_development_topics() -> None:
    topics = {p.name for p in (DEV / "tasks").iterdir()}
    assert len(topics) >= 7 and not topics & {"multiling2011-m005", "multiling2011-m007", "multiling2011-m008"}
    bench = load_benchmark(DEV)
    for task_id, gold in bench.gold.items():
        assert len(gold.probes) >= 6 and all(len(p.examples) >= 2 and p.controls for p in gold.probes), task_id
        rows = read_set(DEV / "labelled" / f"{task_id.rsplit('-', 1)[1]}.jsonl", bench)
        assert len(rows) >= 20, task_id


@pytest.mark.parametrize("examples, precision, recall", [(True, 0.90, 0.62), (False, 0.90, 0.50)])
def test_dev_root_accuracy_floors(examples: bool, precision: float, recall: float) -> None:
    from bench.metaeval.probe_eval import Counts

    bench = load_benchmark(DEV)
    detector = ProbeDetector(ablate=() if examples else ("examples",))
    total = Counts()
    for path in sorted((DEV / "labelled").glob("*.jsonl")):
        c = evaluate(read_set(path, bench), bench, detector=detector).overall
        total.tp, total.fp, total.fn, total.tn = total.tp + c.tp, total.fp + c.fp, total.fn + c.fn, total.tn + c.tn
    rates = total.rates()
    assert rates["precision"] >= precision and rates["recall"] >= recall, rates


def test_probes_eval_options(cli) -> None:
    code, out, err = cli("probes", "eval", "--root", str(DEV), "--set", str(DEV / "labelled" / "m000.jsonl"), "--no-examples", "--no-errors")
    assert code == 0, err
    assert "no examples" in out and "kind: contradiction" in out and "OVERALL" in out
    code, out, err = cli("probes", "eval", "--root", str(REPO), "--set", str(EVAL / "dev.jsonl"), "--plain", "--json")
    data = json.loads(out)
    assert "claims only" in data[0]["set"] and data[0]["overall"]["precision"] >= 0.85 and set(data[0]["kinds"]) == {"contradiction", "fabrication", "unsupported"}


def test_minilm_word_signal_is_opt_in() -> None:
    from bench.detectors.probe_embed import WordVectors

    vectors = WordVectors(threshold=0.6)
    assert vectors.nearest("resign", ["quit", "banana"]) == "quit"  # cosine 0.65, measured
    assert vectors.nearest("sack", ["fire"]) is None  # why it is no default: close words are rarely close vectors
    assert ProbeDetector().vectors is None

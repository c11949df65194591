"""Source support: hand-made edits of a news text, the metric's records, and agreement with humans."""

from __future__ import annotations

import json

import pytest

from bench.core.model import Document, Gold, Task
from bench.core.stats import aggregate
from bench.detectors.support import DEFAULT_CHECKS, LEGACY_CHECKS, SourceIndex, SupportChecker
from bench.metaeval.labelled import shared_data
from bench.metaeval.support_data import DEFAULT_PATHS, load_set, part_of
from bench.metaeval.support_eval import auc, evaluate
from bench.metrics import build_metrics
from bench.metrics.base import ScoreItem

DOC = (
    "Activists in London dumped yellow and blue paint in front of the Russian embassy on Thursday. "
    "Police said nine people were arrested. British officials did not comment. "
    "Sales of the vaccine decreased by 30% in 2023."
)
OTHER = "Moderna reported revenues of $5bn for the year."


def check(summary: str, *docs: str):
    return SupportChecker().check(summary, SourceIndex(list(docs or (DOC,))))


def test_supported_summary_and_paraphrase_pass():
    assert check("Police said nine people were arrested. British officials did not comment.").score == 1.0
    res = check("Activists dumped yellow and blue paint in front of the Russian embassy in London. Nine people were arrested.")
    assert res.score > 0.95 and not res.flagged  # "embassy ... London" is a new pairing, a small risk only
    para = check("Protesters dumped yellow and blue paint in front of the Russian embassy in London.")
    assert not para.flagged and 0 < para.score < 1  # one novel word lowers the score, does not flag
    assert para.details()["unsupported"][0]["words"] == ["Protesters"]


def test_numbers_words_and_digits():
    assert not check("Police said 9 people were arrested.").flagged
    res = check("Police said ten people were arrested.")
    assert res.flagged and res.details()["unsupported"][0]["numbers"] == ["ten"]  # as written
    assert check("Sales of the vaccine decreased by 40% in 2023.").flagged
    assert check("Sales decreased by 30% in 2024.").flagged


def test_entities_aliases_and_demonyms():
    res = check("Activists in Moscow dumped paint in front of the Russian embassy.")
    assert res.flagged and res.details()["unsupported"][0]["entities"] == ["Moscow"]
    assert not check("U.K. activists dumped paint in front of the embassy of Russia in London.").flagged
    assert check("U.S. activists dumped paint in front of the Russian embassy.").flagged


def test_negation_and_antonym_swaps():
    assert check("Police said nine people were not arrested.").flagged
    assert check("Sales of the vaccine increased by 30% in 2023.").details()["unsupported"][0]["antonyms"] == ["increased"]


def test_inserted_claim_and_many_documents():
    assert check("Activists dumped paint. The protest celebrated traditional folk dancing festivals.").flagged
    assert not check("Nine people were arrested and Moderna reported revenues of $5bn.", DOC, OTHER).flagged
    assert check("Moderna reported revenues of $5bn.", DOC).flagged  # only in the other document


def test_new_word_combinations_lower_the_score_without_flagging():
    res = check("Police dumped nine activists in front of the embassy.")
    listed = res.details()["unsupported"][0]["bigrams"]
    assert "Police dumped" in listed and "front embassy" not in listed  # "front of the Russian embassy" backs it
    assert not res.flagged and res.score < check("Police said nine people were arrested.").score == 1.0


def test_empty_summary_claims_nothing():
    res = check("")
    assert res.score == 1.0 and not res.flagged


def test_metric_records_and_flag_rate():
    task = Task("t", "", (Document("d", DOC),))
    (metric,) = build_metrics(["support"])
    results = metric.score_batch([ScoreItem(task, Gold("t"), s) for s in ("Nine people were arrested.", "Ten people were arrested.")])
    assert [r.values["support_flagged"] for r in results] == [False, True]
    assert results[1].details["support"]["unsupported"][0]["numbers"] == ["Ten"]
    table = aggregate([{"task_id": "t", "metrics": r.values} for r in results])
    assert table["support_flagged"]["mean"] == 0.5
    assert "support" in metric.signature() and "|flag:" in metric.signature()


def test_eval_command_reports_missing_data(cli, tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text(json.dumps([{"doc": "d"}]), encoding="utf-8")
    code, _, err = cli("support", "eval", "--data", str(bad))
    assert code == 2 and "not SummEdits items" in err


# --------------------------------------------------------------------------- the layers of issue 17

NEWS = (
    "Moderna said sales of its vaccine fell to $5bn in 2023, a decline it expects to continue. "
    "Analysts had forecast an increase in sales of the vaccine for 2023. "
    "Rory McIlroy carded a three-under 69 in Shanghai on Sunday. "
    "Protesters poured yellow paint outside the embassy during a year-long campaign."
)


def news(summary: str, checker: SupportChecker | None = None):
    return (checker or SupportChecker()).check(summary, SourceIndex([NEWS]))


def test_antonym_flip_is_read_against_the_closest_sentence():
    """'increase' is in the context (the analysts' forecast), so only the closest sentence shows the flip."""
    res = news("Moderna said sales of its vaccine rose to $5bn in 2023, an increase it expects to continue.")
    assert res.flagged and "increase" in res.details()["unsupported"][0]["antonyms"]
    whole_context = SupportChecker(checks=[c for c in DEFAULT_CHECKS if c != "antonym-top"])
    assert "antonyms" not in news("Moderna said sales of its vaccine rose to $5bn in 2023, an increase it expects to continue.",
                                  whole_context).details()["unsupported"][0]
    assert not news("Moderna said sales of its vaccine fell to $5bn in 2023, a decline it expects to continue.").flagged


def test_numbers_are_compared_as_values_with_units():
    assert news("Moderna's vaccine sales fell to $10bn in 2023.").flagged
    assert not news("Moderna's vaccine sales fell to 5 billion dollars in 2023.").flagged
    month = news("Protesters poured yellow paint outside the embassy during a month-long campaign.")
    assert month.flagged and month.details()["unsupported"][0]["numbers"]  # a month is not a year, though "long" is
    assert not news("Protesters poured yellow paint outside the embassy during a campaign lasting a year.").flagged


def test_dates_are_compared_as_times():
    res = news("Rory McIlroy carded a three-under 69 in Shanghai on Saturday.")
    assert res.flagged and res.details()["unsupported"][0]["times"] == ["Saturday"]
    assert news("Moderna said sales fell to $5bn in 2022.").flagged
    assert not news("On Sunday Rory McIlroy carded a 69 in Shanghai.").flagged


def test_negation_inserted_is_caught():
    assert news("Analysts had not forecast an increase in sales of the vaccine for 2023.").flagged
    assert not news("Analysts had forecast an increase in sales of the vaccine for 2023.").flagged


def test_closed_class_swaps():
    res = news("Protesters poured green paint outside the embassy during a year-long campaign.")
    assert res.flagged and res.details()["unsupported"][0]["swaps"] == ["green"]


def test_lower_cased_output_is_recased_and_unknown_names_count_as_names():
    """XSum systems print lower case: 'mcilroy' is backed through the documents' 'McIlroy'; an unknown name is not."""
    assert not news("rory mcilroy carded a three-under 69 in shanghai on sunday.").flagged
    res = news("rory mcgrathson carded a three-under 69 in shanghai on sunday.")
    assert res.flagged and res.details()["unsupported"][0]["entities"] == ["mcgrathson"]


def test_score_is_graded_and_the_flag_is_its_threshold():
    checker = SupportChecker()
    summaries = [
        "Moderna said sales of its vaccine fell to $5bn in 2023.",
        "Moderna said sales of its popular vaccine fell to $5bn in 2023.",
        "Moderna said sales of its vaccine fell to $7bn in 2023.",
    ]
    results = [news(s, checker) for s in summaries]
    assert results[0].score > results[1].score > results[2].score
    assert [r.flagged for r in results] == [r.score <= 1 - checker.flag_risk / 2 for r in results]
    assert "flag=risk>=" in "|".join(f"{k}={v}" for k, v in checker.config().items())


def test_auc_counts_ties_as_half():
    assert auc([True, False], [1.0, 0.0]) == 1.0
    assert auc([True, False, True, False], [0.5, 0.5, 0.9, 0.1]) == 0.875
    assert auc([True, False], [0.0, 1.0]) == 0.0


# --------------------------------------------------------------------------- support eval on small fixtures


def _frank(folder, n_docs=6):
    folder.mkdir()
    arts, sums = [], []
    for k in range(n_docs):
        doc = f"Police in Leeds arrested {k + 2} men on Tuesday after a fight outside a bar. The men were released later."
        arts.append({"hash": f"h{k}", "article": doc})
        sums.append({"hash": f"h{k}", "model_name": "a", "summary": "x", "summary_sentences": [f"Police in Leeds arrested {k + 2} men on Tuesday."], "label_consistent": 1})
        sums.append({"hash": f"h{k}", "model_name": "b", "summary": "x", "summary_sentences": [f"Police in York arrested {k + 12} women on Friday."],
                     "label_consistent": 0, "err_EntE": 0.0, "err_CircE": 0.5})
    (folder / "articles.jsonl").write_text("".join(json.dumps(a) + "\n" for a in arts), encoding="utf-8")
    (folder / "summaries.jsonl").write_text("".join(json.dumps(s) + "\n" for s in sums), encoding="utf-8")
    return folder


def test_eval_cli_on_a_frank_copy(cli, tmp_path):
    folder = _frank(tmp_path / "frank")
    code, out, err = cli("support", "eval", str(folder), "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["set"] == "frank" and result["parts"]["all"]["n"] == 12
    assert result["parts"]["all"]["bacc"] == 1.0 and result["parts"]["all"]["auc"] == 1.0
    assert result["parts"]["all"]["types"]["EntE"][:2] == [6, 6]
    held = {f"h{k}" for k in range(6) if part_of(f"h{k}") == "set_aside"}
    assert result["parts"]["set_aside"]["n"] == 2 * len(held)
    code, text, _ = cli("support", "eval", str(folder))
    assert code == 0 and "QuestEval 82.1" in text and "EntE" in text and "set_aside" in text


def test_eval_cli_on_xsumfaith_and_summedits_copies(cli, tmp_path):
    folder = tmp_path / "xsf"
    folder.mkdir()
    (folder / "docs.jsonl").write_text(json.dumps({"bbcid": 1, "document": DOC}) + "\n", encoding="utf-8")
    items = [{"bbcid": 1, "system": "a", "summary": "nine people were arrested after activists dumped paint.", "label": 1, "hallucination_types": ["NULL"]},
             {"bbcid": 1, "system": "b", "summary": "twelve people were arrested in moscow.", "label": 0, "hallucination_types": ["extrinsic", "intrinsic"]}]
    (folder / "items.jsonl").write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    code, out, _ = cli("support", "eval", str(folder), "--json")
    result = json.loads(out)
    assert code == 0 and result["set"] == "xsumfaith" and result["parts"]["all"]["bacc"] == 1.0
    assert result["parts"]["all"]["types"] == {"extrinsic": [1, 1, *result["parts"]["all"]["types"]["extrinsic"][2:]],
                                               "intrinsic": [1, 1, *result["parts"]["all"]["types"]["intrinsic"][2:]]}
    edits = tmp_path / "se.json"
    edits.write_text(json.dumps([{"id": "a", "doc": DOC, "summary": "Nine people were arrested.", "label": 1, "edit_types": []},
                                 {"id": "b", "doc": DOC, "summary": "Ten people were arrested.", "label": 0, "edit_types": ["entity_modification"]}]), encoding="utf-8")
    code, out, _ = cli("support", "eval", "--data", str(edits), "--json")
    assert code == 0 and json.loads(out)["parts"]["all"]["flagged_inconsistent"][:2] == [1, 1]


def test_eval_cli_bad_input_is_one_line(cli, tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text(json.dumps([{"doc": "d"}]), encoding="utf-8")
    code, _, err = cli("support", "eval", "--data", str(bad))
    assert code == 2 and "not SummEdits items" in err and len(err.strip().splitlines()) == 1
    folder = _frank(tmp_path / "frank")
    (folder / "summaries.jsonl").write_text(json.dumps({"hash": "h0", "summary": "s", "label_consistent": 7}) + "\n", encoding="utf-8")
    code, _, err = cli("support", "eval", str(folder))
    assert code == 2 and "label_consistent" in err and "not 0 or 1" in err
    code, _, err = cli("support", "eval", str(tmp_path / "nowhere"))
    assert code == 2 and "no such file or folder" in err


def test_split_is_fixed_by_document_id():
    """35% of documents by a salted SHA-256, the same on every machine: never chosen by the checker."""
    ids = [str(k) for k in range(2000)]
    share = sum(part_of(i) == "set_aside" for i in ids) / len(ids)
    assert 0.32 < share < 0.38
    assert [part_of(i) for i in ids[:50]] == [part_of(i) for i in ids[:50]]


@pytest.mark.parametrize("name", ["summedits", "frank", "xsumfaith"])
def test_measured_on_the_shared_sets(name):
    """Not a tuning target: guards that the default checker stays above the checker before issue 17."""
    if not shared_data(DEFAULT_PATHS[name]).exists():
        pytest.skip(f"shared {name} data not present (set SUMBENCH_SHARED)")
    _, pairs = load_set(name)
    new = evaluate(pairs)["parts"]["dev"]
    old = evaluate(pairs, SupportChecker(checks=LEGACY_CHECKS, scoring="units"))["parts"]["dev"]
    assert new["bacc"] >= old["bacc"] - 0.01 and new["auc"] > old["auc"]


# --------------------------------------------------------------------------- the perturbation control


def test_perturbed_lead_is_seeded_logged_and_caught(seed_root):
    from bench.benchmark.load import load_benchmark
    from bench.summarizers.perturbed import PerturbedLead

    task = next(iter(load_benchmark(str(seed_root)).tasks.values()))
    control = PerturbedLead(rate=1.0)
    lines, edits = control.perturb(task)
    assert control.perturb(task) == (lines, edits) and control.summarize(task) == "\n".join(lines)
    assert edits and all(e["after"] in lines[e["line"]] for e in edits)
    assert PerturbedLead(rate=1.0, seed=1).perturb(task) != (lines, edits)
    index = SourceIndex([d.text for d in task.documents])
    flagged = [SupportChecker().check(lines[e["line"]], index).flagged for e in edits]
    assert sum(flagged) >= len(flagged) / 2


def test_control_run_is_marked_and_never_ranked(cli, seed_root, tmp_path):
    results = tmp_path / "results"
    for name in ("lead", "perturbed-lead"):
        code, _, err = cli("run", name, "--root", str(seed_root), "--metrics", "rouge,support", "--out", str(results / name))
        assert code == 0, err
    records = [json.loads(line) for line in (results / "perturbed-lead" / "summaries.jsonl").read_text(encoding="utf-8").splitlines()]
    assert records[0]["meta"]["control"] == "perturbed-lead" and records[0]["meta"]["lines"] == len(records[0]["summary"].splitlines())
    report = json.loads((results / "perturbed-lead" / "report.json").read_text(encoding="utf-8"))
    assert report["control"] is True and "**Control**" in (results / "perturbed-lead" / "report.md").read_text(encoding="utf-8")
    code, _, err = cli("leaderboard", "--results", str(results))
    assert code == 0, err
    md = (results / "leaderboard.md").read_text(encoding="utf-8")
    row = next(line for line in md.splitlines() if "perturbed-lead" in line and line.startswith("|"))
    assert row.startswith("|  |") and "*(control)*" in row and "**" not in row.split("|", 3)[3]
    assert any(line.startswith("| 1 | lead") for line in md.splitlines())


def test_a_month_that_is_also_a_stopword_is_still_a_time():
    doc = "Voters go to the polls in Turkiye's May 14 elections. Critics say the count may be delayed."
    assert not SupportChecker().check("Voters go to the polls in Turkiye's May 14 elections.", SourceIndex([doc])).flagged
    assert SupportChecker().check("Voters go to the polls in Turkiye's May 21 elections.", SourceIndex([doc])).flagged


def test_a_sentence_judge_plugs_in_and_names_itself():
    """The seam the judge backends (bench/detectors/judges.py) attach to: (document, sentence) pairs in, P(supported) out."""

    class Doubter:
        name = "fake:doubter"

        def __init__(self):
            self.asked = []

        def support_probs(self, pairs):
            self.asked.extend(pairs)
            return [0.1 if "nine" in sentence else 0.9 for _, sentence in pairs]

    judge = Doubter()
    checker = SupportChecker(judge=judge)
    res = checker.check("Police said nine people were arrested. British officials did not comment.", SourceIndex([DOC]))
    assert res.flagged and res.entailment == 0.1 and len(judge.asked) == 2 and judge.asked[0][0] == DOC
    assert not checker.check("British officials did not comment.", SourceIndex([DOC])).flagged
    assert "fake:doubter" in checker.config()["judge"]


# --------------------------------------------------------------------------- round 2 layers (issue 17)

FUSION_DOC = (
    "The council approved the new library on Monday after a long debate. "
    "Residents had asked for a swimming pool instead, and the mayor promised to review the budget next year."
)


def test_a_new_combination_weighs_more_in_a_near_copy_than_in_a_fused_sentence():
    """'council ... swimming pool' is new in both; the near copy of one sentence changes who did what."""
    without = SupportChecker(checks=[c for c in DEFAULT_CHECKS if c != "fusion"])
    copy = "The council approved the new swimming pool on Monday after a long debate."
    fused = "Residents asked for a swimming pool; the council approved the library."
    near, mixed = (SupportChecker().check(s, SourceIndex([FUSION_DOC])) for s in (copy, fused))
    assert near.sentences[0].known_cover > mixed.sentences[0].known_cover
    assert near.score < without.check(copy, SourceIndex([FUSION_DOC])).score  # the layer raises a near copy's risk
    assert "known-cover^2" in SupportChecker().config()["score"] and "known-cover" not in without.config()["score"]


def test_a_novel_first_name_before_a_known_surname_is_a_name():
    """'joe schmidt' in a lower-cased summary, where the documents only have 'Eric Schmidt'."""
    doc = "Google chairman Eric Schmidt defended the company's tax arrangements on Tuesday."
    res = SupportChecker().check("google chairman joe schmidt defended the company's tax arrangements.", SourceIndex([doc]))
    assert res.flagged and res.details()["unsupported"][0]["entities"] == ["joe"]
    plain = SupportChecker(checks=[c for c in DEFAULT_CHECKS if c != "name-parts"])
    assert not plain.check("google chairman joe schmidt defended the company's tax arrangements.", SourceIndex([doc])).sentences[0].entities


def test_a_nationality_is_backed_by_its_country_and_an_unbacked_one_is_serious():
    doc = "Cinema company Imax plans to list shares of its unit on the stock market in China, it said."
    index = SourceIndex([doc])
    for summary in ("Imax plans to list its Chinese unit on the stock market.", "imax plans to list its chinese unit on the stock market."):
        res = SupportChecker().check(summary, index)
        assert not res.flagged and not res.sentences[0].entities, summary
    for summary in ("Imax plans to list its Japanese unit on the stock market.", "imax plans to list its japanese unit on the stock market."):
        res = SupportChecker().check(summary, index)
        assert res.flagged and res.details()["unsupported"][0]["entities"] == [summary.split()[5]], summary
    plain = SupportChecker(checks=[c for c in DEFAULT_CHECKS if c != "nations"])
    assert plain.check("Imax plans to list its Chinese unit on the stock market.", index).flagged  # "Chinese" unbacked


def test_eval_part_dev_checks_and_prints_the_dev_part_only(cli, tmp_path):
    """Tuning reads `--part dev`: no set-aside number is computed, let alone printed."""
    folder = _frank(tmp_path / "frank")
    dev_ids = {f"h{k}" for k in range(6) if part_of(f"h{k}") == "dev"}
    code, out, err = cli("support", "eval", str(folder), "--part", "dev", "--json")
    assert code == 0, err
    parts = json.loads(out)["parts"]
    assert list(parts) == ["dev"] and parts["dev"]["n"] == 2 * len(dev_ids)
    code, text, _ = cli("support", "eval", str(folder), "--part", "dev")
    assert code == 0 and "set_aside" not in text and "set-aside |" not in text and "EntE" in text
    code, _, err = cli("support", "eval", str(folder), "--part", "test")
    assert code == 2 and "--part" in err and len(err.strip().splitlines()) == 1


def test_a_pronoun_of_the_other_gender_than_the_closest_sentence_is_serious():
    doc = "Dame Barbara Windsor said she was approached by the producers about a final return to the show."
    index = SourceIndex([doc])
    res = SupportChecker().check("Barbara Windsor said he was approached by the producers about a final return.", index)
    assert res.flagged and res.details()["unsupported"][0]["pronouns"] == ["he"]
    assert not SupportChecker().check("Barbara Windsor said she was approached by the producers about a final return.", index).flagged
    plain = SupportChecker(checks=[c for c in DEFAULT_CHECKS if c != "pronouns"])
    assert not plain.check("Barbara Windsor said he was approached by the producers about a final return.", index).flagged


def test_a_title_or_role_no_document_uses_is_serious():
    """XSum-style extrinsic detail: who someone is ("striker", "former"), stated from background knowledge."""
    doc = "Steven Gerrard scored twice as Liverpool beat Everton 3-0 at Anfield on Sunday."
    index = SourceIndex([doc])
    res = SupportChecker().check("Liverpool striker Steven Gerrard scored twice as Liverpool beat Everton.", index)
    assert res.flagged and res.details()["unsupported"][0]["roles"] == ["striker"]
    assert not SupportChecker().check("Steven Gerrard scored twice as Liverpool beat Everton.", index).flagged
    backed = SourceIndex([doc.replace("Steven Gerrard", "Liverpool striker Steven Gerrard")])
    assert not SupportChecker().check("Liverpool striker Steven Gerrard scored twice as Liverpool beat Everton.", backed).flagged
    plain = SupportChecker(checks=[c for c in DEFAULT_CHECKS if c != "roles"])
    assert not plain.check("Liverpool striker Steven Gerrard scored twice as Liverpool beat Everton.", index).sentences[0].serious


def test_tokenised_thousands_are_one_number():
    """System output tokenised as "£50, 000" states £50,000, not £50 and 000."""
    index = SourceIndex(["The appeal has raised £50,000 for the families of soldiers killed in Iraq."])
    summary = "an appeal has raised £50, 000 for the families of soldiers killed in iraq."
    res = SupportChecker().check(summary, index)
    assert not res.flagged and not res.sentences[0].numbers
    assert SupportChecker().check(summary.replace("£50, 000", "£60, 000"), index).sentences[0].numbers
    plain = SupportChecker(checks=[c for c in DEFAULT_CHECKS if c != "thousands"])
    assert plain.check(summary, index).sentences[0].numbers == ["£50"]

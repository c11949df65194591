"""The HTML/Markdown reports and the leaderboard: content, marking, escaping, grouping, determinism.

Run folders here are written by hand (``write_run``) so every number is known
in advance; ``make_synthetic`` builds bigger ones (a benchmark root plus runs)
for the browser test and for measuring a 3 x 25 report.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

from bench.reporting import write_report
from bench.reporting.highlight import Span, locate, render_marked
from bench.reporting.table import build_table, direction
from bench.reporting.views import probe_heatmap
from bench.results.runs import load_run

ROUGE_SIG = "rouge|v:1|stem:yes"
PROBE_SIG = "probes|v:1"

WORDS = (
    "council harbour budget storm rescue minister river bridge vote strike village border talks hospital "
    "market school court police report fire flood army truce envoy grain port fuel power rail election "
    "ferry senator mayor airport drought wildfire treaty summit museum factory union protest satellite"
).split()


# --------------------------------------------------------------------------- helpers


def toml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def sentence(rng: random.Random, n: int = 12) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def write_task(root: Path, task_id: str, rng: random.Random, n_docs: int = 3, sentences_per_doc: int = 8,
               n_facts: int = 6, n_probes: int = 5, title: str | None = None) -> dict[str, Any]:
    """A task and its gold; facts and probe evidence are sentences of the documents (so they are verbatim)."""
    folder = root / "tasks" / task_id
    folder.mkdir(parents=True)
    docs = {}
    lines = [f"id = {toml_str(task_id)}", f"title = {toml_str(title or 'Synthetic ' + task_id)}", 'suite = "synthetic"', ""]
    for d in range(n_docs):
        doc_id = f"d{d}"
        docs[doc_id] = [sentence(rng) for _ in range(sentences_per_doc)]
        (folder / f"{doc_id}.txt").write_text("\n".join(docs[doc_id]) + "\n", encoding="utf-8")
        lines += ["[[documents]]", f'id = "{doc_id}"', f'file = "{doc_id}.txt"', f'title = "Document {d}"', f'source = "Source {d}"', ""]
    (folder / "task.toml").write_text("\n".join(lines), encoding="utf-8")
    gold = [f"task = {toml_str(task_id)}", "", "[[references]]", 'id = "ref"', f"text = {toml_str(' '.join(docs['d0'][:3]))}", ""]
    facts, probes = {}, {}
    for k in range(n_facts):
        doc_id = f"d{k % n_docs}"
        text = docs[doc_id][k % sentences_per_doc]
        facts[f"fact-{k}"] = text
        gold += ["[[key_facts]]", f'id = "fact-{k}"', f"text = {toml_str(text)}", f'supported_by = ["{doc_id}"]', ""]
    for k in range(n_probes):
        pid = f"probe-{k}"
        if k % 3 == 2:  # a fabrication: no source carries it
            probes[pid] = {"claim": sentence(rng, 8), "evidence": None, "source": None}
            gold += ["[[probes]]", f'id = "{pid}"', 'kind = "fabrication"', f"claim = {toml_str(probes[pid]['claim'])}", ""]
        else:
            doc_id = f"d{(k + 1) % n_docs}"
            evidence = docs[doc_id][-1 - k % sentences_per_doc]
            probes[pid] = {"claim": "Claim: " + evidence, "evidence": evidence, "source": doc_id}
            gold += ["[[probes]]", f'id = "{pid}"', 'kind = "unsupported"', f"claim = {toml_str(probes[pid]['claim'])}",
                     f'source = "{doc_id}"', f"evidence = {toml_str(evidence)}", 'why = "only one outlet says so"', ""]
    (root / "gold").mkdir(exist_ok=True)
    (root / "gold" / f"{task_id}.toml").write_text("\n".join(gold), encoding="utf-8")
    return {"id": task_id, "docs": docs, "facts": facts, "probes": probes}


def write_run(out: Path, summarizer: str, records: list[dict[str, Any]], *, summaries: dict[str, str] | None = None,
              metrics: dict[str, dict[str, Any]] | None = None, signatures: dict[str, str] | None = None,
              root: Path | None = None, uses_gold: bool = False, task_ids: list[str] | None = None) -> Path:
    """A results folder as ``sumbench run`` leaves it; report.json from bench.analysis.aggregate unless ``metrics`` is given."""
    from bench.analysis.aggregate import build_report

    out.mkdir(parents=True)
    task_ids = task_ids or list(dict.fromkeys(r["task_id"] for r in records))
    summaries = summaries or {}
    summary_records = [{"task_id": t, "key": f"k-{t}", "summarizer": summarizer, "summary": summaries.get(t, f"Summary of {t}.")} for t in task_ids]
    signatures = signatures or {"rouge": ROUGE_SIG}
    from bench.core.model import content_hash

    # keyed like a real run's records: the run reader matches a score to its summary and metric set by key
    records = [{"summary_key": f"k-{r['task_id']}", "metrics_key": content_hash(signatures), **r} for r in records]
    report = build_report(summarizer=summarizer, uses_gold=uses_gold, tasks=task_ids, summaries=summary_records,
                          scores=records, signatures=signatures, seed=0)
    if metrics is not None:
        report["metrics"] = metrics
    (out / "report.json").write_text(json.dumps(report), encoding="utf-8")
    manifest = {"arguments": {"summarizer": summarizer, "root": str(root) if root else None}, "signatures": signatures,
                "summarizer": {"spec": summarizer, "uses_gold": uses_gold}}
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (out / "scores.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    (out / "summaries.jsonl").write_text("".join(json.dumps(r) + "\n" for r in summary_records), encoding="utf-8")
    return out


def make_synthetic(base: Path, n_summarizers: int = 3, n_tasks: int = 25, seed: int = 7, n_docs: int = 4,
                   sentences_per_doc: int = 10) -> list[Path]:
    """A benchmark root and ``n_summarizers`` runs over ``n_tasks`` tasks with probes and key facts scored."""
    rng = random.Random(seed)
    root = base / "bench"
    tasks = [write_task(root, f"task-{i:03d}", rng, n_docs=n_docs, sentences_per_doc=sentences_per_doc, n_facts=8, n_probes=6)
             for i in range(n_tasks)]
    runs = []
    for s in range(n_summarizers):
        records, summaries = [], {}
        for task in tasks:
            pool = [x for doc in task["docs"].values() for x in doc]
            chosen = rng.sample(pool, 5 + s)
            text = "\n".join(chosen)
            summaries[task["id"]] = text
            probes = {pid: ({"triggered": True, "span": p["evidence"]} if p["evidence"] in chosen else {"triggered": False, "span": ""})
                      for pid, p in task["probes"].items()}
            facts = {}
            for fid, fact in task["facts"].items():
                if fact in chosen:
                    facts[fid] = {"covered": "full", "score": 1.0, "span": fact}
                else:
                    facts[fid] = {"covered": "none", "score": 0.0, "span": ""}
            recall = sum(1.0 for f in facts.values() if f["covered"] == "full") / len(facts)
            hits = sum(p["triggered"] for p in probes.values())
            records.append({"task_id": task["id"], "metrics": {"rouge1_f": rng.uniform(0.2, 0.5), "rouge2_f": rng.uniform(0.05, 0.2),
                                                               "key_fact_recall": recall, "hallucination": hits > 0, "probes_triggered": hits},
                            "probes": probes, "key_facts": facts})
        runs.append(write_run(base / f"run-{s}", f"summarizer-{s}", records, summaries=summaries, root=root,
                              signatures={"rouge": ROUGE_SIG, "probes": PROBE_SIG, "facts": "facts|v:1"}))
    return runs


def entry(mean: float, low: float | None = None, high: float | None = None, n: int = 10) -> dict[str, Any]:
    out: dict[str, Any] = {"mean": mean, "n": n}
    if low is not None:
        out.update(ci_low=low, ci_high=high)
    return out


def rec(task_id: str, **metrics: Any) -> dict[str, Any]:
    return {"task_id": task_id, "metrics": metrics}


# --------------------------------------------------------------------------- leaderboard model


def test_best_cell_follows_metric_direction_and_skips_gold_runs(tmp_path: Path) -> None:
    a = write_run(tmp_path / "a", "alpha", [rec("t1")], metrics={"rouge1_f": entry(0.40, 0.35, 0.45), "hallucination": entry(0.5, 0.2, 0.8), "density": entry(3.0)})
    b = write_run(tmp_path / "b", "beta", [rec("t1")], metrics={"rouge1_f": entry(0.30, 0.25, 0.35), "hallucination": entry(0.1, 0.0, 0.3), "density": entry(9.0)})
    g = write_run(tmp_path / "g", "oracle", [rec("t1")], uses_gold=True, metrics={"rouge1_f": entry(0.90), "hallucination": entry(0.0), "density": entry(1.0)})
    runs = [load_run(p) for p in (a, b, g)]
    for run in runs:
        run.label = run.summarizer
    table = build_table(runs)
    best = {(row.run.label, col) for row in table.rows for col, cell in row.cells.items() if cell.best}
    assert best == {("alpha", "rouge1_f"), ("beta", "hallucination")}  # density is not ranked, the oracle never
    assert [row.run.label for row in table.rows] == ["alpha", "beta", "oracle"]
    assert direction("probes_triggered") < 0 and direction("key_fact_recall") > 0 and direction("density") == 0


def test_html_leaderboard_shows_intervals_or_the_mean_alone(tmp_path: Path) -> None:
    a = write_run(tmp_path / "a", "alpha", [rec("t1")], metrics={"rouge1_f": entry(0.4, 0.35, 0.45)})
    b = write_run(tmp_path / "b", "beta", [rec("t1")], metrics={"rouge1_f": entry(0.3)})
    page = write_report([a, b], tmp_path / "out")["html"].read_text(encoding="utf-8")
    table = page[page.index('id="leaderboard-table"'):page.index("</table>", page.index('id="leaderboard-table"'))]
    assert '<td class="num best" title="best in column; n=10">0.400<span class="ci">[0.350, 0.450]</span></td>' in table
    assert '<td class="num" title="n=10">0.300</td>' in table  # no interval in report.json: mean alone
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "| 1 | alpha | 1/1 | **0.400 [0.350, 0.450]** |" in md
    assert "| 2 | beta | 1/1 | 0.300 |" in md


# --------------------------------------------------------------------------- heatmap


def test_probe_heatmap_share_of_tasks_from_hand_made_records(tmp_path: Path) -> None:
    records_a = [
        {"task_id": "t1", "metrics": {}, "probes": {"p1": {"triggered": True, "span": "x"}, "p2": {"triggered": False, "span": ""}}},
        {"task_id": "t2", "metrics": {}, "probes": {"p1": {"triggered": False, "span": ""}, "p3": {"triggered": True, "span": "y"}}},
        {"task_id": "t3", "metrics": {}, "probes": {"p1": {"triggered": False, "span": ""}}},
        {"task_id": "t4", "metrics": {}, "probes": {"p1": {"triggered": True, "span": "z"}}},
    ]
    records_b = [{"task_id": "t1", "metrics": {}, "probes": {"p2": {"triggered": True, "span": "w"}}}]
    a = load_run(write_run(tmp_path / "a", "alpha", records_a))
    b = load_run(write_run(tmp_path / "b", "beta", records_b))
    a.label, b.label = "alpha", "beta"
    heat = probe_heatmap([a, b])
    # mean share over runs that met the probe: p3 1.0, p2 (0 + 1) / 2, p1 2 of 4 tasks
    assert heat.columns == ["p3", "p1", "p2"]
    assert heat.values == [[1.0, 0.5, 0.0], [None, None, 1.0]]
    assert probe_heatmap([a, b], max_columns=2).columns == ["p3", "p1"]

    page = write_report([tmp_path / "a", tmp_path / "b"], tmp_path / "out")["html"].read_text(encoding="utf-8")
    figure = page[page.index('<figure id="probe-heatmap"'):]
    figure = figure[: figure.index("</figure>")]
    assert "<svg" in figure and ">p3<" in figure and ">50%<" in figure and ">n/a<" in figure
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "| alpha | 100% | 50% | 0% |" in md and "| beta | n/a | n/a | 100% |" in md


def test_no_probe_scores_says_so_instead_of_an_empty_plot(tmp_path: Path) -> None:
    run = write_run(tmp_path / "a", "alpha", [rec("t1", rouge1_f=0.3)])
    page = write_report([run], tmp_path / "out")["html"].read_text(encoding="utf-8")
    assert '<figure id="probe-heatmap" class="empty">' in page and "no probe scores in these runs" in page
    assert '<figure id="metric-bars"><svg' in page


# --------------------------------------------------------------------------- per-task views


def test_overlapping_marks_are_cut_at_every_boundary() -> None:
    html = render_marked("abcdef<", [Span(0, 4, "probe", "p"), Span(2, 7, "kf-full", "f")])
    assert html == ('<mark class="probe" title="p">ab</mark><mark class="probe kf-full" title="p; f">cd</mark>'
                    '<mark class="kf-full" title="f">ef&lt;</mark>')


def test_locate_relaxes_whitespace_and_case_only_when_needed() -> None:
    text = "The Army said:\n  a truce   was AGREED on Monday."
    assert locate(text, "a truce was agreed") == (text.index("a truce"), text.index(" on Monday"))
    assert locate(text, "AGREED") == (text.index("AGREED"), text.index("AGREED") + 6)
    assert locate(text, "no such words") is None and locate(text, "  ") is None


def test_task_view_highlights_spans_and_shows_evidence_beside(tmp_path: Path) -> None:
    rng = random.Random(1)
    root = tmp_path / "bench"
    task = write_task(root, "alpha-task", rng, n_probes=2, n_facts=2)
    evidence = task["probes"]["probe-0"]["evidence"]
    fact = task["facts"]["fact-1"]
    summary = f"{fact}\n{evidence}"
    record = {"task_id": "alpha-task", "metrics": {"rouge1_f": 0.3, "key_fact_recall": 0.5},
              "probes": {"probe-0": {"triggered": True, "span": evidence}, "probe-1": {"triggered": False, "span": ""}},
              "key_facts": {"fact-0": {"covered": "none", "score": 0.1, "span": ""}, "fact-1": {"covered": "full", "score": 1.0, "span": fact}}}
    run = write_run(tmp_path / "run", "alpha", [record], summaries={"alpha-task": summary}, root=root)
    page = write_report([run], tmp_path / "out")["html"].read_text(encoding="utf-8")
    assert f'<mark class="probe" title="probe probe-0">{evidence}</mark>' in page
    assert f'<mark class="kf-full" title="key fact fact-1 (full)">{fact}</mark>' in page
    source_doc = task["probes"]["probe-0"]["source"]
    assert '<a class="anchor" id="ev-alpha-task-probe-0"></a><mark class="evidence hit" title="evidence of probe probe-0">' in page
    assert f'evidence in <a href="#ev-alpha-task-probe-0">{source_doc} (Source {source_doc[1:]})</a><blockquote>{evidence}</blockquote>' in page
    assert "<h5>Probes triggered: 1 of 2</h5>" in page and "<h5>Key facts: 1 covered, 0 partly, of 2</h5>" in page
    assert "<details><summary>1 not covered</summary>" in page
    # every document of the task, side by side
    assert page.count('<article class="doc">') == 3


def test_untrusted_text_is_escaped_everywhere(tmp_path: Path) -> None:
    rng = random.Random(2)
    root = tmp_path / "bench"
    write_task(root, "evil", rng, title='Title "quoted" </title><script>alert(3)</script>')
    nasty = '<script>alert(1)</script><img src=x onerror="alert(2)"> & </textarea>'
    record = {"task_id": "evil", "metrics": {"rouge1_f": 0.1}, "probes": {"probe-0": {"triggered": True, "span": "<script>alert(1)</script>"}}}
    run = write_run(tmp_path / "run", "cmd:echo $x$ <b>bold</b>|pipe", [record], summaries={"evil": nasty}, root=root)
    page = write_report([run], tmp_path / "out")["html"].read_text(encoding="utf-8")
    assert page.count("<script") == 1  # the page's own script only
    assert "<img" not in page and "<b>bold" not in page and "</textarea>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt; &amp; &lt;/textarea&gt;" in page
    assert "&lt;/title&gt;&lt;script&gt;alert(3)&lt;/script&gt;" in page
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "`cmd:echo $x$ <b>bold</b>\\|pipe`" in md  # a code span: nothing in it renders
    assert "<b>" not in re.sub(r"(`+).*?\1", "", md)  # every <b> is inside a code span
    assert "cmd:echo $x$ &lt;b&gt;bold&lt;/b&gt;|pipe</text>" in page  # plot label: text, not matplotlib math


def test_page_is_self_contained(tmp_path: Path) -> None:
    runs = make_synthetic(tmp_path, n_summarizers=2, n_tasks=3)
    page = write_report(runs, tmp_path / "out")["html"].read_text(encoding="utf-8")
    assert "default-src 'none'" in page  # CSP: no network, only the page's own script (by hash)
    assert not re.search(r'(?:src|href)\s*=\s*"(?:https?:)?//', page)
    assert "<link" not in page and "@import" not in page
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", page)  # no control characters (a mangled CSS escape)
    assert page.count("<svg") == 3  # metric bars, probe heatmap, key-fact recall: inline


def test_task_sections_are_collapsible_and_capped(tmp_path: Path) -> None:
    runs = make_synthetic(tmp_path, n_summarizers=1, n_tasks=5)
    page = write_report(runs, tmp_path / "out", max_tasks=2)["html"].read_text(encoding="utf-8")
    assert page.count('<details class="task"') == 2
    assert "Showing the first 2 of 5 tasks" in page


def test_missing_benchmark_root_is_a_note_not_a_crash(tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", "alpha", [rec("t1", rouge1_f=0.2)], root=tmp_path / "gone")
    page = write_report([run], tmp_path / "out")["html"].read_text(encoding="utf-8")
    assert "could not be loaded (t1)" in page and "The task's documents could not be loaded" in page


# --------------------------------------------------------------------------- files and commands


def test_report_bytes_are_deterministic(tmp_path: Path) -> None:
    runs = make_synthetic(tmp_path, n_summarizers=2, n_tasks=4)
    first = write_report(runs, tmp_path / "one")
    second = write_report(runs, tmp_path / "two")
    assert first["html"].read_bytes() == second["html"].read_bytes()
    assert first["md"].read_bytes() == second["md"].read_bytes()
    assert b"dc:date" not in first["html"].read_bytes()


def test_incomparable_runs_are_grouped_apart(tmp_path: Path, cli) -> None:
    results = tmp_path / "results"
    write_run(results / "a", "alpha", [rec("t1", rouge1_f=0.4), rec("t2", rouge1_f=0.2)])
    write_run(results / "b", "beta", [rec("t1", rouge1_f=0.45), rec("t2", rouge1_f=0.05)])
    write_run(results / "c", "gamma", [rec("t1", rouge1_f=0.9), rec("t2", rouge1_f=0.9)], signatures={"rouge": "rouge|v:1|stem:no"})
    write_run(results / "d", "delta", [rec("t1", rouge1_f=0.9)])
    code, out, err = cli("leaderboard", "--results", str(results))
    assert code == 0, err
    assert "4 run(s) in 3 group(s)" in out
    md = (results / "leaderboard.md").read_text(encoding="utf-8")
    groups = md.split("\n## ")[1:]
    assert len(groups) == 3
    assert "| 1 | alpha | 2/2 | **0.300 [0.200, 0.400]** |" in groups[0] and "| 2 | beta | 2/2 | 0.250 [0.050, 0.450] |" in groups[0]
    assert "gamma" not in groups[0] and "stem:no" in md
    html = (results / "leaderboard.html").read_text(encoding="utf-8")
    assert html.count('<table class="leaderboard"') == 3 and "<script" not in html


def test_leaderboard_without_runs_is_one_line_error(tmp_path: Path, cli) -> None:
    (tmp_path / "results").mkdir()
    code, _, err = cli("leaderboard", "--results", str(tmp_path / "results"))
    assert code == 2 and "no runs here" in err and "Traceback" not in err


def test_report_command_rejects_a_folder_that_is_not_a_run(tmp_path: Path, cli) -> None:
    (tmp_path / "empty").mkdir()
    code, _, err = cli("report", str(tmp_path / "empty"))
    assert code == 2 and "not a sumbench results folder" in err


def test_run_writes_report_html_and_report_rewrites_it(cli, seed_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    code, _, err = cli("run", "lead", "--root", str(seed_root), "--out", str(out), "--metrics", "rouge", "-q")
    assert code == 0, err
    page = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="leaderboard-table"' in page and '<details class="task" id="task-trump-putin-call"' in page
    bbc = (seed_root / "tasks" / "trump-putin-call" / "bbc.txt").read_text(encoding="utf-8")
    assert bbc.split("\n")[0].replace('"', "&quot;").replace("'", "&#x27;") in page  # the source document, escaped
    md_before = (out / "report.md").read_bytes()
    code, stdout, err = cli("report", str(out))
    assert code == 0, err
    assert (out / "report.html").read_text(encoding="utf-8") == page
    assert (out / "report.md").read_bytes() == md_before  # a run's own report.md keeps its format


def test_report_of_several_runs_via_cli(tmp_path: Path, cli) -> None:
    runs = make_synthetic(tmp_path, n_summarizers=3, n_tasks=3)
    code, out, err = cli("report", *map(str, runs), "--out", str(tmp_path / "rep"))
    assert code == 0, err
    page = (tmp_path / "rep" / "report.html").read_text(encoding="utf-8")
    for label in ("summarizer-0", "summarizer-1", "summarizer-2"):
        assert label in page
    assert page.count('<details class="task"') == 3
    assert '<figure id="key-fact-recall"><svg' in page


def test_many_tasks_give_a_recall_histogram(tmp_path: Path) -> None:
    records = [{"task_id": f"t{i:03d}", "metrics": {"key_fact_recall": (i % 5) / 4}} for i in range(61)]
    page = write_report([write_run(tmp_path / "run", "alpha", records)], tmp_path / "out", max_tasks=0)["html"].read_text(encoding="utf-8")
    figure = page[page.index('<figure id="key-fact-recall">'):]
    figure = figure[: figure.index("</figure>")]
    assert "<svg" in figure and "(many tasks: distribution over tasks)" in figure and ">t000<" not in figure
    assert '<details class="task"' not in page and "Showing the first 0 of 61 tasks" in page


def test_labels_are_short_and_unique(tmp_path: Path) -> None:
    from bench.results.runs import label_runs

    paths = [write_run(tmp_path / "x" / "lead", "lead", [rec("t1")]), write_run(tmp_path / "y" / "lead", "lead", [rec("t1")]),
             write_run(tmp_path / "z", "/home/me/sums/my_model.py:summarize", [rec("t1")])]
    runs = [load_run(p) for p in paths]
    label_runs(runs)
    assert [r.label for r in runs] == ["lead (x/lead)", "lead (y/lead)", "my_model.py:summarize"]

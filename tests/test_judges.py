"""Optional judges: a tiny local NLI model and a fake OpenAI-compatible endpoint on 127.0.0.1.

These check the plumbing a user relies on (spans, signatures, caching, thresholds, the verbatim rule,
failures recorded and not fatal), never a judge's accuracy: no real model ships.

The fake endpoint's behaviour is chosen by the model name: ``echo`` answers like an honest judge
(a probe is stated when the summary holds the claim word for word; a sentence is supported when a
document holds it word for word), ``liar`` quotes words the summary does not contain, ``garbage``
answers prose instead of JSON, ``fenced`` wraps an honest answer in a Markdown code fence. Asked to
summarize, every model answers with a summary that states the probe's claim.
"""

from __future__ import annotations

import json
import re
import shutil
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from chat_endpoint import ChatEndpoint
from tiny_nli import save_tiny_nli

KEY = "sk-judge-test-1b2c3d4e5f"
DOC = "Heavy rain flooded the valley on Monday. Officials said the dam held. Nine people were rescued by boat."
CLAIM = "The dam burst on Tuesday."
STATES = "Heavy rain flooded the valley on Monday. The dam burst on Tuesday."
TRUE = "Heavy rain flooded the valley on Monday. Officials said the dam held."


def write_flood_root(root: Path) -> Path:
    """One task, one document, one plain-claim probe: small enough to count every request."""
    folder = root / "tasks" / "flood"
    folder.mkdir(parents=True)
    (root / "gold").mkdir()
    (folder / "news.txt").write_text(DOC + "\n", encoding="utf-8")
    (folder / "task.toml").write_text('id = "flood"\ntitle = "Valley flood"\n\n[[documents]]\nid = "news"\nfile = "news.txt"\n', encoding="utf-8")
    (root / "gold" / "flood.toml").write_text(
        'task = "flood"\n\n[[references]]\nid = "r"\ntext = "Heavy rain flooded the valley on Monday; the dam held."\n\n'
        f'[[probes]]\nid = "dam-burst"\nkind = "fabrication"\nclaim = "{CLAIM}"\n', encoding="utf-8")
    return root


def between(text: str, head: str) -> str:
    return text.split(head + "\n<<<\n", 1)[1].split("\n>>>", 1)[0]


class JudgeServer(ChatEndpoint):
    """A chat-completions endpoint that records every request and answers as its model name says."""

    def handle(self, handler: BaseHTTPRequestHandler, raw: bytes) -> None:
        body = json.loads(raw)
        with self.lock:
            self.requests.append({"body": body, "auth": handler.headers.get("Authorization")})
        content = self.answer(body["model"], body["messages"][-1]["content"])
        self.reply(handler, 200, {"choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}]})

    @staticmethod
    def answer(model: str, prompt: str) -> str:
        if model == "garbage":
            return "I think the summary probably does say that."
        if not prompt.startswith("Claim: ") and "Sentence to check:" not in prompt:  # asked to summarize
            return STATES
        if prompt.startswith("Claim: "):
            claim = prompt.split("\n", 1)[0][len("Claim: "):]
            summary = between(prompt, "Summary:")
            if model == "liar":
                return json.dumps({"verdict": "yes", "span": "The dam collapsed entirely on Tuesday night."})
            reply = {"verdict": "yes", "span": claim} if claim in summary else {"verdict": "no", "span": ""}
        else:
            documents, sentence = between(prompt, "Documents:"), between(prompt, "Sentence to check:")
            reply = {"verdict": "supported", "span": sentence} if sentence in documents else {"verdict": "unsupported", "span": sentence}
        text = json.dumps(reply)
        return f"```json\n{text}\n```" if model == "fenced" else text

    def count(self) -> int:
        with self.lock:
            return len(self.requests)


@pytest.fixture
def server():
    with JudgeServer().serving() as chat:
        yield chat


@pytest.fixture
def flood(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    root = write_flood_root(tmp_path / "bench")
    lines = [{"id": "states", "task_id": "flood", "summary": STATES}, {"id": "true", "task_id": "flood", "summary": TRUE}]
    (tmp_path / "summaries.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return root


def score(cli, root: Path, out: str, *extra: str) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    code, _, err = cli("score", "--summaries", "summaries.jsonl", "--root", str(root), "--out", out, *extra)
    assert code == 0, err
    records = {r["id"]: r for r in map(json.loads, (Path(out) / "scores.jsonl").read_text().splitlines())}
    return records, json.loads((Path(out) / "report.json").read_text())


@pytest.fixture(scope="module")
def tiny_nli(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny randomly initialised BERT classifier saved locally (seeded; weights wide enough to vary)."""
    return save_tiny_nli(tmp_path_factory.mktemp("models") / "tiny-nli", initializer_range=0.5)


# ----------------------------------------------------------------------------- openai:MODEL


def test_llm_judge_decides_probes_at_temperature_zero_with_rules_kept(cli, flood: Path, server: JudgeServer) -> None:
    records, report = score(cli, flood, "judged", "--metrics", "probes", "--probe-judge", "openai:echo", "--judge-base-url", server.url)
    stated = records["states"]["probes"]["dam-burst"]
    assert stated["triggered"] is True and stated["layer"] == "judge" and stated["span"] == CLAIM
    assert stated["judge"] == {"decision": True, "span": CLAIM}
    assert set(stated["rules"]) >= {"triggered", "span", "layer"}  # the rules' verdict is kept beside it
    assert records["true"]["probes"]["dam-burst"]["triggered"] is False
    assert records["states"]["metrics"]["hallucination"] is True and records["true"]["metrics"]["hallucination"] is False
    assert all(r["metrics"]["probes_judge_unusable"] == 0 for r in records.values())
    assert server.count() == 2
    for request in server.requests:
        body = request["body"]
        assert body["temperature"] == 0 and body["model"] == "echo"
        assert [m["role"] for m in body["messages"]] == ["system", "user"]
        assert request["auth"] == f"Bearer {KEY}"
    assert "judge:openai:echo" in report["signatures"]["probes"] and "judge-prompt:1" in report["signatures"]["probes"]
    assert KEY not in Path("judged/report.json").read_text() + Path("judged/scores.jsonl").read_text()


def test_rerun_is_answered_from_the_cache_with_zero_requests(cli, flood: Path, server: JudgeServer) -> None:
    first, _ = score(cli, flood, "one", "--metrics", "probes,support", "--probe-judge", "openai:echo", "--support-judge", "openai:echo", "--judge-base-url", server.url)
    sent = server.count()
    assert sent == 2 + 3  # two probe verdicts; four summary sentences, one shared by both (asked once)
    second, _ = score(cli, flood, "two", "--metrics", "probes,support", "--probe-judge", "openai:echo", "--support-judge", "openai:echo", "--judge-base-url", server.url)
    assert server.count() == sent
    assert second == first
    # another model (or prompt version, or endpoint) is another key: it asks again
    score(cli, flood, "three", "--metrics", "probes", "--probe-judge", "openai:fenced", "--judge-base-url", server.url)
    assert server.count() == sent + 2


def test_run_with_a_judge_end_to_end_and_resume_sends_nothing(cli, flood: Path, server: JudgeServer) -> None:
    """``run`` takes the judge's endpoint from --base-url when --judge-base-url is not given."""
    code, _, err = cli("run", "openai:echo", "--base-url", server.url, "--root", str(flood), "--out", "run", "--metrics", "probes,support",
                       "--probe-judge", "openai:echo", "--support-judge", "openai:echo", "-q")
    assert code == 0, err
    record = json.loads(Path("run/scores.jsonl").read_text().splitlines()[0])
    assert record["probes"]["dam-burst"]["triggered"] is True and record["probes"]["dam-burst"]["span"] == CLAIM
    assert record["metrics"]["support_flagged"] is True
    report = json.loads(Path("run/report.json").read_text())
    assert "judge:openai:echo" in report["signatures"]["probes"] and "judge:openai:echo" in report["signatures"]["support"]
    sent = server.count()
    assert sent == 1 + 1 + 2  # one summary, one probe verdict, two sentences
    code, _, err = cli("run", "openai:echo", "--base-url", server.url, "--root", str(flood), "--out", "run", "--metrics", "probes,support",
                       "--probe-judge", "openai:echo", "--support-judge", "openai:echo", "-q")
    assert code == 0, err
    assert server.count() == sent


def test_support_eval_measures_a_judge(cli, server: JudgeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    other = "Wind closed the port on Friday. Two ferries stayed in harbour."
    items = [{"doc": DOC, "summary": "Officials said the dam held.", "label": 1}, {"doc": DOC, "summary": CLAIM, "label": 0},
             {"doc": other, "summary": "Two ferries stayed in harbour.", "label": 1}, {"doc": other, "summary": "Five ferries sank.", "label": 0}]
    data = tmp_path / "labelled.json"
    data.write_text(json.dumps(items), encoding="utf-8")
    code, out, err = cli("support", "eval", "--data", str(data), "--judge", "openai:echo", "--judge-base-url", server.url)
    assert code == 0, err
    assert "judge=openai:echo" in out and "judge-prompt=1" in out
    assert "judge openai:echo: 4 verdicts, 0 judge unusable (rules' verdict kept), 4 requests, 0 from cache" in out
    assert "100.0" in out  # the honest fake judge separates them all (balanced accuracy, %)


def test_a_span_not_in_the_summary_is_discarded_and_the_rules_decide(cli, flood: Path, server: JudgeServer) -> None:
    judged, _ = score(cli, flood, "liar", "--metrics", "probes", "--probe-judge", "openai:liar", "--judge-base-url", server.url)
    rules, _ = score(cli, flood, "rules", "--metrics", "probes")
    for sid in ("states", "true"):
        verdict = judged[sid]["probes"]["dam-burst"]
        assert verdict["judge"]["unusable"].startswith("span not in summary")
        assert verdict["triggered"] == rules[sid]["probes"]["dam-burst"]["triggered"] == verdict["rules"]["triggered"]
        assert verdict["layer"].startswith("rules (judge unusable)")
        assert judged[sid]["metrics"]["probes_judge_unusable"] == 1


def test_whitespace_differences_do_not_break_the_verbatim_rule() -> None:
    from bench.detectors.judge_openai import parse_reply, quoted

    assert quoted("The dam  burst\non Tuesday.", "Rain fell. The dam burst on Tuesday.")
    assert not quoted("The dam burst on Wednesday.", "Rain fell. The dam burst on Tuesday.")
    assert not quoted("   ", "anything")
    assert parse_reply('```json\n{"verdict": "Yes", "span": " x "}\n```', {"yes": True, "no": False}) == (True, "x")
    assert parse_reply('{"verdict": "maybe", "span": ""}', {"yes": True, "no": False}).startswith("bad verdict")
    assert parse_reply("[1, 2]", {"yes": True, "no": False}).startswith("bad JSON")


def test_bad_json_is_one_recorded_failure_per_verdict_not_a_crash(cli, flood: Path, server: JudgeServer, tmp_path: Path) -> None:
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text(json.dumps({"id": "x", "task_id": "flood", "summary": STATES, "expect": ["dam-burst"]}) + "\n", encoding="utf-8")
    code, out, err = cli("probes", "eval", "--root", str(flood), "--set", str(labelled), "--judge", "openai:garbage", "--judge-base-url", server.url)
    assert code == 0, err
    assert "judge openai:garbage: 1 verdicts, 1 judge unusable (rules' verdict kept) [bad JSON: 1], 1 requests, 0 from cache" in out
    assert server.count() == 1
    code, out, _ = cli("probes", "eval", "--root", str(flood), "--set", str(labelled), "--judge", "openai:garbage", "--judge-base-url", server.url, "--json")
    assert code == 0 and json.loads(out)[0]["judge"]["unusable"] == 1 and server.count() == 1  # the reply was cached


def test_probes_eval_measures_a_judge_with_the_usual_table(cli, flood: Path, server: JudgeServer, tmp_path: Path) -> None:
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text(
        json.dumps({"id": "a", "task_id": "flood", "summary": STATES, "expect": ["dam-burst"]}) + "\n"
        + json.dumps({"id": "b", "task_id": "flood", "summary": TRUE, "expect": []}) + "\n", encoding="utf-8")
    code, out, err = cli("probes", "eval", "--root", str(flood), "--set", str(labelled), "--judge", "openai:echo", "--judge-base-url", server.url, "--json")
    assert code == 0, err
    overall = json.loads(out)[0]["overall"]
    assert (overall["tp"], overall["fp"], overall["fn"], overall["tn"]) == (1, 0, 0, 1)


def test_support_judge_is_sentence_level_with_the_rules_kept(cli, flood: Path, server: JudgeServer) -> None:
    records, report = score(cli, flood, "support", "--metrics", "support", "--support-judge", "openai:echo", "--judge-base-url", server.url)
    states, true = records["states"], records["true"]
    assert states["metrics"]["support_flagged"] is True and states["metrics"]["support_score"] == 0.5
    assert true["metrics"]["support_flagged"] is False and true["metrics"]["support_score"] == 1.0
    sentences = {s["sentence"]: s for s in states["support"]["judge"]["sentences"]}
    assert sentences[CLAIM]["decision"] is False and sentences[CLAIM]["span"] == CLAIM
    assert sentences["Heavy rain flooded the valley on Monday."]["decision"] is True
    assert set(states["support"]["rules"]) == {"support_score", "support_flagged"}
    assert "judge:openai:echo" in report["signatures"]["support"]


def test_judge_spec_errors_are_one_line_with_exit_code_2(cli, flood: Path, tmp_path: Path) -> None:
    cases = [
        (("--probe-judge", "gpt-4o"), "--probe-judge: gpt-4o: not a judge spec"),
        (("--probe-judge", f"nli:{tmp_path / 'missing'}"), "not a local model folder"),
        (("--judge-threshold", "0.7"), "--judge-threshold: 0.7: no nli:DIR judge selected"),
        (("--probe-judge", "nli:x", "--judge-base-url", "http://127.0.0.1:9/v1"), "--judge-base-url: http://127.0.0.1:9/v1: no openai:MODEL judge selected"),
        (("--metrics", "rouge", "--support-judge", "openai:echo"), "--support-judge: openai:echo: the support metric is not selected"),
        (("--probe-judge", "openai:echo", "--judge-threshold", "0.7"), "--judge-threshold: 0.7: no nli:DIR judge selected"),
        (("--probe-judge", "nli:x", "--judge-threshold", "1.5"), "must be between 0 and 1"),
    ]
    for extra, message in cases:
        code, _, err = cli("score", "--summaries", "summaries.jsonl", "--root", str(flood), "--out", "bad", *extra)
        lines = err.strip().splitlines()
        assert code == 2 and len(lines) == 1 and message in lines[0], (extra, err)


# ----------------------------------------------------------------------------- nli:DIR


def test_nli_judge_span_is_the_most_entailing_sentence_and_the_threshold_decides(tiny_nli: Path) -> None:
    from bench.detectors.judges import NLIJudge, ProbeJob, sentence_units

    summary = "Heavy rain flooded the valley on Monday.\nThe dam burst on Tuesday. Nine people were rescued."
    units = sentence_units(summary)
    assert len(units) == 3 + 2 and all(u in summary for u in units)  # sentences and adjacent pairs, verbatim
    judge = NLIJudge(str(tiny_nli), threshold=0.5)
    probs = judge.backend().entail_probs([(u, CLAIM) for u in units])
    best = max(range(len(units)), key=lambda i: probs[i])
    low, high = NLIJudge(str(tiny_nli), threshold=max(0.01, probs[best] - 0.01)), NLIJudge(str(tiny_nli), threshold=min(0.99, probs[best] + 0.01))
    fired, quiet = low.probe_verdicts([ProbeJob(summary, CLAIM)])[0], high.probe_verdicts([ProbeJob(summary, CLAIM)])[0]
    assert fired.decision is True and fired.span == units[best] and fired.score == pytest.approx(probs[best], abs=1e-6)
    assert quiet.decision is False and quiet.span == "" and quiet.score == pytest.approx(probs[best], abs=1e-6)
    assert low.config()["judge"] == high.config()["judge"] and low.config() != high.config()


def test_nli_judge_in_score_signs_model_and_threshold(cli, flood: Path, tiny_nli: Path, tmp_path: Path) -> None:
    _, plain = score(cli, flood, "plain", "--metrics", "probes,support")
    records, judged = score(cli, flood, "nli", "--metrics", "probes,support", "--probe-judge", f"nli:{tiny_nli}",
                            "--support-judge", f"nli:{tiny_nli}", "--judge-threshold", "0.3")
    _, other = score(cli, flood, "nli2", "--metrics", "probes", "--probe-judge", f"nli:{tiny_nli}", "--judge-threshold", "0.6")
    assert plain["signatures"]["probes"] != judged["signatures"]["probes"] != other["signatures"]["probes"]
    assert plain["signatures"]["support"] != judged["signatures"]["support"]
    assert re.search(r"judge:nli:tiny-nli#[0-9a-f]{10}\|judge-threshold:0.3$", judged["signatures"]["probes"])
    for record in records.values():
        verdict = record["probes"]["dam-burst"]
        assert verdict["triggered"] == (verdict["judge"]["score"] >= 0.3)
        assert (verdict["span"] in record_summary(record["id"])) and bool(verdict["span"]) == verdict["triggered"]
        assert record["metrics"]["probes_judge_unusable"] == 0 == record["metrics"]["support_judge_unusable"]
        scores = [s["score"] for s in record["support"]["judge"]["sentences"]]
        assert record["metrics"]["support_score"] == pytest.approx(min(scores), abs=1e-4)
        assert record["metrics"]["support_flagged"] == (min(scores) < 0.3)
    # a model folder with other weights under the same name gets another signature
    copy = tmp_path / "elsewhere" / "tiny-nli"
    shutil.copytree(tiny_nli, copy)
    (copy / "config.json").write_text((copy / "config.json").read_text().replace('"initializer_range": 0.5', '"initializer_range": 0.6'))
    _, moved = score(cli, flood, "nli3", "--metrics", "probes", "--probe-judge", f"nli:{copy}", "--judge-threshold", "0.3")
    assert moved["signatures"]["probes"] != judged["signatures"]["probes"]


def record_summary(sid: str) -> str:
    return {"states": STATES, "true": TRUE}[sid]


def test_probes_eval_with_an_nli_judge(cli, flood: Path, tiny_nli: Path, tmp_path: Path) -> None:
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text(json.dumps({"id": "a", "task_id": "flood", "summary": STATES, "expect": ["dam-burst"]}) + "\n", encoding="utf-8")
    code, out, err = cli("probes", "eval", "--root", str(flood), "--set", str(labelled), "--judge", f"nli:{tiny_nli}")
    assert code == 0, err
    assert "set labelled: 1 summaries x 1 probes" in out
    assert "judge nli:tiny-nli: 1 verdicts, 0 judge unusable (rules' verdict kept), 0 requests, 0 from cache" in out


def test_every_verdict_is_held_to_the_verbatim_rule_from_cached_replies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each decision quotes where the module docstring says: a stated probe the summary, a supported
    sentence the documents, an unsupported one the sentence; a probe not stated keeps no span."""
    from bench.detectors.judge_openai import OpenAIJudge
    from bench.detectors.judges import ProbeJob, SentenceJob

    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    judge = OpenAIJudge("echo", base_url="http://127.0.0.1:9/v1", concurrency=1, cache_root=tmp_path)
    sentence = SentenceJob((DOC,), CLAIM)

    def answered(job: ProbeJob | SentenceJob, verdict: str, span: str):
        if isinstance(job, ProbeJob):
            key = judge.key("probe", {"claim": job.claim, "summary": job.summary})
        else:
            key = judge.key("support", {"documents": list(job.documents), "sentence": job.sentence, "before": job.before})
        judge.cache.put(key, json.dumps({"verdict": verdict, "span": span}), {})
        (out,) = judge.probe_verdicts([job]) if isinstance(job, ProbeJob) else judge.sentence_verdicts([job])
        return out.decision, out.span, out.problem

    assert answered(ProbeJob(STATES, CLAIM), "yes", CLAIM) == (True, CLAIM, "")
    assert answered(ProbeJob(STATES, CLAIM), "yes", "The dam collapsed.") == (None, "", "span not in summary: 'The dam collapsed.'")
    assert answered(ProbeJob(TRUE, CLAIM), "no", "anything at all") == (False, "", "")
    assert answered(sentence, "supported", "Nine people were rescued") == (True, "Nine people were rescued", "")
    assert answered(sentence, "supported", CLAIM) == (None, "", f"span not in documents: {CLAIM!r}")
    assert answered(sentence, "unsupported", "burst on Tuesday") == (False, "burst on Tuesday", "")
    assert answered(sentence, "unsupported", "the dam held") == (None, "", "span not in sentence: 'the dam held'")
    assert judge.stats.requests == 0  # every reply came from the cache

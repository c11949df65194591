"""Builders of the shipped suites from their public releases (MultiLing 2011, SummHay news).

Each builder reads the release folder as distributed (see its SOURCE.txt) and
returns (Task, Gold) pairs; ``bench.benchmark.writer.write_benchmark`` writes them. The
scripts in ``scripts/`` call these, so the shipped files can be rebuilt and
checked byte for byte.
"""

from __future__ import annotations

import ast
import datetime as _dt
import json
import re
from pathlib import Path
from typing import Any

from ..core.errors import InputError, display_path
from ..core.model import Document, Gold, KeyFact, Probe, Reference, Task
from .files import slugify

# ----------------------------------------------------------------------------- MultiLing 2011

MULTILING_TOPICS = (
    "Aid and relief after the 2004 Indian Ocean tsunami",
    "The 7 July 2005 London bombings and their aftermath",
    "Iran's 2007 seizure of 15 British Royal Navy personnel",
    "The 2007 Tour de France",
    "The 2007 UN Climate Change Conference in Bali",
    "The February 2010 Chile earthquake and its aftershocks",
    "The January 2010 Haiti earthquake",
    "The Abu Ghraib prisoner abuse cases",
    "The disappearance of Air France Flight 447",
    "The Beijing 2008 Olympic Games and the torch relay",
)
"""Our own short titles: the release names topics only by number (M000-M009)."""

MULTILING_ATTRIBUTION = (
    "MultiLing Pilot 2011 Dataset by MultiLing Community (multiling.iit.demokritos.gr), TAC 2011 "
    "Summarization Track, licensed under CC BY 3.0 Unported; source texts from WikiNews (CC BY 2.5)."
)
MULTILING_CITATION = 'G. Giannakopoulos et al., "TAC 2011 MultiLing Pilot Overview", Text Analysis Conference (TAC) 2011.'
MULTILING_AUTHORS = ("A", "B", "C")

_DATE = re.compile(
    r"^(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,\s*)?"
    r"(January|February|March|April|May|June|July|August|September|October|November|December)\s+(\d{1,2}),\s*(\d{4})"
)


def _article_date(text: str) -> str:
    """The WikiNews dateline near the top of an article, as YYYY-MM-DD ('' when absent)."""
    for line in text.splitlines()[:6]:
        match = _DATE.match(line.strip())
        if match:
            month = _dt.datetime.strptime(match.group(1), "%B").month
            return f"{int(match.group(3)):04d}-{month:02d}-{int(match.group(2)):02d}"
    return ""


def _read(path: Path) -> str:
    if not path.is_file():
        raise InputError.at(display_path(path), "", "missing from the MultiLing 2011 release", "pass the folder that holds source_texts/ and model_summaries/")
    return path.read_text(encoding="utf-8").lstrip("\ufeff")


MULTILING_PROBES = Path(__file__).parent.parent / "data" / "multiling_probes"
"""Hand-written probes, one file per topic (m000.toml ...): gold files are rebuilt from the release,
so the probes, which the release lacks, live here and are merged in on every build."""


def multiling_probes(code: str) -> tuple[Probe, ...]:
    """The hand-written probes of one topic, in file order (the written gold is checked by the
    ordinary loader afterwards, as every packed root is)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    path = MULTILING_PROBES / f"{code.lower()}.toml"
    if not path.is_file():
        return ()
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("probes", [])
    except tomllib.TOMLDecodeError as exc:
        raise InputError.at(display_path(path), "", f"not valid TOML ({exc})", "fix the file") from exc
    contract = {"id", "kind", "claim", "source", "evidence", "why", "controls", "examples"}
    return tuple(
        Probe(
            id=entry.get("id", ""),
            kind=entry.get("kind", ""),
            claim=entry.get("claim", ""),
            source=entry.get("source", ""),
            evidence=entry.get("evidence", ""),
            why=entry.get("why", ""),
            controls=tuple(entry.get("controls", ())),
            examples=tuple(entry.get("examples", ())),
            hints={k: v for k, v in entry.items() if k not in contract},
        )
        for entry in entries
    )


def multiling2011(data_dir: str | Path) -> list[tuple[Task, Gold]]:
    """The 10 English MultiLing 2011 topics: 10 WikiNews articles and 3 human summaries each."""
    base = Path(data_dir)
    items = []
    for topic, title in enumerate(MULTILING_TOPICS):
        code = f"M00{topic}"
        task_id = f"multiling2011-{code.lower()}"
        docs = []
        for d in range(10):
            name = f"{code}{d}.english"
            text = _read(base / "source_texts" / name)
            first = text.strip().splitlines()[0].strip()
            docs.append(
                Document(
                    id=name.split(".")[0].lower(),
                    text=text,
                    title=first,
                    source="WikiNews (MultiLing 2011)",
                    date=_article_date(text),
                    reliability="A WikiNews article as released in the MultiLing 2011 pilot; community-written news with cited sources.",
                    file=f"{name.split('.')[0].lower()}.txt",
                )
            )
        metadata = {
            "suite": "multiling2011",
            "language": "en",
            "dataset": "MultiLing Pilot 2011 Dataset (English)",
            "topic": code,
            "license": "CC BY 3.0 Unported (dataset); WikiNews source texts CC BY 2.5",
            "attribution": MULTILING_ATTRIBUTION,
            "citation": MULTILING_CITATION,
            "derived_from": f"multiling2011_en/source_texts/{code}0.english ... {code}9.english, unchanged",
            "title_note": "the topic title is sumbench's; the release names topics only by number",
        }
        task = Task(
            id=task_id,
            title=title,
            documents=tuple(docs),
            instructions={
                "target_words": 250,
                "prompt": "Summarize the ten news articles in one fluent summary of 240 to 250 words.",
            },
            metadata=metadata,
        )
        refs = tuple(
            Reference(
                id=f"model-{author.lower()}",
                author=author,
                text=_read(base / "model_summaries" / f"{code}.{author}.250").strip(),
            )
            for author in MULTILING_AUTHORS
        )
        probes = multiling_probes(code)
        gold = Gold(
            task=task_id,
            references=refs,
            probes=probes,
            metadata={
                "note": "The three human (model) summaries of the MultiLing 2011 pilot, unchanged; authors A, B, C as in the release."
                + (f" Probes hand-written from the ten articles (bench/data/multiling_probes/{code.lower()}.toml)." if probes else ""),
                "derived_from": f"multiling2011_en/model_summaries/{code}.{{A,B,C}}.250",
                "attribution": MULTILING_ATTRIBUTION,
                "citation": MULTILING_CITATION,
            },
        )
        items.append((task, gold))
    return items


# ----------------------------------------------------------------------------- SummHay news

SUMMHAY_ATTRIBUTION = (
    "Summary of a Haystack (Laban et al., EMNLP 2024; github.com/salesforce/summary-of-a-haystack, Apache-2.0), "
    "news haystacks as preprocessed by Belem et al., NAACL 2025 Findings (github.com/megagonlabs/Hallucination_MDS, BSD-3-Clause)."
)
SUMMHAY_MAX_DOCS = 8
SUMMHAY_PROBES = 6
"""Derived probes per SummHay task (issue 16 asks for at least 5)."""
SUMMHAY_PROBE_MAX_OVERLAP = 0.3
"""A candidate insight is dropped when this share of its content words or more occurs in one of
the task's own insights or in one sentence of its documents: too close to tell apart."""


def _ids(value: Any) -> list[str]:
    """``insights_included`` is stored as the repr of a Python list."""
    if isinstance(value, str):
        value = ast.literal_eval(value)
    return [str(v) for v in value]


def _metadata(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        try:
            value = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return {}
    return dict(value) if isinstance(value, dict) else {}


def choose_documents(doc_insights: dict[str, set[str]], order: dict[str, int], wanted: set[str], cap: int) -> list[str]:
    """Greedy cover: the document with most not-yet-covered insights of the subtopic first
    (ties: lower haystack index), then, up to ``cap``, those with most of the subtopic's insights."""
    candidates = [d for d, ins in doc_insights.items() if ins & wanted]
    chosen: list[str] = []
    uncovered = set(wanted)
    while uncovered and len(chosen) < cap:
        best = max(candidates, key=lambda d: (len(doc_insights[d] & uncovered), -order[d]), default=None)
        if best is None or not doc_insights[best] & uncovered:
            break
        chosen.append(best)
        candidates.remove(best)
        uncovered -= doc_insights[best]
    rest = sorted(candidates, key=lambda d: (-len(doc_insights[d] & wanted), order[d]))
    chosen.extend(rest[: max(0, cap - len(chosen))])
    return sorted(chosen, key=lambda d: order[d])


def _overlap(claim: list[str], texts: list[set[str]]) -> float:
    """The largest share of ``claim``'s content stems found in any one of ``texts``."""
    wanted = set(claim)
    if not wanted:
        return 1.0
    return max((len(wanted & t) / len(wanted) for t in texts), default=0.0)


def derived_probes(
    subtopics: list[dict[str, Any]], own: str, held: set[str], own_texts: list[str], n: int = SUMMHAY_PROBES,
    accept: Any = None,
) -> list[tuple[dict[str, Any], float]]:
    """Insights of the haystack's other subtopics that none of the task's documents holds.

    A summary of this task that states one says something its documents do not carry.
    Candidates far from the task's own insights and document sentences (content-word
    overlap below SUMMHAY_PROBE_MAX_OVERLAP) are taken round-robin over the other
    subtopics (in file order), the least overlapping first within each, ties by insight id:
    deterministic, and spread over subtopics rather than bunched in the nearest one.
    ``accept(insight)``, when given, must also hold (the probe validates on the task: see
    ``_probe_validates``); a candidate it rejects is skipped for the next one of its subtopic.
    """
    from ..text import sentences
    from ..text.lexical import content_stems

    texts = [set(content_stems(sentence)) for text in own_texts for sentence in sentences(text)]
    groups = []
    for subtopic in subtopics:
        if subtopic["subtopic_id"] == own:
            continue
        scored = []
        for insight in subtopic["insights"]:
            if insight["insight_id"] in held:
                continue
            score = _overlap(content_stems(insight["insight"]), texts)
            if score < SUMMHAY_PROBE_MAX_OVERLAP:
                scored.append((score, insight["insight_id"], insight))
        groups.append(sorted(scored, key=lambda x: (x[0], x[1])))
    picked: list[tuple[dict[str, Any], float]] = []
    while len(picked) < n and any(groups):
        for group in groups:
            if group and len(picked) < n:
                score, _, insight = group.pop(0)
                if accept is None or accept(insight):
                    picked.append((insight, score))
    return picked


def _probe_validates(documents: list[Document], facts: list[KeyFact]) -> Any:
    """``accept`` for derived_probes: the insight, as a plain-claim probe on this task, detects itself
    and is triggered by none of the task's reference, key facts and documents (what ``tasks validate``
    and the oracle check), so a shipped derived probe never fails validation or alarms on a true summary."""
    from ..detectors.claim_core import Sources
    from ..detectors.probes import ProbeDetector

    reference = "\n".join(f.text for f in facts)
    sources = Sources(tuple((d.id, d.text) for d in documents), (reference,))
    detector = ProbeDetector()
    true_texts = [reference, *(f.text for f in facts), *(d.text for d in documents)]

    def accept(insight: dict[str, Any]) -> bool:
        probe = Probe(id="candidate", kind="fabrication", claim=insight["insight"].strip())
        if not detector.detect(probe.claim, [probe], sources)["candidate"].triggered:
            return False
        verdicts = detector.detect_many([(text, [probe], sources) for text in true_texts])
        return not any(v["candidate"].triggered for v in verdicts)

    return accept


def _summhay_documents(documents: dict[str, Any], chosen: list[str], order: dict[str, int]) -> tuple[list[Document], dict[str, str]]:
    """The chosen haystack documents as task documents, and their haystack id -> task document id."""
    docs = []
    doc_ids: dict[str, str] = {}
    for original in chosen:
        entry = documents[original]
        doc_id = f"doc-{order[original]:03d}"
        doc_ids[original] = doc_id
        outlet = _metadata(entry.get("document_metadata")).get("article_source", "")
        docs.append(
            Document(
                id=doc_id,
                text=entry["document_text"].strip() + "\n",
                title="",
                source=f"SummHay synthetic news (styled as {outlet})" if outlet else "SummHay synthetic news",
                reliability="LLM-written synthetic news document from the SummHay haystack; not a real article. "
                "Which insights it contains is known exactly.",
                file=f"{doc_id}.txt",
            )
        )
    return docs, doc_ids


def _summhay_facts(
    insights: list[dict[str, Any]], chosen: list[str], doc_insights: dict[str, set[str]], doc_ids: dict[str, str]
) -> tuple[list[KeyFact], dict[str, str]]:
    """The subtopic's insights held by a chosen document, as key facts supported by exactly those documents."""
    facts = []
    fact_ids: set[str] = set()
    original_ids = {}
    for insight in insights:
        support = [doc_ids[d] for d in chosen if insight["insight_id"] in doc_insights[d]]
        if not support:
            continue  # not in any chosen document: a summary of these documents cannot cover it
        fact_id = slugify(insight.get("insight_name", ""), "insight")
        while fact_id in fact_ids:
            fact_id += "-2"
        fact_ids.add(fact_id)
        original_ids[fact_id] = insight["insight_id"]
        facts.append(KeyFact(id=fact_id, text=insight["insight"].strip(), supported_by=tuple(support)))
    return facts, original_ids


def _summhay_probes(
    data: dict[str, Any], subtopic: dict[str, Any], held: set[str], own_texts: list[str],
    docs: list[Document], facts: list[KeyFact], n_chosen: int,
) -> tuple[list[Probe], dict[str, str]]:
    """Fabrication probes derived from the topic's other subtopics (see ``derived_probes``)."""
    probes = []
    probe_ids: dict[str, str] = {}
    for insight, score in derived_probes(list(data["subtopics"].values()), subtopic["subtopic_id"], held, own_texts, accept=_probe_validates(docs, facts)):
        probe_id = "absent-" + slugify(insight.get("insight_name", ""), "insight")
        while probe_id in probe_ids:
            probe_id += "-2"
        probe_ids[probe_id] = insight["insight_id"]
        other = insight.get("subtopic_name") or insight.get("subtopic", "")
        probes.append(
            Probe(
                id=probe_id,
                kind="fabrication",
                claim=insight["insight"].strip(),
                why=f"Derived: SummHay insight {insight['insight_id']} of the subtopic {other!r}; "
                f"none of this task's {n_chosen} documents holds it (exact haystack labels), "
                f"so a summary of them that states it says what no source here says "
                f"(content-word overlap with the task's own insights and sentences: {score:.2f}).",
            )
        )
    return probes, probe_ids


def _summhay_gold(
    task_id: str, facts: list[KeyFact], probes: list[Probe], original_ids: dict[str, str], probe_ids: dict[str, str]
) -> Gold:
    """The gold of a SummHay task: its insights as one reference and as key facts, and the derived probes."""
    return Gold(
        task=task_id,
        references=(
            Reference(
                id="insights",
                author="SummHay (the subtopic's insights, joined)",
                text="\n".join(f.text for f in facts),
            ),
        ),
        key_facts=tuple(facts),
        probes=tuple(probes),
        metadata={
            "note": "Key facts are the subtopic's SummHay insights present in the chosen documents; "
            "supported_by lists the chosen documents that contain each (exact labels from the haystack). "
            "Probes are derived, not hand-written: insights of the topic's other subtopics that none of "
            "the chosen documents holds (bench.suites.derived_probes).",
            "insight_ids": original_ids,
            "probe_origin": "derived",
            "probe_insight_ids": probe_ids,
            "attribution": SUMMHAY_ATTRIBUTION,
        },
    )


def summhay(data_dir: str | Path, max_docs: int = SUMMHAY_MAX_DOCS) -> list[tuple[Task, Gold]]:
    """One task per subtopic of each news haystack: the documents holding its insights
    (at most ``max_docs``), its insights as key facts with the documents that contain them,
    and one reference made of those insights."""
    base = Path(data_dir)
    files = sorted(base.glob("topic_news*.haystack.json"))
    if not files:
        raise InputError.at(display_path(base), "", "no topic_news*.haystack.json files", "pass the summhay_news_haystacks folder")
    items = []
    for path in files:
        number = re.search(r"topic_news(\d+)", path.name).group(1)
        data = json.loads(path.read_text(encoding="utf-8"))
        documents = data["documents"]
        order = {d: int(v.get("idx", i)) for i, (d, v) in enumerate(documents.items())}
        doc_insights = {d: set(_ids(v["insights_included"])) for d, v in documents.items()}
        used_tasks: set[str] = set()
        for subtopic in data["subtopics"].values():
            insights = subtopic["insights"]
            first = insights[0]
            name = subtopic.get("subtopic_name") or first.get("subtopic_name", "")
            task_id = f"summhay-news{number}-{slugify(name, 'subtopic')}"
            if task_id in used_tasks:
                raise InputError.at(display_path(path), "subtopics", f"two subtopics map to {task_id!r}", "rename one subtopic")
            used_tasks.add(task_id)
            wanted = {i["insight_id"] for i in insights}
            chosen = choose_documents(doc_insights, order, wanted, max_docs)
            docs, doc_ids = _summhay_documents(documents, chosen, order)
            facts, original_ids = _summhay_facts(insights, chosen, doc_insights, doc_ids)
            held = set().union(*(doc_insights[d] for d in chosen))
            own_texts = [f.text for f in facts] + [d.text for d in docs]
            probes, probe_ids = _summhay_probes(data, subtopic, held, own_texts, docs, facts, len(chosen))
            subtopic_text = subtopic.get("subtopic") or first.get("subtopic", "")
            query = subtopic.get("query") or first.get("query", "")
            task = Task(
                id=task_id,
                title=f"{data['topic']}: {name.replace('-', ' ')}",
                documents=tuple(docs),
                instructions={
                    "target_words": 150,
                    "prompt": f"Summarize what the documents say about this subtopic: {subtopic_text}. ({query})",
                },
                metadata={
                    "suite": "summhay",
                    "language": "en",
                    "dataset": "SummHay news haystacks (synthetic)",
                    "topic": data["topic"],
                    "subtopic": subtopic_text,
                    "query": query,
                    "license": "Apache-2.0 (SummHay) and BSD-3-Clause (Hallucination_MDS preprocessing)",
                    "attribution": SUMMHAY_ATTRIBUTION,
                    "derived_from": f"summhay_news_haystacks/{path.name}, subtopic {subtopic['subtopic_id']}; "
                    f"{len(chosen)} of the {sum(1 for v in doc_insights.values() if v & wanted)} documents holding its insights, "
                    f"chosen by greedy insight cover (cap {max_docs}); texts unchanged",
                    "source_document_ids": {doc_ids[d]: d for d in chosen},
                },
            )
            gold = _summhay_gold(task_id, facts, probes, original_ids, probe_ids)
            items.append((task, gold))
    return items

"""Which lemmas a news summary may use for one another: a small relation table.

No maintained PyPI package ships WordNet-style synonyms that work offline (``wn`` fetches its
data at run time), so sumbench keeps this table of news predicates and nouns, written by hand
for the kinds of claims probes make: deaths and injuries, attacks, agreements, meetings,
statements, movements, money, disasters, rises and falls. Each row is one sense; a lemma may sit
in several rows (``call`` = phone, ``call`` for = urge). Matching compares row ids, never strings,
so adding a row widens recall of every probe: measure it (benchmarks/probes_ablation.py).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..text.lemma import lemma

RELATIONS: tuple[tuple[str, ...], ...] = (
    # violence and its toll
    ("kill", "die", "dead", "death", "fatality", "perish", "toll", "slay", "fatal", "deadly", "victim"),
    ("injure", "wound", "hurt", "injury", "casualty"),
    ("attack", "strike", "hit", "bomb", "shell", "bombard", "raid", "assault", "target", "blast", "explosion", "explode"),
    ("missing", "unaccounted", "lost"),
    ("war", "conflict", "fighting", "hostility", "combat", "bloodbath"),
    ("invade", "invasion", "incursion"),
    ("soldier", "troop", "military", "army", "force", "serviceman"),
    ("civilian", "resident", "people", "person", "citizen", "inhabitant", "villager"),
    ("sailor", "marine", "personnel", "crew", "crewman", "seaman", "serviceman", "navy"),
    # agreements, talks, statements
    ("ceasefire", "truce", "armistice", "pause", "cessation"),
    ("deal", "agreement", "accord", "pact", "treaty", "settlement", "bargain"),
    ("agree", "accept", "approve", "sign", "reach", "seal", "broker", "conclude", "strike", "clinch"),
    ("meet", "meeting", "summit", "talk", "negotiation", "negotiate", "discussion", "discuss", "dialogue", "dialog", "conversation"),
    ("call", "phone", "telephone", "ring", "conversation", "speak", "talk"),
    ("urge", "call", "demand", "press", "push", "appeal", "ask", "seek", "want", "back", "propose", "advocate"),
    ("say", "state", "tell", "declare", "announce", "claim", "assert", "add", "note", "remark", "insist", "argue",
     "write", "post", "comment", "statement", "speech", "address", "report"),
    ("address", "speech", "broadcast", "television", "televise", "nationwide", "national"),
    ("confirm", "verify", "acknowledge", "corroborate"),
    ("deny", "reject", "dismiss", "refuse", "rebuff", "decline"),
    ("warn", "warning", "caution", "threaten"),
    ("fear", "concern", "worry", "alarm", "anxiety", "anxious", "uneasy", "nervous", "wary"),
    ("deception", "deceit", "deceive", "lie", "sham", "hypocrisy", "fraud", "charade", "pretence", "pretense", "hypocritical"),
    ("open", "willing", "ready", "receptive"),
    ("favour", "favor", "benefit", "advantage", "help", "suit"),
    # movement and presence
    ("attend", "join", "participate", "go", "travel", "visit", "arrive", "come", "present", "appear", "fly"),
    ("leave", "depart", "quit", "exit", "withdraw", "pull"),
    ("flee", "evacuate", "escape", "displace", "evacuation", "refugee"),
    ("return", "come back", "go back"),
    ("carry", "transport", "aboard", "onboard", "board", "passenger"),
    ("plane", "aircraft", "jet", "airliner", "flight", "airplane", "aeroplane"),
    ("ship", "vessel", "boat", "ferry"),
    ("bus", "coach", "minibus"),
    ("crash", "collide", "collision", "plunge", "go down"),
    # law, power, politics
    ("arrest", "detain", "capture", "seize", "apprehend", "custody", "detention", "hold", "captivity", "captive", "grab"),
    ("charge", "accuse", "indict", "prosecute", "allege", "accusation"),
    ("convict", "sentence", "jail", "imprison", "prison", "guilty"),
    ("release", "free", "liberate", "freed"),
    ("hostage", "captive", "prisoner", "detainee"),
    ("resign", "quit", "step", "resignation", "leave"),
    ("elect", "election", "vote", "poll", "ballot", "win"),
    ("win", "victory", "defeat", "beat", "triumph"),
    ("lose", "loss", "defeat"),
    ("ban", "prohibit", "outlaw", "forbid", "bar", "prohibition"),
    ("law", "bill", "legislation", "act", "measure", "rule", "regulation"),
    ("leader", "president", "head", "chief", "premier", "minister", "prime"),
    ("official", "authority", "government", "administration", "officer", "spokesman", "spokeswoman", "spokesperson"),
    ("company", "firm", "business", "corporation", "group", "maker", "manufacturer"),
    ("protest", "demonstrate", "rally", "demonstration", "march", "demonstrator", "protester"),
    ("investigate", "probe", "inquiry", "investigation", "examine"),
    ("order", "command", "instruct", "direct"),
    # money and aid
    ("aid", "donation", "donate", "pledge", "contribute", "contribution", "grant", "relief", "assistance", "fund",
     "funding", "money", "give", "help", "assist", "support"),
    ("cost", "price", "spend", "expense", "worth", "value", "pay", "bill"),
    ("increase", "rise", "grow", "climb", "jump", "surge", "soar", "raise", "double", "boost"),
    ("decrease", "fall", "drop", "decline", "sink", "plunge", "cut", "reduce", "lower", "slash"),
    ("exceed", "top", "surpass", "pass"),
    # disasters and damage
    ("earthquake", "quake", "tremor", "temblor", "seismic", "shake", "shaking"),
    ("tsunami", "wave", "flood", "flooding", "inundate", "deluge", "surge"),
    ("storm", "hurricane", "cyclone", "typhoon", "tornado"),
    ("fire", "blaze", "wildfire", "flame", "burn"),
    ("unveil", "inaugurate", "dedicate"),
    ("destroy", "damage", "devastate", "ruin", "flatten", "wreck", "raze", "destruction"),
    ("rescue", "save", "rescuer", "recover"),
    ("home", "house", "building", "dwelling", "housing"),
    # time and manner
    ("end", "stop", "halt", "finish", "cease", "over", "conclude", "wrap"),
    ("begin", "start", "launch", "commence", "initiate"),
    ("quick", "quickly", "fast", "swift", "swiftly", "rapid", "rapidly", "speedily", "overnight", "immediately"),
    ("significant", "important", "major", "key", "crucial", "landmark", "historic", "momentous", "consequential", "substantial"),
    ("large", "big", "huge", "massive", "vast", "major"),
    ("build", "construct", "construction", "erect"),
    ("country", "nation", "state"),
    ("european", "europe", "eu", "europeans"),
    ("russia", "russian", "moscow", "kremlin", "russians"),
    ("ukraine", "ukrainian", "kyiv", "kiev", "ukrainians"),
    ("america", "american", "us", "usa", "washington", "americans"),
    ("china", "chinese", "beijing"),
    # countries with their demonyms (capitals only where news uses them for governments: Moscow, Beijing, Tehran)
    ("haiti", "haitian", "haitians"), ("iran", "iranian", "iranians", "tehran"), ("iraq", "iraqi", "iraqis"),
    ("japan", "japanese", "tokyo"), ("france", "french"), ("spain", "spanish"), ("italy", "italian"),
    ("germany", "german"), ("indonesia", "indonesian"), ("australia", "australian"),
    ("taiwan", "taiwanese"), ("india", "indian"), ("kazakhstan", "kazakh"), ("denmark", "danish"),
    ("medal", "gold", "silver", "bronze"),
    ("people", "person", "death", "fatality", "victim", "life", "body", "dead"),
    ("britain", "british", "uk", "britons", "briton"),
    ("secretly", "privately", "private", "secret", "behind"),
    ("rupture", "break", "fracture", "tear", "gash"),
    ("raise", "collect", "gather", "fundraise", "garner", "amass"),
    ("return", "refund", "repay", "reimburse"),
    ("rich", "wealthy", "affluent", "prosperous"),
    ("stingy", "miserly", "parsimonious", "ungenerous", "niggardly", "tightfisted"),
    # round 3: general news verbs (each row is plain English synonymy, not one topic's words)
    ("receive", "accept", "collect", "obtain"),
    ("replace", "replacement", "swap", "switch", "substitute", "substitution"),
    ("hold", "stage", "host", "organise", "organize"),
    ("adopt", "approve", "endorse", "ratify"),
    # round 5: general business and news predicates (plain English synonymy, none from a topic)
    ("close", "shut", "shutter"),
    ("buy", "acquire", "acquisition", "purchase", "takeover"),
    ("suspend", "shelve", "postpone", "delay", "freeze"),
    ("rehearse", "rehearsal", "practise", "practice", "drill"),
    # titles and their abbreviations ("Sen. Marco Rubio" is Senator Marco Rubio)
    ("senator", "sen"), ("governor", "gov"), ("representative", "rep"), ("president", "pres"), ("general", "gen"),
    ("lieutenant", "lt"), ("colonel", "col"), ("sergeant", "sgt"), ("captain", "capt"), ("admiral", "adm"),
    ("professor", "prof"), ("doctor", "dr"),
    # round 6 (version 10): owning up to an act; the summary's verb for a claim's "admitted" (rule admissions)
    ("admit", "acknowledge", "concede", "confess"),
)
ADMISSIONS = f"#{len(RELATIONS) - 1}"
"""The id of the admissions row (switched off as rule ``admissions`` by bench.detectors.claim_core)."""


@lru_cache(maxsize=1)
def _index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for i, row in enumerate(RELATIONS):
        for word in row:
            for key in {word, lemma(word)}:
                index.setdefault(key, set()).add(f"#{i}")
    return {k: frozenset(v) for k, v in index.items()}


@lru_cache(maxsize=200_000)
def senses(lem: str, use_table: bool = True) -> frozenset[str]:
    """The ids a lemma matches by: itself, its base adjective ("stinginess" states "stingy"), plus the
    table rows it sits in."""
    if not use_table:
        return frozenset((lem,))
    out = {lem}
    if lem.endswith("iness") and len(lem) > 7:
        out.add(lem[:-5] + "y")
    elif lem.endswith("ness") and len(lem) > 7:
        out.add(lem[:-4])
    return frozenset(out) | _index().get(lem, frozenset())


_IRREGULAR_NATIONS = {
    "british": "britain", "briton": "britain", "french": "france", "dutch": "netherlands", "swiss": "switzerland",
    "english": "england", "welsh": "wales", "scottish": "scotland", "scots": "scotland", "irish": "ireland",
    "spanish": "spain", "danish": "denmark", "swedish": "sweden", "finnish": "finland", "polish": "poland",
    "turkish": "turkey", "thai": "thailand", "filipino": "philippines", "greek": "greece", "japanese": "japan",
    "norwegian": "norway", "peruvian": "peru", "chilean": "chile", "afghan": "afghanistan", "pakistani": "pakistan",
}
_NATION_SUFFIXES = ("ians", "ian", "ans", "ese", "an", "ia", "a", "e", "y", "i", "n")


@lru_cache(maxsize=65536)
def nation_sense(name: str) -> frozenset[str]:
    """One id shared by a place name and its demonym ("Romania" ~ "Romanian", "Canada" ~ "Canadian",
    "Haiti" ~ "Haitians"): the name cut to a root of at least four letters by the common endings, so
    any country the table does not list still meets its adjective."""
    w = _IRREGULAR_NATIONS.get(name, name)
    if len(w) < 5 or not w.isalpha():
        return frozenset()
    for suffix in _NATION_SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[: -len(suffix)]
            break
    return frozenset((f"#nat:{w}",))


@lru_cache(maxsize=65536)
def ing_verb(lem: str, table: bool = True) -> frozenset[str]:
    """The verb of an "-ing" noun the lemmatiser keeps as a noun ("closing" -> close, "bombing" -> bomb, "ruling"
    -> rule): the verb is accepted only when its past form lemmatises back to it."""
    if not lem.endswith("ing") or len(lem) < 6:
        return frozenset()
    stem = lem[:-3]
    for verb in (stem + "e", stem, stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else ""):
        if verb and lemma(verb + ("d" if verb.endswith("e") else "ed")) == verb:
            return senses(verb, table)
    return frozenset()


_ALIAS = {"united states": "US", "united kingdom": "UK", "european union": "EU", "united nations": "UN", "gross domestic product": "GDP",
          "international olympic committee": "IOC", "international monetary fund": "IMF", "world health organization": "WHO",
          "north atlantic treaty organization": "NATO"}
_ALIASES = re.compile(r"\b(" + "|".join(_ALIAS) + r")\b", re.I)
_ALIAS_GATE = re.compile(r"United|European|domestic|International|Organi[sz]ation", re.I)


def aliased(text: str) -> str:
    """Multi-word names as their short form, padded so offsets stay put ("United States" -> "US", "gross domestic
    product" -> "GDP"): a claim's acronym is stated by its expansion."""
    return _ALIASES.sub(lambda m: _ALIAS[m.group().lower()].ljust(len(m.group())), text) if _ALIAS_GATE.search(text) else text

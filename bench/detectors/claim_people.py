"""Who is who, from a task's documents: the other names a claim's person goes by.

News English names a person once in full ("UCI president Pat McQuaid", "Danish rider Michael Rasmussen")
and then by surname ("McQuaid"), by role ("the UCI chief", "the president of cycling's governing body") or by
nationality ("the Dane"). A plain claim names its people one way; a summary another. This module reads, per
claim, the documents' own usage and widens the sense ids of the claim's person names (rule ``roles``):

- *surname*: the claim's first names ("Pat", "Michael") are stated by the surname alone, when every full name
  the documents end with that surname is this person's (no second "Brown");
- *title*: a title the claim puts before the name ("UCI president", "UN envoy", "Director") is stated by the
  name, when the documents give the person that title: the title is then not what the claim gets wrong;
- *role*: a role noun or nationality the documents attach to this person and to no other person
  ("Prime Minister Gordon Brown" and no other prime minister) states the person.

Only ids are added, after the claim is contrasted with its sources (bench.detectors.claim_core), so what is
supported does not change; a summary that gives the statement to another person by any of that person's
names still names someone else. Reads claim_core's Element and Sent by their attributes (no import cycle).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Sequence

from ..text.lemma import lemma
from .claim_roles import _NAME_PARTICLES
from .claims import names
from .gazetteer import city_nation
from .gazetteer_data import CITY_COUNTRY
from .paraphrase import nation_sense

ROLE_NOUNS = frozenset(
    "president minister premier chancellor secretary chief head leader boss chairman chairwoman chair director envoy "
    "ambassador diplomat spokesman spokeswoman spokesperson coordinator commissioner commander general captain admiral "
    "mayor governor senator king queen prince founder manager coach editor prosecutor judge official representative "
    "negotiator organiser organizer ceo executive".split()
)
"""Nouns that name an office or role: before a name ("President Bachelet") or in apposition after it ("Bachelet,
the president")."""
_ABOUT_PEOPLE = re.compile(
    r"\b(?:said|says|announced|announces|warned|warns|told|tells|declared|declares|claimed|claims|stated|states|insisted|argued|"
    r"called|described|admitted|denied|confirmed|urged|" + "|".join(sorted(ROLE_NOUNS)) + r")\b", re.I)
"""A claim that reports someone's words or names an office: the claims whose people go by other names in summaries."""
_APPOSED = re.compile(r"^[\w'\u2019-]*\s*,")
"""A surname followed at once by a comma: what comes next is its apposition."""
_TITLE_REACH = 25
"""Characters between a title word and the surname it stands before ("UCI chief Pat McQuaid")."""
_BEFORE_REACH = 40
"""Characters before a full name in which its title stands ("Chilean President Michelle Bachelet")."""
_APPOSITION = re.compile(r"^\s*,\s*(?:(?:the|a|an|its|his|her|their)\s+)?([^,.;:()\"]{1,60})")
"""A noun phrase right after a name, between commas: "Gordon Brown, the prime minister, said"."""
_GENERIC = frozenset("airport stadium arena bay hall river city street square station island republic park center centre bridge port cross".split())
"""Last words of a place's or body's name ("Hyde Park", "Red Cross"): no surname."""
_TITLE_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")


def _role_ids(word: str, capital: bool = False) -> frozenset[str]:
    """The ids a title word is stated by: a role noun's lemma, or a nationality's demonym id (``capital``: the
    word was written with a capital)."""
    low = word.lower()
    lem = lemma(low)
    if lem in ROLE_NOUNS:
        return frozenset((lem,))
    if word[:1].isupper() or capital:
        nation = nation_sense(low)
        if nation and not city_nation(low) and nation <= _countries():
            return nation
    return frozenset()


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    """The demonym ids of the gazetteer's countries: a nationality is one of these ("Danish"), not any capitalised
    word the demonym endings happen to fit ("Twitter")."""
    return frozenset(i for country in set(CITY_COUNTRY.values()) for i in nation_sense(country))


def split_title(tokens: Sequence[str]) -> tuple[list[str], list[str]]:
    """A name's leading title words and the person's own ("prime minister gordon brown" -> prime minister |
    gordon brown): everything up to the last role noun or nationality at its start."""
    cut = 0
    for i, t in enumerate(tokens[:-1]):
        if _role_ids(t, capital=True):
            cut = i + 1
        elif i >= 2:
            break
    return list(tokens[:cut]), list(tokens[cut:])


@lru_cache(maxsize=32_768)
def attachments(text: str, offices: bool = True) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each multi-word name of ``text`` (lower-case tokens) with the role ids attached to it: title words just
    before it and role words of an apposition after it. Cached by text: documents recur across probes. ``offices``:
    read a person's name after an office's "of" (rule ``office-of``)."""
    out = []
    for start, end, name in names(text):
        parts = name.split()
        cut = max((i for i, t in enumerate(parts) if t in _NAME_PARTICLES), default=-1)
        if cut >= 0 and (not offices or len(parts) - cut - 1 < 3):
            continue  # "Tour de France", "Bank of England": an institution's name
        if cut >= 0:  # rule office-of (version 10): "Secretary of State Marco Rubio" is Marco Rubio, the office's
            person = " ".join(parts[cut + 2:])  # object ("State") and particle left to the title words before him
            at = text[start:end].lower().find(person)
            if at < 0 or len(parts) - cut - 2 < 2:
                continue
            start, name = start + at, person
        titles, tokens = split_title([t for t in re.split(r"[\s-]+", name) if t])
        if len(tokens) < 2 or tokens[-1] in _GENERIC:
            continue
        roles: set[str] = set(r for t in titles for r in _role_ids(t, capital=True))
        before = text[max(0, start - _BEFORE_REACH):start]
        for word in reversed(_TITLE_WORD.findall(before.split(",")[-1].split(".")[-1])[-3:]):
            found = _role_ids(word)
            roles |= found
        m = _APPOSITION.match(text[end:end + 80])
        if m:
            for word in _TITLE_WORD.findall(m.group(1))[:4]:
                roles |= _role_ids(word)
        out.append((" ".join(tokens), tuple(sorted(roles))))
    return tuple(out)


def _people(support: Sequence[Any], offices: bool = True) -> dict[str, dict[str, set[str]]]:
    """surname -> {full name -> role ids}, over every multi-word name of the support sentences."""
    people: dict[str, dict[str, set[str]]] = {}
    for sent in support:
        for full, roles in attachments(sent.text, offices):
            people.setdefault(full.rsplit(" ", 1)[-1], {}).setdefault(full, set()).update(roles)
    return people


def _owners(role: str, support: Sequence[Any], offices: bool = True) -> set[str]:
    """The surnames of every person the support sentences attach ``role`` to."""
    return {full.rsplit(" ", 1)[-1] for s in support if role in s.ids for full, roles in attachments(s.text, offices) if role in roles}


def person_aliases(claim: str, elements: Sequence[Any], support: Sequence[Any], titles: bool = True,
                   offices: bool = True) -> dict[tuple[int, str], frozenset[str]]:
    """For the claim's person-name and title elements: the ids to add (by the element's start and key: a whole
    claim's names are copied); see the module doc. ``titles=False`` (a probe's example: its wording is its point)
    leaves its titles as written; ``offices``: rule ``office-of`` (``attachments``)."""
    if not _ABOUT_PEOPLE.search(claim):
        return {}  # no statement and no office: a claim about what happened, whose names are matched as written
    groups: dict[int, list[Any]] = {}
    for e in elements:
        if e.kind == "name" and e.group >= 0:
            groups.setdefault(e.group, []).append(e)
    if not groups:
        return {}
    everyone = support
    keys = {e.key for e in elements if e.kind == "name"}
    support = [s for s in support if not keys.isdisjoint(s.ids)]  # only sentences naming the claim's names matter
    people = _people(support, offices)
    out: dict[tuple[int, str], frozenset[str]] = {}
    for start, whole_group in groups.items():
        whole_group.sort(key=lambda e: e.start)
        leading, _ = split_title([e.key for e in whole_group])
        inner_titles, group = whole_group[:len(leading)], whole_group[len(leading):]
        if not group:
            continue
        surname = group[-1]
        fulls = people.get(surname.key)
        if not fulls:
            continue
        firsts = {full.split(" ")[0] for full in fulls}
        if len(firsts) > 1 or nation_sense(group[0].key) and len(group) == 1:
            continue  # two people share the surname (or a nationality, not a person): no alias
        full, roles = next(iter(fulls.items()))
        if len(group) > 1 and group[0].key != full.split(" ")[0]:
            continue  # the claim's first name is not the documents' one: another person
        if not _person_like(full.split(" ")[0], surname.key, support):
            continue
        alias = frozenset(surname.ids) | frozenset(r for r in roles if _owners(r, everyone, offices) == {surname.key})
        for e in group:
            if alias - e.ids:
                out[(e.start, e.key)] = alias
        for title in (inner_titles + _titles_before(claim, elements, whole_group[0])) if titles else ():
            if not frozenset(title.ids).isdisjoint(roles) or _attached_word(title, surname.key, support):
                out[(title.start, title.key)] = alias
    return out


def _person_like(first: str, surname: str, support: Sequence[Any]) -> bool:
    """A person's name, by how the documents use it: the first name never stands alone, or less often than the
    surname ("McQuaid said"); "Bali Roadmap" is no person: "Bali" stands alone, "Roadmap" never."""
    alone = {first: 0, surname: 0}
    for sent in support:
        for token, other, after in ((surname, first, False), (first, surname, True)):
            for a, b in sent.ids.get(token, ()):
                near = sent.text[b:b + len(other) + 2].lower() if after else sent.text[max(0, a - len(other) - 2):a].lower()
                alone[token] += other not in near
    return alone[first] == 0 or alone[surname] > alone[first]


def _titles_before(claim: str, elements: Sequence[Any], first: Any) -> list[Any]:
    """The claim's words and names right before a person's name, up to three, with nothing but spaces and
    hyphens between them: "UCI president Pat McQuaid", "UN Secretary-General Ban Ki-moon", "Director Zhang"."""
    out: list[Any] = []
    edge = first.start
    for e in sorted((e for e in elements if e.kind in ("word", "name") and e.end <= first.start), key=lambda e: -e.end):
        gap = claim[e.end:edge]
        if len(out) >= 3 or gap.strip(" -") or not gap and e.end != edge:
            break
        out.append(e)
        edge = e.start
    return out


def _attached_word(title: Any, surname: str, support: Sequence[Any]) -> bool:
    """Whether some document sentence puts the title word right before the person's name ("UCI chief Pat McQuaid"
    attaches "UCI" to McQuaid; "Dimas and German minister Sigmar Gabriel" attaches "German" to Gabriel only) or in
    the apposition right after it ("Pat McQuaid, president of Union Cycliste Internationale (UCI)")."""
    for sent in support:
        if surname not in sent.ids or title.ids.isdisjoint(sent.ids):
            continue
        for a, _ in sent.ids[surname]:
            for sense in title.ids:
                for x, y in sent.ids.get(sense, ()):
                    if 0 <= a - y <= _TITLE_REACH and not any(ch in sent.text[y:a] for ch in ",;()"):
                        return True
                    gap = sent.text[a:x]
                    if 0 <= x - a <= 100 and _APPOSED.match(gap) and " and " not in gap and ";" not in gap:
                        return True  # "Pat McQuaid, president of Union Cycliste Internationale (UCI)"
    return False


def widen(elements: Sequence[Any], extra: dict[tuple[int, str], frozenset[str]]) -> None:
    """Add the alias ids ``person_aliases`` found (changes the elements)."""
    for e in elements:
        add = extra.get((e.start, e.key))
        if add:
            e.ids = frozenset(e.ids) | add

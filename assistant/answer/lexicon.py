"""Words that mean the same for answering: policy verbs, places and their people, reporting verbs.

Small, hand-made and domain-bound (security and foreign-policy briefings); stems as
:func:`assistant.lexical.terms` makes them. A group applies when a sentence or question
has any of its members.
"""

from __future__ import annotations

import re

from assistant.lexical import terms

SYNONYMS = [
    {"support", "back", "sponsor", "fund", "financ", "facilitat", "aid", "harbor", "harbour", "shelter"},
    {"operat", "presenc", "present", "activ", "haven", "sanctuari"},
    {"attack", "bomb", "blast", "assault", "strik", "airstrik"},
    {"kill", "kil", "dead", "death", "die", "died", "dying", "slain", "lost", "loss", "casualti", "fataliti"},
    {"deni", "reject", "dismiss", "refut"},
    {"un", "nation", "unit"},
    {"spokesman", "spokesperson", "spokeswoman"},
    {"leader", "chief", "head", "emir"},
    {"knew", "awar", "know"},
    {"chang", "shift", "revers"},
    {"campaign", "effort"},
    {"tie", "tied", "link", "linkag", "connect"},
    {"warn", "alert", "advisori"},
    {"threat", "danger", "menac"},
    {"blam", "responsibl", "fault", "culpabl", "behind", "perpetrat", "orchestrat", "masterm"},
    {"relativ", "fami", "famili", "wif", "daughter", "children"},
    {"hurt", "harm", "unharm", "injur", "injuri", "wound"},
    {"resurgenc", "resurgent", "comeback", "revival", "reviv"},
    {"troop", "personnel", "soldier", "forc"},
    {"national", "citizen"},
    {"creat", "establish", "launch"},
    {"expedit", "accelerat", "faster", "quicker"},
    {"approv", "approval", "authoriz", "authoris", "go-ahead"},
    {"premier", "prim"},
    {"caretaker", "interim", "stopgap"},
    {"adviser", "advisor"},
    {"prevent", "thwart", "foil", "disrupt"},
    {"democratic", "democraci", "democrat"},
    {"isis-k", "isis-khorasan", "isil-k", "is-k", "iskp", "khorasan"},
    {"border", "frontier", "boundari"},
    {"thriv", "flourish", "prosper"},
    {"independent", "separat", "unconnect", "distinct"},
    {"settl", "determin", "delimit", "delimitat", "demarcat"},
    {"truc", "ceasefir", "cease-fire", "armistic"},
    {"plan", "intend", "intent"},
    {"win", "won"},
    {"promis", "pledg", "vow"},
    {"fulfill", "fulfil"},
    {"abstain", "abstent"},
]
BRANCHES = dict.fromkeys(("isis-k", "isis-khorasan", "isil-k", "is-k", "iskp"), "isis-k")
"""A group's branch named as a compound: a question on ISIS-K is not answered by one on ISIS."""
BLAME = frozenset({"blam", "responsibl", "fault", "culpabl", "behind", "caus"})
"""Terms that ask who is to blame (and who caused it)."""
# One way only: a rejection is a response, but a response need not be a rejection.
IMPLIES: dict[str, frozenset[str]] = {
    **dict.fromkeys(("reject", "dismiss", "deni", "refut", "repli", "react", "rebut", "counter", "respons"),
                    frozenset({"respond"})),
    # A missile is a weapon, but a weapon need not be a missile.
    **dict.fromkeys(("missil", "rocket", "explosiv", "hellfir"), frozenset({"weapon"})),
    "dron": frozenset({"weapon", "aircraft"}),
    **dict.fromkeys(("aerial", "helicopter", "jet", "bomber"), frozenset({"aircraft"})),
}
# Words that say the opposite: "weaker" denies "gaining strength".
OPPOSITES = [
    ({"strength", "stronger", "strengthen", "strong", "gain"}, {"weak", "weaker", "weaken", "weakest"}),
    ({"increas", "ris", "grow", "grown", "growth", "expand"},
     {"decreas", "declin", "shrink", "shrunk", "reduc"}),
    # How policy speeches and floor statements contradict one another without the other's words.
    ({"precis", "precision", "accurat"}, {"collateral", "indiscriminat"}),
    ({"inclusiv", "tolerant", "toleranc", "pluralism", "pluralist", "pluralistic"},
     {"oppression", "oppress", "oppressiv", "persecut", "discriminat",
      "discriminatori", "marginalis", "marginaliz", "exclusion", "exclud", "supremacist", "repression",
      "repressiv"}),
    ({"win", "won", "victori", "victorious"}, {"los", "defeat", "quagmir"}),
    ({"democratic", "democraci"},
     {"fascist", "authoritarian", "dictatorship", "undemocratic", "autocratic", "totalitarian"}),
    ({"link", "connect", "coordinat", "tie", "tied", "overlap", "affiliat"},
     {"independent", "separat", "unrelat", "unconnect", "distinct"}),
    ({"defeat", "destroi", "eliminat", "dismantl", "degrad", "decimat"},
     {"resurgent", "resurgenc", "regroup", "thriv", "flourish", "rebuilt", "rebuild", "reconstitut"}),
    ({"honor", "honour", "fulfill", "uphold", "upheld", "complianc"}, {"violat", "breach", "brok", "reneg"}),
    ({"cooperat", "partner", "alli"}, {"adversari", "hostil", "enemi", "rival"}),
    ({"legitimat", "legal", "lawful"}, {"illegitimat", "illegal", "unlawful"}),
    ({"improv", "better"}, {"worsen", "deteriorat", "wors"}),
    ({"success", "successful", "succeed", "effectiv"}, {"fail", "failur", "ineffectiv"}),
    ({"saf"}, {"unsaf", "insecur"}),
    ({"stabl", "stabiliti", "peaceful"},
     {"chao", "chaotic", "instabiliti", "unstabl", "turmoil", "destabiliz", "destabilis"}),
]
# Two words that together name a country's government: "United States", "the White House".
COMPOUNDS = [(frozenset({"unit", "stat"}), "us"), (frozenset({"whit", "hous"}), "us")]
# A capital is in its country (one way: "Afghanistan" is more than Kabul).
CAPITALS = {
    "kabul": "afghanistan", "islamabad": "pakistan", "delhi": "india", "moscow": "russia", "kyiv": "ukrain",
    "tehran": "iran", "beij": "china", "washington": "us", "dushanb": "tajikistan", "bishkek": "kyrgyzstan",
    "damascus": "syria", "baghdad": "iraq",
}
# A country, its people and its capital or seat of government name the same party
# ("How did Islamabad respond?"); Kabul is left out, as it is mostly the city itself.
PLACES = [
    {"pakistan", "pakistani", "pakistanis", "islamabad"},
    {"afghanistan", "afghan", "afghans"},
    {"us", "american", "america", "americans", "washington"},
    {"russia", "russian", "moscow", "kremlin"},
    {"india", "indian", "delhi"},
    {"china", "chines", "beij"},
    {"iran", "iranian", "tehran"},
    {"tajikistan", "tajik", "dushanb"},
    {"kyrgyzstan", "kyrgyz", "bishkek"},
    {"ukrain", "ukrainian", "kyiv"},
    {"syria", "syrian"},
    {"iraq", "iraqi"},
    {"israel", "israeli"},
    {"palestin", "palestinian"},
    {"asia", "asian"},
    {"europ", "european"},
]
REPORTING = frozenset(
    terms(
        "claim claimed allege alleged tell told say said state stated think view position "
        "mean"
    )
)

TIMELESS = frozenset(terms("still currently now today nowadays anymore latest"))
"""Words that ask how things stand now: they date the question, they are not what it asks."""


PHRASES = [
    # "carried out the attack", "the attack carried out by ISIS-K": who did it.
    (re.compile(r"\bcarr(?:y|ies|ied|ying)\s+out\b", re.I), "perpetrated"),
    # "ISIS bears sole responsibility", "claimed responsibility": blame, not duties.
    (re.compile(r"\b(?:bear|claim|take|took|accept|admit)\w*\s+(?:\w+\s+)?responsibility\b", re.I),
     "responsible"),
    # "follow through on a pledge", "live up to his promise", "kept their word": a promise kept.
    (re.compile(r"\b(?:follow\w*\s+through|liv\w*\s+up\s+to)\b", re.I), "fulfilled"),
    (re.compile(r"\b(?:kept|keep\w*|honou?r\w*)\s+(?:\w+\s+)?(?:promise|pledge|word|commitment)s?\b", re.I),
     "fulfilled promise"),
    # Institutions by the names the press gives them: "the world body" is the UN, "the
    # Department of Defense" the Pentagon.
    (re.compile(r"\bworld body\b", re.I), "UN"),
    (re.compile(r"\b(?:Department\s+(?:of\s+)?Defen[cs]e|Defen[cs]e\s+Department|DoD)\b"), "Pentagon"),
    # "ex-US officials", "the ex-president": former ones.
    (re.compile(r"\bex-(?=[A-Za-z])", re.I), "former "),
]
"""Phrases that mean what one word of the lexicon does, though none of their words does."""


def phrase_terms(text: str) -> list[str]:
    """The terms that ``text``'s phrases mean ("carried out" -> perpetrat)."""
    return [term for pattern, word in PHRASES if pattern.search(text) for term in terms(word)]


def in_plain_words(text: str) -> str:
    """``text`` with its phrases put as the word they mean ("was carried out" -> "was perpetrated").

    A question's phrase then weighs as one term, not as its words and their meaning besides.
    """
    for pattern, word in PHRASES:
        text = pattern.sub(word, text)
    return text


def with_synonyms(found: set[str]) -> set[str]:
    """``found`` with every synonym group it touches."""
    out = set(found)
    for group in SYNONYMS:
        if out & group:
            out |= group
    return out


def with_broader(found: set[str]) -> set[str]:
    """``found`` with what its terms are kinds of ("weapon" for "missil")."""
    return found.union(*(IMPLIES[t] for t in found if t in IMPLIES))


def narrower_terms(found: set[str]) -> set[str]:
    """The terms that are kinds of some term of ``found`` ("missil", "dron" for "weapon")."""
    return {t for t, broader in IMPLIES.items() if broader & found}


def opposite_terms(found: set[str]) -> set[str]:
    """Terms that say the opposite of some term of ``found`` ("weaker" for "strength")."""
    out: set[str] = set()
    for one, other in OPPOSITES:
        if found & one:
            out |= other
        if found & other:
            out |= one
    return out

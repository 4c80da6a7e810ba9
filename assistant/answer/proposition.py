"""A yes/no question's proposition: its subject, what it asks of it, and its topic line.

"Were any of Zawahiri's family members harmed in the strike?" is about "any of Zawahiri's
family members"; what it asks is "harmed in the strike"; its topic is "Whether any of
Zawahiri's family members were harmed in the strike". Pure functions over strings, and the
weights of what a side must speak to (``asked_weights``, ``at_stake``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.answer.lexicon import BLAME, REPORTING, TIMELESS
from assistant.answer.question import AUX, Question, content_terms, is_date_term, name_terms
from assistant.lexical import terms


def topic_of(text: str) -> str:
    """'Does TTP operate in Afghanistan?' -> 'Whether TTP operates in Afghanistan'."""
    body = text.strip().rstrip("?").strip()
    split = split_yes_no(body)
    if split is None:
        return body[:1].upper() + body[1:]
    aux, subject, predicate = split
    if not predicate:
        return "Whether " + " ".join([*subject, aux])
    if aux in {"does", "do", "did"}:
        verb = _inflect(predicate[0]) if aux == "does" else predicate[0]
        return "Whether " + " ".join([*subject, *(["did"] if aux == "did" else []), verb, *predicate[1:]])
    return "Whether " + " ".join([*subject, aux, *predicate])


def split_yes_no(text: str) -> tuple[str, list[str], list[str]] | None:
    """A yes/no question's auxiliary, subject and predicate words.

    "Were any of Zawahiri's family members harmed in the strike?" is about "any of
    Zawahiri's family members"; what is asked of them is "harmed in the strike".
    """
    match = AUX.match(text.strip().rstrip("?").strip())
    if not match:
        return None
    aux, words = match.group(1).lower(), match.group(2).split()
    if aux in {"has", "have", "had"}:  # the subject runs on to the participle: "Has [the US stance] shifted?"
        for i, word in enumerate(words[1:], start=1):
            participle = _PARTICIPLE.fullmatch(word) or word in _IRREGULAR_PARTICIPLES
            if participle and words[i - 1].lower() not in _DETERMINERS:
                return aux, words[:i], words[i:]
    for i, word in enumerate(words):
        do = aux in {"does", "do", "did"}
        if i == 0 or _in_subject(words, i, participles=not do) or (do and _in_noun_phrase(words, i)):
            continue
        if do and _plural_before_verb(words, i):  # "Do [US drone strikes] cause ...?"
            continue
        if aux in {"does", "do", "did"} and word.islower() and word.isalpha() and word not in _FUNCTION_WORDS:
            if _PAST.search(word):
                continue  # after "does", the verb is in its base form: "the resolution the US [abstained] on"
            return aux, words[:i], words[i:]  # the verb: "the strike on Zawahiri [also kill] ..."
        if aux not in {"does", "do", "did"} and (word.islower() or word.endswith("ing")):
            if word in _PREPOSITIONS:  # "Was [the attack on the mosque in Kabul] a result of ...?"
                i = next((j for j in range(i + 1, len(words)) if words[j] in {"a", "an"}
                          and words[j - 1].lower() not in _PREPOSITIONS | _FUNCTION_WORDS), i)
            return aux, words[:i], words[i:]
    return aux, words, []


def predicate_terms(text: str) -> tuple[str, ...]:
    """The terms of what a yes/no question asks of its subject (``()`` for other questions).

    A relative clause only describes what is asked about: "Did the Taliban form the
    inclusive government they promised?" asks "form the inclusive government", and a side
    need not say that it was promised.
    """
    split = split_yes_no(text)
    return content_terms(" ".join(_without_relative_clause(split[2]))) if split else ()


@lru_cache(maxsize=512)
def subject_terms(text: str) -> frozenset[str]:
    """The terms of a yes/no question's subject (none for other questions)."""
    split = split_yes_no(text)
    return frozenset(content_terms(" ".join(split[1]))) if split else frozenset()


_PREPOSITIONS = frozenset("on in of about over toward towards regarding against for with at from".split())


@lru_cache(maxsize=512)
def subject_head_terms(text: str) -> frozenset[str]:
    """The terms of a yes/no question's subject up to its first preposition.

    "the US position" of "Has the US position on a ground offensive in Rafah shifted?": a
    denial of the offensive is not one of the position.
    """
    split = split_yes_no(text)
    if not split:
        return frozenset()
    words = split[1]
    cut = next((i for i, w in enumerate(words) if i and w.lower() in _PREPOSITIONS), len(words))
    return frozenset(content_terms(" ".join(words[:cut])))


@lru_cache(maxsize=512)
def predicate_head_terms(text: str) -> frozenset[str]:
    """The terms of a yes/no question's predicate up to its first preposition.

    "also kill a son" of "Did the strike on Zawahiri also kill a son of the Taliban's
    interior minister?"; "killed" of "Was his son-in-law killed in the strike on Zawahiri?".
    """
    split = split_yes_no(text)
    words = split[2] if split else []
    cut = next((i for i, w in enumerate(words) if i and w.lower() in _PREPOSITIONS), len(words))
    return frozenset(content_terms(" ".join(words[:cut])))


@lru_cache(maxsize=512)
def described_terms(text: str) -> frozenset[str]:
    """Terms of a yes/no question's describing clause, which a side need not say.

    "they promised", "when the strike hit". Cached: stances ask for it once per sentence read.
    """
    split = split_yes_no(text)
    if not split:
        return frozenset()
    kept = len(_without_relative_clause(split[2]))
    return frozenset(content_terms(" ".join(split[2][kept:]))) - set(content_terms(" ".join(split[2][:kept])))


_CLAUSE_OPENERS = frozenset("which who whom whose when while once since before after during ahead".split())
"""Words that open a relative clause or a clause of time: what follows describes, it is not asked."""
_CHASING = frozenset(
    "go goes going went gone come comes coming came look looking looked run running chase".split()
)
"""Verbs that "after" completes ("going after Taliban fighters"), not a clause of time."""
_PURPOSE = frozenset("enough order as".split())
"""Words before a "to" that opens what the predicate is for: "enough to", "in order to", "so as to"."""
_PAST = re.compile(r"[^e]ed$")
"""A past form ("abstained"; not "need", "succeed"), which no verb after "does" or "did" is."""
_PARTICIPLE = re.compile(r"[a-z]+(?:[^e]ed|ied)")
_IRREGULAR_PARTICIPLES = frozenset(
    "been done made kept won lost taken given gone seen become brought built fought held left met paid "
    "put said sent spent stood told thought understood begun broken chosen driven fallen grown hidden "
    "known risen shown spoken written got gotten led fled sold struck withdrawn overtaken undertaken".split()
)
"""Past participles not in -ed: what follows "has" ("Have the Taliban [kept] their promise?")."""
_PRONOUN_SUBJECTS = frozenset("they he she we you i".split())


def _without_relative_clause(words: list[str]) -> list[str]:
    """``words`` up to a relative clause or a clause that sets the scene.

    "which ...", "[the promise] they made", "when the strike hit", "since the withdrawal",
    and what someone is to blame for.
    """
    for i in range(1, len(words)):
        word, before = words[i].lower(), words[i - 1].strip(",").lower()
        if word in _CLAUSE_OPENERS and before.isalpha() and not (word == "after" and before in _CHASING):
            return words[:i]  # "[hurt] when the strike hit his house", "[warn Russia] ahead of the attack"
        if i == 1:
            continue
        if word == "to" and before in _PURPOSE:
            return words[: i - 1]  # "precise [enough to avoid killing ...]": what it is for, not what it is
        if word == "for" and set(terms(before)) & BLAME:
            return words[:i]  # "to blame [for the Taliban's comeback]": sources name the event their way
        if word in _PRONOUN_SUBJECTS and i + 1 < len(words) and before.isalpha() and not (
            set(terms(before)) & REPORTING or before in _FUNCTION_WORDS or _ADVERB.fullmatch(before)
        ):
            return words[:i]  # a contact clause: "the government they promised"
    return words


def _nouns_before_verb(words: list[str], i: int) -> bool:
    """Whether ``words[i:]`` open with up to three plain lowercase words and then a participle."""
    j = i
    while j < len(words) and j - i < 3 and _PLAIN.fullmatch(words[j]) and not (
        _VERB_FORM.search(words[j]) or _ADVERB.fullmatch(words[j]) or words[j] in _FUNCTION_WORDS
    ):
        j += 1
    return i < j < len(words) and bool(_VERB_FORM.search(words[j]))


_PLAIN = re.compile(r"[a-z]+")
_FUNCTION_WORDS = frozenset(
    "a an the to of in on at for with by from under behind than into about as".split()
)
_VERB_FORM = re.compile(
    r"\w(?:ed|ing|en)$|^(?:hurt|hit|struck|shot|held|known|seen|lost|won|led|left|kept|caught|sent|"
    r"built|brought|fought|bought|sought|taught|thought|told|found|made|paid|put|set|spent|cut|hid)$"
)
"""A participle: regular, or one of the irregular ones briefings use ("[family members] hurt")."""
_ADVERB = re.compile(r"\w+ly|still|already|really|also|now|even|ever|not|never|again|yet", re.IGNORECASE)
_SUBJECT_LINKS = frozenset("other than of under from and the a an al bin".split())
_DETERMINERS = frozenset("the a an its their his her our".split())


_NOMINAL = re.compile(r"\w(?:tion|sion|ment|ness|ity|ance|ence|ship|wal|val|sal|ial)s?$", re.IGNORECASE)
"""Endings of nouns that are never a base-form verb: after "does", they are still the subject."""


def _in_noun_phrase(words: list[str], i: int) -> bool:
    """Whether ``words[i]`` continues a noun subject of a "does" question.

    "Does the US abstention on the UN Gaza ceasefire resolution mean a change?": nouns by
    their endings, the prepositions and articles that hang on them, and a word compounded
    with a noun after a name ("Gaza ceasefire resolution").
    """
    word, before = words[i].lower(), words[i - 1].lower()
    if _NOMINAL.search(word):
        return True
    if word in _FUNCTION_WORDS and (_NOMINAL.search(before) or (i >= 2 and _NOMINAL.search(words[i - 2]))):
        return True  # "abstention on", "abstention on the"
    after_name = words[i - 1][:1].isupper() and i >= 2 and (
        words[i - 2][:1].isupper() or words[i - 2] in _DETERMINERS
    )
    return after_name and i + 1 < len(words) and bool(_NOMINAL.search(words[i + 1]))


def _in_subject(words: list[str], i: int, participles: bool = True) -> bool:
    """Whether lowercase ``words[i]`` still belongs to the subject.

    "anyone other than Zawahiri", "India under Modi", "the leader of ISIS", "the Taliban
    and al Qaeda".
    """
    if words[i - 1].lower() in _DETERMINERS or words[i - 1].endswith(("’s", "'s")):
        return True  # "the leader", "Zawahiri's family"
    if i >= 2 and words[i - 2].lower() in _DETERMINERS and words[i - 1].endswith("ly"):
        return True  # "the deadly attack", "the only survivor": an adjective in "-ly" before its noun
    if words[i] == "of" or (words[i - 1] == "of" and words[i] in _DETERMINERS):
        return True  # "any of his relatives"
    if participles and _nouns_before_verb(words, i):  # "family members [harmed]", "service members [killed]"
        return True
    if participles and _plural_after_name(words, i):  # "American drone strikes [precise]"
        return True
    if words[i] in {"and", "or"} and _nouns_before_verb(words, i + 1):
        return True  # "the Taliban and other militant groups [thriving]"
    # Not "Is the group [still a threat]?" nor "Was he [in a safe house]?"
    head = not _ADVERB.fullmatch(words[i]) and words[i] not in _PREPOSITIONS
    if participles and head and i + 1 < len(words) and words[i + 1] in {"a", "an"}:
        return True  # "India's current government [a democratic one]", "the US withdrawal [a mistake]"
    return words[i] in _SUBJECT_LINKS and any(w[:1].isupper() for w in words[i + 1 : i + 3])


def _plural_after_name(words: list[str], i: int) -> bool:
    """Whether ``words[i]`` is in up to two lowercase words after a name that end in a plural noun.

    "Are American drone strikes precise?" is about "American drone strikes"; "Are US troops
    still there?" about "US troops".
    """
    start = i
    while start > 0 and _PLAIN.fullmatch(words[start - 1]) and i - start < 2:
        start -= 1
    if start == 0 or not words[start - 1][:1].isupper():
        return False
    return any(_PLURAL.fullmatch(words[j]) for j in range(i, min(start + 2, len(words) - 1)))


_PLURAL = re.compile(r"[a-z]+[^su]s")


def _plural_before_verb(words: list[str], i: int) -> bool:
    """Whether ``words[i]`` is in a plural noun phrase after a name that a verb follows.

    After "do", the verb is in its base form, so "strikes" in "Do US drone strikes cause
    ...?" is a noun; "have" in "Did the US have troops on the ground?" is the verb.
    """
    if not _plural_after_name(words, i):
        return False
    for j in range(i, min(i + 2, len(words) - 1)):
        if _PLURAL.fullmatch(words[j]):
            verb = words[j + 1]
            return verb.islower() and verb.isalpha() and verb not in _FUNCTION_WORDS
    return False


def _inflect(verb: str) -> str:
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def asked_weights(weight: dict[str, float], question: Question) -> dict[str, float]:
    """What the question asks of its names.

    Its terms that are neither names, dates nor reporting verbs, and, when it can be told,
    not in its subject: "Were Zawahiri's family members harmed?" asks "harmed", which a
    sentence about his family need not say.
    """
    names = set(name_terms(question.text))
    said = {
        t: w for t, w in at_stake(weight, question).items() if t not in names | REPORTING | TIMELESS
    }
    asked = {t: w for t, w in said.items() if t in question.predicate}
    return asked or said


def at_stake(weight: dict[str, float], question: Question) -> dict[str, float]:
    """The weights of what a side must speak to: without the question's dates and descriptions.

    "the March 2024 attack" dates the subject, and a side need not repeat it ("Russia
    blames Ukraine for the attack"); nor need it say that the government "they promised"
    was promised.
    """
    described = described_terms(question.text)
    return {
        t: w for t, w in weight.items()
        if not is_date_term(t) and not _DAY.fullmatch(t) and t not in described
    }


_DAY = re.compile(r"[0-3]?\d")

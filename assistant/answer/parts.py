"""Questions that ask two things at once, answered part by part.

"How many heroin labs did the DEA take down in 2009, and were they linked to the Taliban?"
is two questions: the second leans on the first ("they" are the labs) and may be answered
by another sentence. Each part is answered on its own, the later ones as follow-ups of the
earlier, and the answers are joined with one numbering of their citations.
"""

from __future__ import annotations

import re

from assistant.answer.kinds import asks_who_said, has_answer_type
from assistant.answer.lexicon import with_synonyms
from assistant.answer.question import Question
from assistant.answer.verify import MARKER, answer_sentences
from assistant.lexical import terms
from assistant.types import Answer, Citation, Conflict

_JOIN = re.compile(
    r"(?:,\s*|\s+)and\s+(?=(?:what|who|whom|whose|when|where|why|how|which|did|does|do|is|was|were|are|has|have|had|"
    r"can|could|will|would)\b)",
    re.IGNORECASE,
)
_MIN_WORDS = 4
"""A first part shorter than this is no question of its own ("Where, and when ...")."""


def split_question(text: str) -> list[str]:
    """The questions ``text`` asks: "(,) and were they ...?" starts a second one.

    Not the "and" of "When and where ...", too early to end a question of its own.
    """
    stripped = text.strip()
    joins = [m for m in _JOIN.finditer(stripped) if len(stripped[: m.start()].split()) >= _MIN_WORDS]
    if len(joins) != 1:
        return [text]
    first, second = stripped[: joins[0].start()].strip(), stripped[joins[0].end() :].strip()
    if len(second.split()) < 2:
        return [text]
    return [first.rstrip(" ,;?") + "?", second[:1].upper() + second[1:]]


def answered_by(part: Question, citations: list[Citation]) -> bool:
    """Whether a cited sentence already answers ``part``.

    It says the part's own words and holds the kind of thing asked for ("Who said so?":
    its speaker).
    """
    own = set(part.own_terms)
    for citation in citations:
        found = with_synonyms(set(terms(citation.quote)))
        if own and len(own & found) < len(own) / 2:
            continue
        if has_answer_type(part, citation.quote) or (asks_who_said(part) and citation.holder):
            return True
    return False


Key = tuple[str, int, int]


UNCOVERED_PART = "The sources do not cover this part of the question:"


def merge_answers(answers: list[Answer], asked: list[str] | None = None) -> Answer:
    """One answer from the answers to a question's parts (``asked``, in the same order).

    Abstaining parts are left out, and named in a note; a sentence two parts share is said
    once; citations are numbered anew in order of use.
    """
    answered = [a for a in answers if not a.abstained]
    pairs = zip(asked, answers, strict=True) if asked else ()
    uncovered = [f"{UNCOVERED_PART} {part}" for part, answer in pairs if answer.abstained]
    if not answered:
        return answers[0]
    if len(answered) == 1:
        return answered[0].model_copy(update={"notes": [*answered[0].notes, *uncovered]})
    by_key: dict[Key, Citation] = {}
    sentences: list[str] = []  # with their markers renumbered: [n] is order[n - 1]
    order: list[Key] = []
    conflicts: list[Conflict] = []
    for answer in answered:
        local = {c.n: _key(c) for c in answer.citations}
        for citation in answer.citations:
            by_key.setdefault(_key(citation), citation)

        def keyed(match: re.Match[str], local: dict[int, Key] = local) -> str:
            key = local[int(match.group(1))]
            if key not in order:
                order.append(key)
            return f"[{order.index(key) + 1}]"

        for sentence in answer_sentences(answer.answer):
            rewritten = MARKER.sub(keyed, sentence)
            if rewritten not in sentences:
                sentences.append(rewritten)
        conflicts += [_renumbered(c, local, order) for c in answer.conflicts]
    return answered[0].model_copy(update={
        "answer": " ".join(sentences),
        "citations": [by_key[k].model_copy(update={"n": i}) for i, k in enumerate(order, start=1)],
        "conflicts": conflicts,
        "notes": [*(note for a in answered for note in a.notes), *uncovered],
        "verification": {"checked": len(order), "removed": 0},
    })


def _key(citation: Citation) -> Key:
    return (citation.document_id, citation.start, citation.end)


def _renumbered(conflict: Conflict, local: dict[int, Key], order: list[Key]) -> Conflict:
    positions = []
    for position in conflict.positions:
        keys = [local[n] for n in position.citations]
        order.extend(k for k in dict.fromkeys(keys) if k not in order)
        positions.append(position.model_copy(update={"citations": [order.index(k) + 1 for k in keys]}))
    return conflict.model_copy(update={"positions": positions})

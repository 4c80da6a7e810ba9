"""Turn retrieved evidence into a briefing: cited sentences, conflicts, or an abstention.

The extractive answerer: every sentence of the answer is a sentence of a document,
with who-said-it made explicit (pronouns resolved, speakers named), and a citation
whose quote is the exact span. Nothing here writes text that a source did not say,
except the fixed lead-ins ("The sources disagree on ...").
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from assistant.answer.agents import differing_agents, value_holder
from assistant.answer.answering import answering, corroborating
from assistant.answer.claims import REPORTER
from assistant.answer.conversation import understand
from assistant.answer.exchanges import bare_answers, challenges, unconfirmed
from assistant.answer.fit import in_period
from assistant.answer.follow import continued
from assistant.answer.gather import retrieve, saying_the_opposite, similarity
from assistant.answer.holders import holder_key
from assistant.answer.lexicon import with_synonyms
from assistant.answer.parts import answered_by, merge_answers, split_question
from assistant.answer.question import YEAR, Question
from assistant.answer.reading import read_document
from assistant.answer.render import Draft, holder_for, plain
from assistant.answer.select import Candidate, candidates, weights
from assistant.answer.sides import opposed, rebuttals, rejections, settle
from assistant.answer.stance import Stand, stands_of
from assistant.answer.values import compared_values, referents, role_noun
from assistant.answer.verify import AMBIGUOUS_LEAD, InvalidAnswer, verify_answer
from assistant.filters import Filters
from assistant.types import Answer, Conflict, Position, Stance, Turn

if TYPE_CHECKING:
    from assistant.briefing import Briefing

log = logging.getLogger(__name__)
CANNOT_ANSWER = "The sources do not cover this."
"""The one phrase for an abstention, shared by the answerer, the prompts and the tests."""
_MAX_POSITION_SENTENCES = 2
_FRAGMENT = 5
"""Fewer words than this make a fragment, cited for a position only after whole statements."""
_SIDE_MARGIN = 0.15
"""How far below the best side-taking sentence another may be and still answer a yes/no question."""
_WIDE, _WIDE_MARGIN = 4, 0.2
"""How many answering sentences, how far below the best, are read for differing values or
several referents (a second figure or a second emir may score lower than the first)."""


def compose_answer(
    text: str, history: list[Turn], filters: Filters, briefing: Briefing, *, debug: bool = False
) -> Answer:
    """The extractive answer to ``text`` from what ``briefing`` retrieves.

    A question asking two things ("How many labs ..., and were they linked to the
    Taliban?") also gets what answers its second part alone, as a follow-up of the first,
    from sentences the whole answer does not cite. When no sentence answers the whole
    (the kind of thing each part wants is in different sentences: "What kind of aircraft
    ..., and how many missiles did it fire?"), each part is answered on its own.
    """
    whole = _compose(text, history, filters, briefing, debug=debug)
    parts = split_question(text)
    if len(parts) == 1:
        return whole
    earlier = [*history, Turn(role="user", content=parts[0])]
    if whole.abstained:
        first = _compose(parts[0], history, filters, briefing, debug=debug)
        answers = [first, _compose(parts[1], earlier, filters, briefing, debug=debug)]
    elif answered_by(understand(parts[1], earlier), whole.citations):
        return whole
    else:
        cited = {(c.document_id, c.start) for c in whole.citations}
        answers = [whole, _compose(parts[1], earlier, filters, briefing, debug=debug, taken=cited)]
    if all(a.abstained for a in answers):
        return whole
    try:
        return verify_answer(merge_answers(answers, [parts[0] if whole.abstained else text, parts[1]]))
    except InvalidAnswer:  # a bug; the whole question's answer stands on its own
        log.exception("joined answer broke an invariant; answering the whole question only",
                      extra={"question": text[:200]})
        return whole


def _compose(
    text: str, history: list[Turn], filters: Filters, briefing: Briefing, *, debug: bool,
    taken: set[tuple[str, int]] | None = None,
) -> Answer:
    """The answer to one question, from sentences other than those ``taken``."""
    question = understand(text, history)
    evidence = retrieve(question, briefing, filters)
    lexical = briefing.retriever.snapshot().lexical
    idf = {t: lexical.idf(t) for t in with_synonyms(set(question.terms))} if lexical else {}
    docs = briefing.documents([(item.document.id, item.document.content_hash) for item in evidence])
    pairs = [(item, read_document(doc)) for item, doc in zip(evidence, docs, strict=True)]
    weight = weights(question, idf)
    close = similarity(briefing, question.query)
    scored = candidates(question, pairs, weight, close)
    if taken:
        scored = [c for c in scored if (c.reading.doc.id, c.start) not in taken]
    answers = answering(question, scored, weight)
    wider = answering(question, scored, weight, limit=_WIDE, margin=_WIDE_MARGIN) if answers else []
    groups = referents(question, wider)
    differing, updates = ([], []) if groups else compared_values(question, wider, holder_for)
    values = [] if groups else differing or differing_agents(question, scored, holder_for)
    updates = [] if values else updates
    trace = [_trace(c) for c in scored[:20]] if debug else None
    answering_ones = wider if groups or values else updates or answers
    if not answering_ones:
        near = Draft()
        for cand in scored[:3]:
            near.cite(cand, None)
        return Answer(answer=CANNOT_ANSWER, abstained=True, near_misses=near.citations, retrieval=trace)
    read = [] if groups or question.kind != "yesno" else [  # only a yes/no question has sides
        c for c in [*scored[:16], *saying_the_opposite(question, scored[16:])] if in_period(question, c)
    ]
    found = [s for c in read for s in stands_of(c, weight, question)] + bare_answers(read, weight, question)
    answered = [*rebuttals(found, weight, question), *rejections(found, weight),
                *unconfirmed(read, found, weight, question)]
    stands = settle(found + answered + challenges(found, weight, question, close))
    sides = {(s.candidate.reading.doc.id, s.candidate.index) for s in stands}
    chosen = continued(question, answering_ones, weight, sides)
    if stands and not opposed(stands):
        if sides_replace_answers(stands, answering_ones):  # else the answering sentences stay
            chosen = side_answers(chosen, stands)
    elif stands and not values:  # a conflict: its sides, and what completes them, not the rest
        aside = {(c.reading.doc.id, c.index) for c in answering_ones} - sides
        chosen = [c for c in chosen if (c.reading.doc.id, c.index) not in aside]
    if groups:  # one group after the other, each opened by what it is about
        chosen = [c for group in groups.values() for c in group]
    elif not values and not opposed(stands):
        chosen = [*chosen, *corroborating(question, chosen, scored, weight)]
    answer = _write(question, chosen, stands, values, trace, _openings(groups) if groups else _dated(updates))
    if groups:
        answer = _apart(question, answer, groups)
    try:
        return verify_answer(answer)
    except InvalidAnswer:  # a bug; the user still gets the best sentence, verified
        log.exception("answer broke an invariant; falling back to its best sentence",
                      extra={"question": text[:200]})
        single = _write(question, chosen[:1], [], [], trace)
        return verify_answer(single.model_copy(update={"notes": [_DEGRADED]}))


def sides_replace_answers(stands: list[Stand], answering: list[Candidate]) -> bool:
    """Whether the sides taken answer a yes/no question in place of the best answering sentences.

    A side shown by a claim or a denial does, and any side an answering sentence takes. A
    sentence that only shares the question's words ("an airstrike killed the emir of an
    associated force in Syria", after bullets on Somalia, for "Does the US still have troops
    in Somalia?") and answers less well than others does not push them out.
    """
    keys = {(c.reading.doc.id, c.index) for c in answering}
    return any(s.marked or (s.candidate.reading.doc.id, s.candidate.index) in keys for s in stands)


def side_answers(chosen: list[Candidate], stands: list[Stand]) -> list[Candidate]:
    """The sentences that answer a yes/no question: those that take a side, best first.

    "Our vote does not represent a shift in our policy". At most two, within
    ``_SIDE_MARGIN`` of the best; sentences that take no side are left out.
    """
    sides: dict[tuple[str, int], Candidate] = {}
    for stand in sorted(stands, key=lambda s: -s.candidate.score):
        sides.setdefault((stand.candidate.reading.doc.id, stand.candidate.index), stand.candidate)
    own = {key: c for key, c in sides.items() if c.reading.speaker(c.start) != REPORTER}
    pool = own or sides  # a reporter's question opens the answer only if no one else takes a side
    best = max(c.score for c in pool.values())
    firsts = {key: c for key, c in pool.items() if c.score >= best - _SIDE_MARGIN}
    firsts = dict(list(firsts.items())[:2])
    others = sides.keys() - firsts.keys()
    return [*firsts.values(), *(c for c in chosen if (c.reading.doc.id, c.index) in others)]


_DEGRADED = "Only the best-supported sentence is shown: the full briefing failed its citation check."


def _write(
    question: Question, chosen: list[Candidate], stands: list[Stand], values: list[tuple[Candidate, str]],
    trace: object, openings: dict[tuple[str, int], str] | None = None,
) -> Answer:
    draft = Draft()
    conflicts: list[Conflict] = []
    used: set[tuple[str, int]] = set()
    prompts = {(s.candidate.reading.doc.id, s.candidate.start): s.prompt for s in stands if s.prompt}

    def asked_first(key: tuple[str, int]) -> None:
        """Before a bare "No, I don't.", the reporter's question it answers, so that it reads."""
        prompt = prompts.get(key)
        if key not in used and prompt is not None and (prompt.reading.doc.id, prompt.start) not in used:
            used.add((prompt.reading.doc.id, prompt.start))
            draft.say(prompt, draft.cite(prompt, holder_for(prompt)))

    if opposed(stands) or values:
        draft.lines.append(f"The sources disagree on {question.topic[:1].lower()}{question.topic[1:]}.")
    if values:
        positions = []
        for cand, value in values:
            n = draft.cite(cand, holder_for(cand))
            used.add((cand.reading.doc.id, cand.start))
            draft.say(cand, n)
            held_by = value_holder(cand, holder_for) or cand.reading.doc.title  # "Russia blames ..."
            positions.append(Position(holder=held_by, stance="affirms", summary=plain(cand), value=value,
                                      citations=[n]))
        conflicts.append(Conflict(topic=question.topic, kind="value", positions=positions))
    if opposed(stands):
        positions = []
        for (holder, stance), group in _positions(stands).items():
            markers: list[int] = []
            sentences = {(s.candidate.reading.doc.id, s.candidate.start): s.candidate for s in group}
            for key, cand in list(sentences.items())[:_MAX_POSITION_SENTENCES]:
                asked_first(key)
                n = draft.cite(cand, holder_for(cand))
                markers.append(n)
                if key not in used:
                    used.add(key)
                    draft.say(cand, n)
            positions.append(Position(holder=holder, stance=stance, summary=plain(group[0].candidate),
                                      citations=markers))
        conflicts.append(Conflict(topic=question.topic, kind="stance", positions=positions))
    for cand in chosen:
        key = (cand.reading.doc.id, cand.start)
        if key not in used:
            asked_first(key)
            used.add(key)
            opening = (openings or {}).get(key, "")
            draft.say(cand, draft.cite(cand, holder_for(cand)), opening)
    return Answer(
        answer=" ".join(draft.lines), abstained=False, citations=draft.citations, conflicts=conflicts,
        verification={"checked": len(draft.citations), "removed": 0},
        retrieval=trace,  # type: ignore[arg-type]
    )


def _openings(groups: dict[str, list[Candidate]]) -> dict[tuple[str, int], str]:
    """'On the emir of al Qaeda: ' before the first sentence of each group named by a description.

    Groups named by their speaker need none: their sentences open with who said them.
    """
    return {(g[0].reading.doc.id, g[0].start): f"On {'' if label[:1].isupper() else 'the '}{label}: "
            for label, g in groups.items()
            if not g[0].reading.speaker(g[0].start) or label != g[0].reading.speaker(g[0].start)}


def _dated(updates: list[Candidate]) -> dict[tuple[str, int], str]:
    """'In 2022, ' before each of one holder's figures from documents of different dates."""
    dates = [c.reading.doc.published for c in updates]
    years = [m.group() for m in map(YEAR.search, dates) if m]
    if len(years) < len(dates):
        return {}
    when = years if len(set(years)) == len(years) else dates  # two in one year: their dates
    return {(c.reading.doc.id, c.start): f"In {w}, " for c, w in zip(updates, when, strict=True)}


def _apart(question: Question, answer: Answer, groups: dict[str, list[Candidate]]) -> Answer:
    """Say that the question's subject names several things, and which sentence is about which."""
    noun = role_noun(question) or "thing"
    by_key = {(c.document_id, c.start): c.n for c in answer.citations}
    notes = [f"“{noun}” refers to more than one in the sources; each is answered apart:"]
    for label, group in groups.items():
        markers = "".join(f"[{by_key[(c.reading.doc.id, c.start)]}]" for c in group if (c.reading.doc.id, c.start) in by_key)
        notes.append(f"{label} {markers}")
    lead = f"{AMBIGUOUS_LEAD} {noun}."
    return answer.model_copy(update={"answer": f"{lead} {answer.answer}", "notes": [*answer.notes, *notes]})


def _positions(stands: list[Stand]) -> dict[tuple[str, Stance], list[Stand]]:
    groups: dict[tuple[str, Stance], list[Stand]] = {}
    names: dict[tuple[str, Stance], str] = {}
    for stand in stands:
        key = (holder_key(stand.holder), stand.stance)
        if len(stand.holder) > len(names.get(key, "")):  # the fullest description, e.g. "..., citing UN reports"
            names[key] = stand.holder
        groups.setdefault(key, []).append(stand)
    for group in groups.values():  # whole statements before fragments ("No connection to Ukraine."),
        group.sort(key=lambda s: (len(s.candidate.text.split()) < _FRAGMENT, not s.rebuttal))  # answers first
    order = {"affirms": 0, "denies": 1, "qualifies": 2}
    return {(names[k], k[1]): groups[k] for k in sorted(groups, key=lambda k: order[k[1]])}


def _trace(cand: Candidate) -> dict[str, object]:
    return {"document_id": cand.reading.doc.id, "start": cand.start, "end": cand.end,
            "coverage": round(cand.coverage, 3), "score": round(cand.score, 3), "sim": round(cand.similarity, 3), "text": cand.text[:200]}

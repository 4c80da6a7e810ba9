"""Sides read across sentences: a speaker's rebuttal of a claim they report, and a rejection
of "these allegations" near one. On invented documents."""

from __future__ import annotations

from assistant.answer.conversation import understand
from assistant.answer.question import Question
from assistant.answer.reading import Reading
from assistant.answer.select import weights
from assistant.answer.sides import rebuttals, rejections, settle
from assistant.answer.stance import Stand, stands_of
from tests.answer_support import make_reading, score_sentences


def _read(question: str, reading: Reading) -> tuple[list[Stand], dict[str, float], Question]:
    """The stances single sentences show, as the answerer reads them before judging them together."""
    q = understand(question, [])
    weight = weights(q, {})
    return [s for c in score_sentences(question, reading) for s in stands_of(c, weight, q)], weight, q


def _sides(stands: list[Stand]) -> set[tuple[str, str]]:
    return {(s.holder, s.stance) for s in settle(stands)}


def test_a_speaker_answering_a_claim_they_report_takes_the_other_side() -> None:
    reading = make_reading(
        "Mr. PALLONE. In October, President Ward said that the Red Brigade is on the run. The fact is "
        "that attacks by the group have doubled. The harvest was good.\n"
    )
    found, weight, q = _read("Is the Red Brigade on the run?", reading)
    assert [(s.holder, s.stance) for s in found] == [("President Ward", "affirms")]
    rebutting = rebuttals(found, weight, q)
    assert [(s.holder, s.stance, s.candidate.text) for s in rebutting] == [
        ("Mr. Pallone", "denies", "The fact is that attacks by the group have doubled.")
    ]
    assert _sides(found + rebutting) == {("President Ward", "affirms"), ("Mr. Pallone", "denies")}


def test_who_rejects_these_allegations_denies_what_the_last_claimant_claimed() -> None:
    story = (
        "Anna Berg, the spokesperson of Estland, rejected the allegations. "
        "Karl Dorn said that the flood in Port Lyle was caused by Estland's dams. "
        "Dorn further claimed that Estland funds the smugglers. "
        "He also alleged that Estland jails reporters. "
        "Responding on the radio, Berg dismissed these allegations and pointed to the rain. "
        "Ola Nord claimed that Sylvania trains the smugglers. "
        "Berg described the claims as baseless.\n"
    )
    found, weight, _ = _read("Was the flood in Port Lyle caused by Estland's dams?", make_reading(story))
    assert [(s.holder, s.stance) for s in found] == [("Karl Dorn", "affirms")]
    rejecting = rejections(found, weight)
    # The first sentence rejects allegations before any is reported, the last those of Ola Nord.
    assert [(s.holder, s.stance, s.candidate.text) for s in rejecting] == [
        ("Anna Berg", "denies", story.split(". ")[4] + ".")
    ]
    assert _sides(found + rejecting) == {("Karl Dorn", "affirms"), ("Anna Berg", "denies")}


def test_a_side_that_only_shares_the_words_does_not_push_out_better_answers() -> None:
    from assistant.answer.compose import sides_replace_answers

    reading = make_reading(
        "In Estland, the President recommitted to a persistent presence of troops in Sylvania.\n"
        "Most recently, an airstrike by Estland killed the emir of a group in Orland.\n",
        speaker="Ana Vidal, adviser of Estland",
    )
    answer, other = sorted(score_sentences("Does Estland still have troops in Sylvania?", reading),
                           key=lambda c: c.index)
    unmarked = Stand(other, "Ana Vidal", "affirms", marked=False)
    assert not sides_replace_answers([unmarked], [answer])
    assert sides_replace_answers([unmarked], [answer, other])  # an answering sentence's side answers
    assert sides_replace_answers([Stand(other, "Ana Vidal", "denies")], [answer])  # so does a denial


def test_the_opposite_of_the_predicate_said_of_something_else_takes_no_side() -> None:
    text = ("The Brigade recruited in the hills last year.  "
            "The council heard the assessment, which continued to strengthen every day.  "
            "Ana Vidal said the Brigade is gaining strength in the hills.")
    found, _, _ = _read("Is the Brigade weaker today?", make_reading(text, speaker="Ana Vidal"))
    assert {(s.stance, s.candidate.text[:16]) for s in found} == {("denies", "Ana Vidal said t")}

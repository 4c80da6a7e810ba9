"""Questions that ask two things: split, answered part by part, joined with one numbering."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer import verify_answer
from assistant.answer.conversation import understand
from assistant.answer.parts import UNCOVERED_PART, answered_by, merge_answers, split_question
from assistant.briefing import Briefing
from assistant.settings import Settings
from assistant.types import Answer, Citation, Conflict, Document, Position, Turn
from ingest.pipeline import Indexer


def test_a_second_question_after_and_is_split_off() -> None:
    assert split_question("How many labs did the Brigade run in 2009, and were they linked to Sylvania?") == [
        "How many labs did the Brigade run in 2009?", "Were they linked to Sylvania?"
    ]
    assert split_question("Which report did Berg cite, and when was it published?") == [
        "Which report did Berg cite?", "When was it published?"
    ]
    # ... or after a plain "and".
    assert split_question("What came of the raid in Port Lyle — casualties and what was seized?") == [
        "What came of the raid in Port Lyle — casualties?", "What was seized?"
    ]
    assert split_question("When and where was Karl Dorn seized, and where is he facing trial?") == [
        "When and where was Karl Dorn seized?", "Where is he facing trial?"
    ]
    # One question: too short a first part, or "and" joining names.
    assert split_question("Where and when was Karl Dorn killed?") == ["Where and when was Karl Dorn killed?"]
    joined = "Did Estland and Sylvania sign the accord?"
    assert split_question(joined) == [joined]
    assert split_question("Who, and why?") == ["Who, and why?"]
    assert split_question("Did Estland, and Sylvania, sign it?") == ["Did Estland, and Sylvania, sign it?"]


def _cite(n: int, start: int, quote: str, holder: str | None = None) -> Citation:
    return Citation(n=n, document_id="d", title="t", source="s", published="", start=start,
                    end=start + len(quote), quote=quote, holder=holder)


def test_merged_answers_number_citations_anew_and_say_a_shared_sentence_once() -> None:
    a, b = _cite(1, 0, "Labs were run."), _cite(2, 20, "Sylvania armed them.")
    c = _cite(3, 40, "Not so.")
    first = Answer(answer="Labs were run [1].", abstained=False, citations=[a])
    second = Answer(
        answer="The sources disagree on whether Sylvania armed them. Labs were run [2]. "
               "Sylvania armed them [1]. Not so [3].",
        abstained=False,
        citations=[b.model_copy(update={"n": 1}), a.model_copy(update={"n": 2}), c],
        conflicts=[Conflict(topic="Whether Sylvania armed them", positions=[
            Position(holder="Ola Nord", stance="affirms", summary="...", citations=[1]),
            Position(holder="Anna Berg", stance="denies", summary="...", citations=[3])])],
    )
    merged = verify_answer(merge_answers([first, second]))
    assert merged.answer == (
        "Labs were run [1]. The sources disagree on whether Sylvania armed them. "
        "Sylvania armed them [2]. Not so [3]."
    )
    assert [(x.n, x.quote) for x in merged.citations] == [(1, a.quote), (2, b.quote), (3, c.quote)]
    assert [p.citations for p in merged.conflicts[0].positions] == [[2], [3]]
    abstained = Answer(answer="The sources do not cover this.", abstained=True)
    assert merge_answers([first, abstained]) == first


def test_a_part_is_answered_by_a_sentence_with_its_words_and_its_kind() -> None:
    earlier = [Turn(role="user", content="How many fighters are in the valleys?")]
    said = [_cite(1, 0, "Over 2,000 fighters are in the valleys.", holder="Mr. Pallone")]
    assert answered_by(understand("Who said so?", earlier), said)
    linked = understand("Were they linked to Sylvania?", earlier)
    assert not answered_by(linked, said)
    assert answered_by(linked, [_cite(1, 0, "All of them had ties to Sylvania.")])
    # "intending to buy rockets" says what he planned: no other sentence is needed.
    convicted = [Turn(role="user", content="What sentence did Karl Dorn get?")]
    planned = understand("What had he planned to do with the money?", convicted)
    sentenced = _cite(1, 0, "Dorn got life for selling heroin and intending to buy rockets.")
    assert answered_by(planned, [sentenced])


REPORT = (
    "Ola Nord said the Red Brigade ran 25 heroin labs in Estland in 2009.\n"
    "All of them had ties to Sylvania.\n"
    "The harvest in the northern valleys was good this year.\n"
)
ASKED = "How many heroin labs did the Red Brigade run in Estland in 2009"


def _indexed(tmp_path: Path, text: str) -> Briefing:
    b = Briefing(Settings(index_dir=tmp_path / "idx", embedder="fake"))
    Indexer(b.store, b.embedder).index([Document(id="r.txt", title="Report", text=text)])
    b.retriever.invalidate()
    return b


def _labs(tmp_path: Path) -> Briefing:
    return _indexed(tmp_path, REPORT)


def test_the_second_part_is_answered_from_another_sentence(tmp_path: Path) -> None:
    b, report = _labs(tmp_path), REPORT
    asked = ASKED
    answer = b.ask(f"{asked}, and were they linked to Sylvania?")
    assert [c.quote for c in answer.citations] == report.splitlines()[:2]
    alone = b.ask(f"{asked}?")
    assert [c.quote for c in alone.citations] == report.splitlines()[:1]


def test_a_joined_answer_that_breaks_an_invariant_falls_back_to_the_whole_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from assistant.answer import compose

    def broken(answers: list[Answer], asked: list[str]) -> Answer:
        return answers[0].model_copy(update={"answer": "Labs were run [9]."})

    monkeypatch.setattr(compose, "merge_answers", broken)
    answer = _labs(tmp_path).ask(f"{ASKED}, and were they linked to Sylvania?")
    assert [c.quote for c in answer.citations] == REPORT.splitlines()[:1]
    assert "answering the whole question only" in caplog.text


DEPARTURE = (
    "Ola Nord said the Red Brigade ran 25 heroin labs in Estland.\n"
    "The Red Brigade left Estland in March.\n"
    "The harvest in the northern valleys was good this year.\n"
)


def _departure(tmp_path: Path) -> Briefing:
    return _indexed(tmp_path, DEPARTURE)


def test_parts_no_one_sentence_answers_together_are_answered_each_on_its_own(tmp_path: Path) -> None:
    b = _departure(tmp_path)
    asked = "When did the Red Brigade leave Estland, and how many heroin labs did it run there?"
    answer = b.ask(asked)
    assert not answer.abstained
    assert [c.quote for c in answer.citations] == DEPARTURE.splitlines()[1::-1]
    assert answer.notes == []
    assert b.ask(asked.replace(", and", " and")).citations == answer.citations  # no comma, the same parts


def test_a_part_the_sources_do_not_cover_is_named_in_a_note(tmp_path: Path) -> None:
    asked = "When did the Red Brigade leave Estland, and how many tanks did it own?"
    answer = _departure(tmp_path).ask(asked)
    assert [c.quote for c in answer.citations] == [DEPARTURE.splitlines()[1]]
    assert answer.notes == [f"{UNCOVERED_PART} How many tanks did it own?"]

"""Block quotes: the paragraphs a speaker reads out as someone else's words, on invented records."""

from __future__ import annotations

import pytest

from assistant.answer.quotes import block_quotes
from assistant.sentences import sentence_spans
from tests.answer_support import answered, make_reading, score_sentences

RECORD = (
    "Mrs. NORD. Mr. President, smuggling funds the Red Brigade.\n\n"
    "On March 16 at the Armed Services Committee hearing General Alma Reyes testified that:\n\n\n\n\n"
    " Another part of our strategy is to disrupt smuggling \n\n\n"
    " that funds the insurgency.\n\n\n"
    "I agree with the general.\n"
)


def quotes(text: str) -> list[tuple[str, str]]:
    """(who, quoted text) of each block quote."""
    return [(who, " ".join(text[s:e].split())) for s, e, who in block_quotes(text, sentence_spans(text))]


def test_an_indented_quote_is_the_quoted_persons_until_the_text_runs_flush_again() -> None:
    quoted = "Another part of our strategy is to disrupt smuggling that funds the insurgency."
    assert quotes(RECORD) == [("General Alma Reyes", quoted)]
    reading = make_reading(RECORD, speaker="Ola Nord")
    assert reading.speaker(RECORD.index("Another part")) == "General Alma Reyes"
    assert reading.speaker(RECORD.index("that funds")) == "General Alma Reyes"
    assert reading.speaker(RECORD.index("I agree")) == "Mrs. Nord"


@pytest.mark.parametrize(
    ("intro", "who"),
    [
        ("Karl Dorn, Ambassador to Estland, told the caucus that:", "Karl Dorn"),
        ("The director of the Office of Drugs, Anna Maria Berg had this to say:", "Anna Maria Berg"),
        ("The Government Accountability Office reported in March that:", "Government Accountability Office"),
        ("Attorney General Ola Holm told me this when I asked him:", "Attorney General Ola Holm"),
        ("In October Michael Brun, former chief of operations, said:", "Michael Brun"),
        ("The smuggler Karl Dorn was recorded on a tape saying:", "Karl Dorn"),
    ],
)
def test_the_quoted_person_is_who_the_intro_names_last_before_its_verb(intro: str, who: str) -> None:
    text = f"Mrs. NORD. Smuggling grows.\n\n{intro}\n\n “We will stop it.”\n\nThat is all.\n"
    assert quotes(text) == [(who, "“We will stop it.”")]


def test_a_colon_without_an_indented_paragraph_after_it_quotes_no_one() -> None:
    text = "Mrs. NORD. The general testified that:\nSmuggling funds the Brigade.\n\nThat is all.\n"
    assert quotes(text) == []
    text = "Mrs. NORD. Here is why we need helicopters:\n\n They fly at night.\n"
    assert quotes(text) == []  # no one reported as saying it


def test_an_answer_goes_on_from_the_intro_into_the_quote_and_renders_each_speaker() -> None:
    from assistant.answer.render import render

    question = "What did General Reyes testify at the hearing about smuggling?"
    got = answered(question, RECORD, speaker="Ola Nord")
    assert [" ".join(t.split()) for t in got] == [
        "On March 16 at the Armed Services Committee hearing General Alma Reyes testified that:",
        "Another part of our strategy is to disrupt smuggling that funds the insurgency.",
    ]
    reading = make_reading(RECORD, speaker="Ola Nord")
    scored = {c.text: c for c in score_sentences("What did General Reyes testify?", reading)}
    quoted = next(c for text, c in scored.items() if text.startswith("Another part"))
    assert render(quoted, 2).startswith("General Alma Reyes said: “Another part")

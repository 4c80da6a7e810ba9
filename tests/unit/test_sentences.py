"""Sentence boundaries as exact spans, for plain, hard-wrapped and badly broken text."""

from __future__ import annotations

import textwrap
from pathlib import Path

from assistant.sentences import is_hard_wrapped, sentence_spans
from ingest.loaders import SourceFile, load_file

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _seed_text(pattern: str) -> str:
    (doc,) = load_file(SourceFile(next(SEEDS.glob(pattern)), SEEDS)).documents
    return doc.text


def texts(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[s:e] for s, e in spans]


def test_sentence_spans_plain_text_are_exact_and_keep_abbreviations() -> None:
    text = (
        "  Mr. Smith met Dr. Jones in Kabul.  The U.S. Embassy was closed!\n"
        "Was it safe? “Not at all,” he said. Gen. Miller left at 5 p.m. on Monday.\n"
    )
    spans = sentence_spans(text)
    assert texts(text, spans) == [
        "Mr. Smith met Dr. Jones in Kabul.",
        "The U.S. Embassy was closed!",
        "Was it safe?",
        "“Not at all,” he said.",
        "Gen. Miller left at 5 p.m. on Monday.",
    ]
    assert spans == sorted(spans)
    assert all(s < e for s, e in spans)


def test_sentence_spans_split_every_line_of_unwrapped_text() -> None:
    text = "Heading without a full stop\nFirst paragraph ends here.\nSecond one too"
    assert texts(text, sentence_spans(text)) == [
        "Heading without a full stop",
        "First paragraph ends here.",
        "Second one too",
    ]


def test_sentence_spans_rejoin_a_sentence_broken_by_a_spurious_break() -> None:
    # A double-spaced quotation (blank line after every line) and a page break mid-line.
    double = _wrapped([" ".join(s) for s in WRAPPED_SENTENCES]) + (
        "\n Another major component of our strategy is to disrupt \n\n\n narcotics trafficking, "
        "which provides \n\n\n significant funding to the Taliban. This money has been the 'oxygen' "
        "\n\n\n in the air.\n"
    )
    assert is_hard_wrapped(double)
    found = [" ".join(t.split()) for t in texts(double, sentence_spans(double))]
    assert found[-2:] == [
        "Another major component of our strategy is to disrupt narcotics trafficking, "
        "which provides significant funding to the Taliban.",
        "This money has been the 'oxygen' in the air.",
    ]
    paged = "We commemorated the signing\nA/70/PV.25 02/10/2015\nof the Memorandum. Then we left.\nNew line."
    dangling = (
        "Kashmir is the key to peace between\nPakistan and India.\nOne, reverse the measures; and\nTwo, talk."
    )
    assert texts(dangling, sentence_spans(dangling)) == [
        "Kashmir is the key to peace between\nPakistan and India.",
        "One, reverse the measures; and\nTwo, talk.",
    ]
    assert texts(paged, sentence_spans(paged)) == [
        "We commemorated the signing",
        "A/70/PV.25 02/10/2015\nof the Memorandum.",
        "Then we left.",
        "New line.",
    ]


def _wrapped(paragraphs: list[str], width: int = 72) -> str:
    return "\n\n".join(textwrap.fill(p, width=width) for p in paragraphs) + "\n"


WRAPPED_SENTENCES = [
    [
        "The representative of the United States said that the situation on the ground was still "
        "evolving and that the commanders were being updated every hour.",
        "Mr. Kirby added that the airlift would continue through the weekend and that more flights "
        "were expected to leave from the airport before the deadline set by the President.",
    ],
    [
        "Officials in Washington said the group known as ISIS-K had claimed the attack on the gate "
        "of the airport.",
        "They said the U.S. Government would respond at a time and place of its choosing and that "
        "the mission to evacuate citizens and partners would not be deterred.",
    ],
    [
        "A final paragraph repeats that the evacuation continues without interruption and that the "
        "numbers of people flown out each day are published by the Department of Defense.",
    ],
]


def test_sentence_spans_join_hard_wrapped_lines() -> None:
    text = _wrapped([" ".join(sentences) for sentences in WRAPPED_SENTENCES])
    assert is_hard_wrapped(text)
    spans = sentence_spans(text)
    expected = [s for sentences in WRAPPED_SENTENCES for s in sentences]
    assert [" ".join(t.split()) for t in texts(text, spans)] == expected
    assert any("\n" in t for t in texts(text, spans)), "some sentence should span a line break"
    for s, e in spans:
        assert not text[s].isspace() and not text[e - 1].isspace()
    # Treated as unwrapped, a line that starts with a name breaks its sentence: wrapping
    # detection matters.
    named = "\n\n".join(["The mission will go on, said the spokesman for Defense Secretary\n"
                          "James Miller on a call with reporters this morning, and the capital will\n"
                          "decide on the next steps after the meeting."] * 8)
    assert is_hard_wrapped(named)
    assert len(sentence_spans(named)) == 8 < len(sentence_spans(named, wrapped=False))


def test_is_hard_wrapped_on_the_seed_corpus() -> None:
    assert is_hard_wrapped(_seed_text("briefing/A09*.md"))
    assert not is_hard_wrapped(_seed_text("*.txt"))

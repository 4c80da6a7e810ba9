"""How a cited sentence reads: speakers named, markup dropped, markers placed, labels left out.

On invented documents read directly (no index, no model).
"""

from __future__ import annotations

from assistant.answer.claims import speaker_turns, titled_speaker
from assistant.answer.render import Draft, plain, readable, render
from assistant.answer.verify import MARKER, answer_sentences
from tests.answer_support import make_reading, score_sentences


def test_congressional_record_speakers_are_turns() -> None:
    text = "Mr. PALLONE. Mr. Speaker, I rise today.\nMrs. FEINSTEIN. Mr. President, the caucus met."
    assert [label for _, label in speaker_turns(text)] == ["Mr. PALLONE", "Mrs. FEINSTEIN"]
    assert make_reading(text).speaker(len(text) - 3) == "Mrs. Feinstein"


def test_a_speech_without_a_speaker_field_is_given_by_whom_its_title_names() -> None:
    text = "Good morning.  As a result, Sunday is the deadline before which we will have left Estland."
    reading = make_reading(text, title="Remarks by Dr. Ana Vidal for the Harbour Summit on Ports")
    assert reading.speaker(text.index("As a result")) == "Dr. Ana Vidal"
    rendered = render(score_sentences("When will the troops leave Estland?", reading)[0], 1)
    assert rendered.startswith("Dr. Ana Vidal said: “As a result")
    assert titled_speaker("Statement by the Press Secretary on Estland") == "The Press Secretary"
    # The speaker field comes first; a press call, two speakers or a report name no one.
    assert make_reading(text, title="Remarks by Dr. Ana Vidal", speaker="Ana Vidal, Adviser").speaker(0) == (
        "Ana Vidal, Adviser")
    for title in ("Background Press Call by a Senior Official on Estland", "Remarks by Ana Vidal and Tom Orr",
                  "Estland rejects the remarks by Sylvania"):
        assert make_reading(text, title=title).speaker(0) is None


def test_a_quoted_sentence_ending_in_its_own_quote_keeps_its_marker() -> None:
    reading = make_reading(
        "Mr. PALLONE. Mr. Speaker, last week the director said that the Red Brigade "
        "''continues to plot attacks from Freedonia.''\nThe harvest was good."
    )
    cand = score_sentences("Does the Red Brigade plot attacks from Freedonia?", reading)[0]
    rendered = render(cand, 3)
    assert rendered.startswith("Mr. Pallone said: “") and rendered.endswith("” [3].")
    assert answer_sentences(rendered) == [rendered]


def test_transcript_questions_are_the_reporters_and_labels_are_not_quoted() -> None:
    text = (
        "MR. KIRBY:\xa0 Good afternoon, everybody.\n"
        "Q\xa0\xa0\xa0 Estland is obviously blaming Sylvania for the attack on the river ports.\n"
        "Was Sylvania behind the attack on the river ports?\n"
        "MR. KIRBY:\xa0 There was no linkage to Sylvania in the attack on the river ports."
    )
    reading = make_reading(text)
    assert reading.speaker(text.index("Estland")) == "A reporter"
    assert reading.speaker(text.index("There was")) == "Mr. Kirby"
    scored = score_sentences("Was Sylvania behind the attack on the river ports?", reading)
    rendered = {render(c, 1) for c in scored}
    assert (
        "A reporter said: “Estland is obviously blaming Sylvania for the attack on the river ports” [1]."
        in rendered
    )
    assert "A reporter asked: “Was Sylvania behind the attack on the river ports?” [1]." in rendered
    assert (
        "Mr. Kirby said: “There was no linkage to Sylvania in the attack on the river ports” [1]." in rendered
    )


def test_an_answer_reads_a_sentence_without_its_markup_and_its_citation_keeps_it() -> None:
    text = (
        "MR. KIRBY:\xa0 The Red Brigade has assessed <s>has</s> \\[was\\] behind the **attack on the river "
        "ports**<sup>4</sup> [2], on the 7<sup>th</sup>.\nThe harvest was good."
    )
    cand = score_sentences("Who was behind the attack on the river ports?", make_reading(text))[0]
    rendered = render(cand, 1)
    assert rendered == (
        "Mr. Kirby said: “The Red Brigade has assessed [was] behind the attack on the river ports, "
        "on the 7th” [1]."
    )
    assert MARKER.findall(rendered) == ["1"]  # the source's footnote "[2]" is no citation marker
    assert "<s>has</s>" in cand.text and "**attack" in cand.text


def test_markup_stays_when_without_it_a_sentence_would_read_as_two() -> None:
    kept = "The Red Brigade left.<br>Ola Nord stayed"
    assert readable(f"{kept} [4].") == f"{kept}."
    assert readable("The Red Brigade <b>left</b> Estland.") == "The Red Brigade left Estland."


def test_a_speakers_second_sentence_in_a_row_names_them_shortly() -> None:
    speech = "The Red Brigade left the river ports in March. The Red Brigade plots attacks from Freedonia."
    reading = make_reading(speech, speaker="Ola Nord, Foreign Minister of Estland")
    first, second = sorted(score_sentences("Did the Red Brigade leave the river ports?", reading),
                           key=lambda c: c.start)
    assert render(second, 2, after=first).startswith("Ola Nord also said: “The Red Brigade plots")
    assert render(second, 2).startswith("Ola Nord, Foreign Minister of Estland said: “The Red Brigade plots")
    later = make_reading(f"{speech} Years later.", speaker="Ola Nord, Foreign Minister of Estland")
    opening = min(score_sentences("Did the Red Brigade leave?", later), key=lambda c: c.start)
    assert render(opening, 3, after=second).startswith("Ola Nord also said: “")  # another speech of hers
    other = make_reading(speech, speaker="Karl Dorn")
    assert render(min(score_sentences("Did the Red Brigade leave?", other), key=lambda c: c.start), 3,
                  after=second).startswith("Karl Dorn said: “")


def test_a_reports_he_and_his_read_as_whom_they_stand_for() -> None:
    text = (
        "The spokesperson of Estland, Ola Nord, has rejected the claims of the Red Brigade.\n"
        "He described the claims as an attempt to deflect attention from the river ports.\n"
        "In his view, the Red Brigade plots attacks from Freedonia.\n"
    )
    reading = make_reading(text)
    by_start = {c.start: c for c in score_sentences("What did Ola Nord say about the Red Brigade?", reading)}
    described, view = (by_start[text.index(s)] for s in ("He described", "In his view"))
    assert plain(described).startswith("Ola Nord described the claims")
    assert plain(view).startswith("In Ola Nord’s view, the Red Brigade")


def test_a_citation_in_a_transcript_quotes_the_words_not_the_speakers_label() -> None:
    answer = "There was no linkage to Sylvania in the attack."
    text = f"Q\xa0\xa0\xa0 Was Sylvania behind it?\nMR. KIRBY:\xa0 {answer}"
    reading = make_reading(text)
    cand = next(c for c in score_sentences("Was Sylvania behind the attack?", reading) if "linkage" in c.text)
    draft = Draft()
    citation = draft.citations[draft.cite(cand, None) - 1]
    assert citation.quote == answer
    assert text[citation.start : citation.end] == citation.quote

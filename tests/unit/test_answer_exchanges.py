"""A press briefing's exchanges: a bare "No" answers the reporter's question, and a reporter's
framing is the other side of the official's denial. Invented transcripts, no index or model."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from assistant.answer.conversation import understand
from assistant.answer.exchanges import bare_answers, challenges, unconfirmed
from assistant.answer.reading import Reading
from assistant.answer.select import weights
from assistant.answer.sides import opposed, settle
from assistant.answer.stance import Stand, stands_of
from assistant.briefing import Briefing
from assistant.settings import Settings
from assistant.types import Document
from ingest.pipeline import Indexer
from tests.answer_support import make_reading, score_sentences

MISTAKE = "Was it a mistake to rely on the Brigade to guard the bridge at Port Lyle?"


ASKED = "Do you feel like there was a mistake made in that regard?"


def _exchange(answer: str, asked: str = ASKED) -> Reading:
    return make_reading(
        "MR. ODEN:\xa0 Good afternoon, everybody.\n\n"
        "Q\xa0\xa0\xa0 Thank you, sir.  There has been some criticism, even from your own party, "
        f"about relying on the Brigade to guard the bridge at Port Lyle.  {asked}\n\n"
        f"MR. ODEN:\xa0 {answer}  The Brigade did what was asked of it.\n"
    )


def _bare(question: str, reading: Reading) -> list[tuple[str, str, str]]:
    q = understand(question, [])
    found = bare_answers(score_sentences(question, reading), weights(q, {}), q)
    return [(s.holder, s.stance, s.candidate.text) for s in found]


def test_a_bare_no_denies_what_the_reporter_asked() -> None:
    [(holder, stance, said)] = _bare(MISTAKE, _exchange("No, I don’t."))
    assert (holder, stance) == ("Mr. Oden", "denies") and said.startswith("MR. ODEN:\xa0 No, I don’t.")
    q = understand(MISTAKE, [])
    [stand] = bare_answers(score_sentences(MISTAKE, _exchange("No, I don’t.")), weights(q, {}), q)
    assert stand.prompt is not None and stand.prompt.text == ASKED  # said before it, so that it reads
    [(holder, stance, said)] = _bare(MISTAKE, _exchange("Yes, it was.  We said so at the time."))
    assert (holder, stance) == ("Mr. Oden", "affirms") and said.startswith("MR. ODEN:\xa0 Yes, it was.")
    assert _bare(MISTAKE, _exchange("Yeah, look, we did what we had to do.")) == []  # "Yeah" only opens it


def test_a_bare_answer_to_another_question_takes_no_side() -> None:
    # The reporter asked about travel: "No" says nothing about the mistake.
    off_topic = make_reading(
        "MR. ODEN:\xa0 Good afternoon.\n\nQ\xa0\xa0\xa0 Will you travel to Estland next week?\n\n"
        "MR. ODEN:\xa0 No, I won’t.  The schedule is full.\n"
    )
    assert _bare(MISTAKE, off_topic) == []
    # "No" in the middle of an answer, or in a speech, answers no reporter.
    speech = make_reading("Relying on the Brigade to guard the bridge at Port Lyle was wrong.  No, worse.")
    assert _bare(MISTAKE, speech) == []


def _similar(value: float):  # type: ignore[no-untyped-def]
    return lambda sentences: np.full(len(sentences), value, dtype=np.float32)


SHIFT = "Has the policy on the river ports shifted?"


def _sides(reading: Reading, similarity: float = 0.6) -> tuple[list[Stand], list[Stand]]:
    q = understand(SHIFT, [])
    weight = weights(q, {})
    found = [s for c in score_sentences(SHIFT, reading) for s in stands_of(c, weight, q)]
    return found, challenges(found, weight, q, _similar(similarity))


GAGGLE = (
    "MR. ODEN:\xa0 Good afternoon.\n\n"
    "Q\xa0\xa0\xa0 A month ago, the language on the river ports was “we need to see a plan,” and the "
    "language today is “we oppose any offensive on the river ports.”  Can you talk about the shift?\n\n"
    "MR. ODEN:\xa0 Again, no shift in our policy on the river ports.  We said the same a month ago.\n"
)


def test_a_reporters_framing_is_the_other_side_of_the_officials_denial() -> None:
    found, framed = _sides(make_reading(GAGGLE))
    assert [(s.holder, s.stance) for s in found] == [("Mr. Oden", "denies")]
    assert [(s.holder, s.stance, s.candidate.text.split("  ")[0]) for s in framed][0] == (
        "A reporter", "affirms", GAGGLE[GAGGLE.index("Q") : GAGGLE.index("  Can you")]
    )
    settled = settle(found + framed)
    assert opposed(settled) and {s.holder for s in settled} == {"Mr. Oden", "A reporter"}


def test_no_framing_when_the_reporter_only_asks_or_puts_the_officials_words_back() -> None:
    asks_only = GAGGLE.replace(GAGGLE[GAGGLE.index("A month ago") : GAGGLE.index("Can you")], "")
    assert _sides(make_reading(asks_only))[1] == []
    put_back = GAGGLE.replace("A month ago, the language", "You said a month ago that the language")
    assert _sides(make_reading(put_back))[1] == []
    relayed = GAGGLE.replace("A month ago, the language", "Estland is saying that the language")
    assert _sides(make_reading(relayed))[1] == []
    # Far in meaning from the question, the reporter's words frame nothing.
    assert _sides(make_reading(GAGGLE), similarity=0.2)[1] == []


def test_an_officials_answer_after_a_request_to_repeat_answers_the_first_asking() -> None:
    repeated = GAGGLE.replace(
        "MR. ODEN:\xa0 Again,",
        "MR. ODEN:\xa0 Sorry, can you repeat that?\n\nQ\xa0\xa0\xa0 Can you talk about it?\n\n"
        "MR. ODEN:\xa0 Again,",
    )
    found, framed = _sides(make_reading(repeated))
    assert [(s.holder, s.stance) for s in framed][0] == ("A reporter", "affirms")
    assert "A month ago" in framed[0].candidate.text


def test_an_officials_answer_is_on_what_the_reporter_asked() -> None:
    """"There's no change in our policy here" names nothing: the question it answers does."""
    question = "Does the abstention on the Sylvania resolution in the council mean a change in policy?"
    answer = "As I said at the top, there’s no change in our policy here."
    gaggle = make_reading(
        "MR. ODEN:\xa0 Good afternoon.\n\n"
        "Q\xa0\xa0\xa0 Today you abstained on the Sylvania resolution in the council.  I want to push you "
        "on that.  Before, that would have been a non-starter.  Why now?\n\n"
        f"MR. ODEN:\xa0 Okay, I think I got the gist of it.\n\n{answer}  We want the fighting to stop.\n"
    )
    q = understand(question, [])
    weight = weights(q, {})

    def sides(reading: Reading) -> list[tuple[str, str]]:
        return [(s.holder, s.stance) for c in score_sentences(question, reading) if c.text == answer
                for s in stands_of(c, weight, q)]

    assert sides(gaggle) == [("Mr. Oden", "denies")]
    assert sides(make_reading(f"Our policy is clear.  {answer}", speaker="Mr. Oden")) == []


def test_no_framing_for_an_official_who_agrees_or_a_reporter_who_denies_too() -> None:
    agrees = GAGGLE.replace("Again, no shift in our policy on the river ports.", "I said that our policy on "
                            "the river ports has shifted.")
    assert _sides(make_reading(agrees))[1] == []
    denies_too = GAGGLE.replace("A month ago, the language", "There is no shift in the policy on the river "
                                "ports, and a month ago the language")
    assert _sides(make_reading(denies_too))[1] == []


def test_a_bare_answer_is_written_after_the_question_it_answers(tmp_path: Path) -> None:
    b = Briefing(Settings(index_dir=tmp_path / "idx", embedder="fake", top_k=3))
    gaggle = Document(id="gaggle.txt", title="Gaggle", text=_exchange("No, I don’t.").doc.text)
    Indexer(b.store, b.embedder).index([gaggle])
    b.retriever.invalidate()
    answer = b.ask(MISTAKE)
    [conflict] = answer.conflicts
    sides = {(p.holder, p.stance) for p in conflict.positions}
    assert sides == {("A reporter", "affirms"), ("Mr. Oden", "denies")}
    asked = answer.answer.index(f"A reporter also asked: “{ASKED}”")
    assert asked < answer.answer.index("Mr. Oden said: “No")
    quotes = {c.quote for c in answer.citations}
    assert ASKED in quotes and not any(q.startswith("MR. ODEN") for q in quotes)


def test_it_in_an_answer_to_the_reporter_is_what_the_reporter_asked_about() -> None:
    from assistant.answer.sides import settle
    from assistant.answer.stance import stands_of

    question = "Did the Estland abstention on the river resolution escalate tensions with Sylvania?"
    briefing = (
        "MR. ODEN:\xa0 Good afternoon.  Estland announced its abstention on the river resolution.  "
        "Sylvania voted for it.  The harvest was good.  The ports are open.  The bridge was repaired.\n\n"
        "Q\xa0\xa0\xa0 Does the White House see this as some sort of escalation?\n\n"
        "MR. ODEN:\xa0 There’s no reason for it to be any kind of escalation of tensions here.  "
        "We keep talking.\n"
    )
    q = understand(question, [])
    weight = weights(q, {})

    def sides(text: str) -> set[tuple[str, str]]:
        found = [s for c in score_sentences(question, make_reading(text)) for s in stands_of(c, weight, q)]
        return {(s.holder, s.stance) for s in settle(found)}

    assert sides(briefing) == {("Mr. Oden", "denies")}
    # Not when the reporter asked about something else, nor of "this" before a noun.
    assert sides(briefing.replace("as some sort of escalation", "as a good day")) == set()
    assert sides(briefing.replace("for it to be", "for this vote to be")) == set()


OUTLINE = "Has Sylvania accepted the truce outline from the weekend talks?"


def _unconfirmed_gaggle(answer: str, asked: str = "can you clarify reports in Sylvania that Sylvania has now "
                        "accepted the truce outline from the weekend talks?") -> Reading:
    return make_reading(
        "MR. ODEN:\xa0 Good afternoon.\n\n"
        f"Q\xa0\xa0\xa0 Hi.  If I could follow up on the river ports — and {asked}\n\n"
        f"MR. ODEN:\xa0 Hey, Ana.  {answer}  We keep talking to Sylvania about a truce.\n"
    )


def _unconfirmed(reading: Reading) -> list[tuple[str, str]]:
    q = understand(OUTLINE, [])
    weight = weights(q, {})
    scored = score_sentences(OUTLINE, reading)
    found = [s for c in scored for s in stands_of(c, weight, q)]
    return [(s.holder, s.stance) for s in unconfirmed(scored, found, weight, q)]


def test_an_official_who_cannot_confirm_a_claim_put_to_them_qualifies_it() -> None:
    gaggle = _unconfirmed_gaggle("No, I’m not able to confirm any specifics coming out of the weekend.")
    assert _unconfirmed(gaggle) == [("A reporter", "affirms"), ("Mr. Oden", "qualifies")]
    q = understand(OUTLINE, [])
    stands = settle(unconfirmed(score_sentences(OUTLINE, gaggle), [], weights(q, {}), q))
    assert opposed(stands)
    assert _unconfirmed(_unconfirmed_gaggle("I can’t confirm it.")) == [
        ("A reporter", "affirms"), ("Mr. Oden", "qualifies")]
    relayed = make_reading(  # a claim the official relays, then cannot confirm
        "MR. ODEN:\xa0 Good afternoon.\n\nQ\xa0\xa0\xa0 What about Sylvania?\n\nMR. ODEN:\xa0 I have seen "
        "some early press reporting that Sylvania has accepted the truce outline from the weekend talks.  "
        "I can’t confirm it.  They can speak to that.\n"
    )
    [(holder, stance), official] = _unconfirmed(relayed)
    assert stance == "affirms" and "press" in holder and official == ("Mr. Oden", "qualifies")


def test_no_qualifier_when_the_official_confirms_or_the_claim_is_on_something_else() -> None:
    assert _unconfirmed(_unconfirmed_gaggle("Yes, I can tell you that they have.")) == []
    off_topic = _unconfirmed_gaggle("I can’t confirm it.", asked="will you travel to Estland next week?")
    assert _unconfirmed(off_topic) == []
    asked_again = make_reading(  # the official answers the reporter's next question, not the claim
        "MR. ODEN:\xa0 Good afternoon.\n\nQ\xa0\xa0\xa0 Can you clarify reports in Sylvania that Sylvania "
        "has now accepted the truce outline from the weekend talks?\n\nMR. ODEN:\xa0 Yes, they have.\n\n"
        "Q\xa0\xa0\xa0 And will you travel to Estland next week?\n\nMR. ODEN:\xa0 I can’t confirm it.\n"
    )
    assert _unconfirmed(asked_again) == []


def test_an_unconfirmed_claim_is_a_conflict_in_the_answer(tmp_path: Path) -> None:
    b = Briefing(Settings(index_dir=tmp_path / "idx", embedder="fake", top_k=3))
    gaggle = _unconfirmed_gaggle("No, I’m not able to confirm any specifics coming out of the weekend.")
    text = gaggle.doc.text
    Indexer(b.store, b.embedder).index([Document(id="gaggle.txt", title="Gaggle", text=text)])
    b.retriever.invalidate()
    [conflict] = b.ask(OUTLINE).conflicts
    sides = {(p.holder, p.stance) for p in conflict.positions}
    assert sides == {("A reporter", "affirms"), ("Mr. Oden", "qualifies")}

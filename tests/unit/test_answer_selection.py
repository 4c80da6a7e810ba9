"""Sentence selection and stances, on invented documents read directly (no index, no model)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.answer.claims import speaker_turns
from assistant.answer.conversation import understand
from assistant.answer.follow import continued
from assistant.answer.kinds import has_answer_type
from assistant.answer.question import classify
from assistant.answer.reading import Reading, read_document
from assistant.answer.select import Candidate, answering, candidate, weights
from assistant.answer.stance import settle, stands_of
from assistant.types import Document, DocumentInfo, Evidence, Passage


def _reading(text: str, **metadata: str) -> Reading:
    return read_document(
        Document(
            id=f"d{abs(hash((text, tuple(metadata.items()))))}.txt",
            title=metadata.pop("title", "Doc"),
            text=text,
            metadata=metadata,
        )
    )


def _scored(
    question: str, reading: Reading, similarity: float = 0.0, history: list[str] | None = None
) -> list[Candidate]:
    from assistant.types import Turn

    q = understand(question, [Turn(role="user", content=h) for h in history or []])
    weight = weights(q, {})
    doc = reading.doc
    item = Evidence(
        passage=Passage(document_id=doc.id, start=0, end=len(doc.text), text=doc.text),
        document=DocumentInfo(id=doc.id, title=doc.title),
        score=1.0,
    )
    out = [
        replace(candidate(reading, item, i, weight), similarity=similarity) for i in range(len(reading.spans))
    ]
    return sorted(out, key=lambda c: -c.score)


def _answer(question: str, text: str, history: list[str] | None = None, **metadata: str) -> list[str]:
    """The sentences the extractive answerer picks (and completes) from one document."""
    from assistant.types import Turn

    q = understand(question, [Turn(role="user", content=h) for h in history or []])
    weight = weights(q, {})
    scored = _scored(question, _reading(text, **metadata), history=history)
    return [c.text for c in continued(q, answering(q, scored, weight), weight)]


def test_a_capital_names_its_government() -> None:
    text = "The Sylvanian foreign office answered the charges.\n" "Pakistan rejected every allegation in the report."
    assert _answer("How did Islamabad respond to the allegations?", text) == [text.splitlines()[1]]


def test_the_documents_speaker_stands_in_for_a_name_the_sentence_omits() -> None:
    speech = "We are witnessing militant groups moving to the north of Freedonia.\nThe harvest was good."
    assert _answer(
        "What does Estland say about militant groups in Freedonia?",
        speech,
        speaker="Ola Nord, Minister of Foreign Affairs of Estland",
    ) == [speech.splitlines()[0]]


def test_where_someone_stands_is_a_position_not_a_place() -> None:
    assert classify("Where does Islamabad stand on new permanent seats?") == "what"
    assert classify("Where was the emir killed?") == "where"
    assert classify("What share of the world's opium comes from Freedonia?") == "howmany"
    leader = understand("Who is the leader of the Red Brigade?", [])
    assert not has_answer_type(leader, "The Red Brigade attacked Estland, Anna Berg said.")
    assert has_answer_type(leader, "Karl Dorn, the chief of the Red Brigade, spoke from Estland.")
    q = understand("Where did Zaidi respond to the allegations?", [])
    assert has_answer_type(q, "Responding via the social media platform X, Zaidi dismissed the allegations.")


def test_a_which_question_whose_answer_is_left_unnamed_abstains() -> None:
    reading = _reading("Karl Dorn, in an interview with a media outlet, accused Sylvania of arming rebels.")
    question = understand("Which media outlet interviewed Karl Dorn?", [])
    assert answering(question, _scored(question.text, reading), weights(question, {})) == []
    named = _reading(
        "Karl Dorn, in an interview with the Freedonia Herald, accused Sylvania of arming rebels."
    )
    assert answering(question, _scored(question.text, named), weights(question, {}))


@pytest.mark.parametrize(
    ("question", "text", "metadata", "kept"),
    [
        pytest.param(  # what a colon introduces
            "What did General Reyes testify at the hearing?",
            "At the hearing General Alma Reyes testified that:\n"
            "Smuggling provides significant funding to the Red Brigade.\n"
            "The committee then adjourned for lunch in the afternoon.",
            {},
            2,
            id="colon",
        ),
        pytest.param(  # the figures that itemise a cost
            "What did joining the war on smuggling cost?",
            "Estland suffered the most when it joined the war on smuggling.\n"
            "Some 80,000 people died.\n"
            "$150 billion were lost to our economy.\n"
            "Our football team won the regional cup that year after a long and difficult season.",
            {"speaker": "Ola Nord, President of Estland"},
            3,
            id="cost",
        ),
        pytest.param(  # an "also" on the subject, not one off it
            "Did anyone warn Sylvania about the attack on the river ports?",
            "We warned Sylvania in early March about a planned attack on the river ports.\n"
            "And we also issued a public advisory about the attack to travellers.\n"
            "And we also hosted a trade fair in the capital.",
            {},
            2,
            id="also",
        ),
        pytest.param(  # the same holder going on
            "Do the Red Brigade and the Blue Front act alone?",
            "The minister, Anna Berg, rejected the claim that the Red Brigade and the Blue Front act alone.\n"
            "She described this narrative as an attempt to hide the facts.\n"
            "In her view, the two share recruits, money and weapons.\n"
            "The harvest in the northern valleys was good this year.",
            {},
            3,
            id="holder-goes-on",
        ),
    ],
)
def test_completing_sentences_follow_and_others_do_not(
    question: str, text: str, metadata: dict[str, str], kept: int
) -> None:
    assert _answer(question, text, **metadata) == text.splitlines()[:kept]


def test_congressional_record_speakers_are_turns() -> None:
    text = "Mr. PALLONE. Mr. Speaker, I rise today.\nMrs. FEINSTEIN. Mr. President, the caucus met."
    assert [label for _, label in speaker_turns(text)] == ["Mr. PALLONE", "Mrs. FEINSTEIN"]
    assert _reading(text).speaker(len(text) - 3) == "Mrs. Feinstein"


def _stands(question: str, speeches: dict[str, str], similarity: float) -> list[tuple[str, str]]:
    """(holder, stance) of each speaker's sentence, at a given similarity to the question."""
    q = understand(question, [])
    weight = weights(q, {})
    return [
        (s.holder, s.stance)
        for speaker, text in speeches.items()
        for c in _scored(question, _reading(text, speaker=speaker), similarity=similarity)
        for s in settle(stands_of(c, weight, q))
    ]


def test_speeches_that_disagree_without_reporting_verbs_are_a_conflict() -> None:
    """Two speakers, no "said" or "denied": the sentences' meaning and negation decide."""
    speeches = {
        "Ola Nord, President of Estland": "The agencies of Sylvania have been arming the Red Brigade.",
        "Anna Berg, Foreign Minister of Sylvania": "The rise of the Red Brigade is not because of Sylvania.",
    }
    question = "Is Sylvania to blame for the rise of the Red Brigade?"
    assert set(_stands(question, speeches, similarity=0.7)) == {
        ("Ola Nord, President of Estland", "affirms"),
        ("Anna Berg, Foreign Minister of Sylvania", "denies"),
    }
    # Far in meaning, the accuser's sentence (few of the question's words) takes no side.
    assert _stands(question, speeches, similarity=0.2) == [
        ("Anna Berg, Foreign Minister of Sylvania", "denies")
    ]


def test_a_sentence_close_in_meaning_but_sharing_only_the_names_takes_no_side() -> None:
    nord, berg = "Ola Nord, President of Estland", "Anna Berg, Foreign Minister of Sylvania"
    speeches = {
        nord: "We made it clear to the Brigade that we expect them to honour the accord.",
        berg: "The Brigade agreed to the ceasefire and withdrew its fighters.",
    }
    question = "Did the Brigade accept the ceasefire and withdraw its fighters from the border?"
    assert _stands(question, speeches, similarity=0.6) == [(berg, "affirms")]


def test_a_speaker_answering_a_claim_they_report_takes_the_other_side() -> None:
    from assistant.answer.stance import rebuttals

    reading = _reading(
        "Mr. PALLONE. In October, President Ward said that the Red Brigade is on the run. The fact is "
        "that attacks by the group have doubled. The harvest was good.\n"
    )
    question = "Is the Red Brigade on the run?"
    q = understand(question, [])
    weight = weights(q, {})
    found = [s for c in _scored(question, reading) for s in stands_of(c, weight, q)]
    assert [(s.holder, s.stance) for s in found] == [("President Ward", "affirms")]
    rebutting = rebuttals(found, weight, q)
    assert [(s.holder, s.stance, s.candidate.text) for s in rebutting] == [
        ("Mr. Pallone", "denies", "The fact is that attacks by the group have doubled.")
    ]
    assert {(s.holder, s.stance) for s in settle(found + rebutting)} == {
        ("President Ward", "affirms"), ("Mr. Pallone", "denies")
    }


def test_blame_by_an_agent_is_the_agents_claim() -> None:
    from assistant.answer.claims import read_claims

    sentence = (
        "For some reason, Sylvania has been blamed for the turn of events "
        "by politicians in the United States."
    )
    assert [(c.holder, c.polarity) for c in read_claims(sentence)] == [
        ("politicians in the United States", "assert")
    ]


def test_a_quoted_sentence_ending_in_its_own_quote_keeps_its_marker() -> None:
    from assistant.answer.compose import _render
    from assistant.answer.verify import answer_sentences

    reading = _reading(
        "Mr. PALLONE. Mr. Speaker, last week the director said that the Red Brigade "
        "''continues to plot attacks from Freedonia.''\nThe harvest was good."
    )
    cand = _scored("Does the Red Brigade plot attacks from Freedonia?", reading)[0]
    rendered = _render(cand, 3)
    assert rendered.startswith("Mr. Pallone said: “") and rendered.endswith("” [3].")
    assert answer_sentences(rendered) == [rendered]


def test_a_pledge_takes_no_side_on_whether_something_is_so() -> None:
    speeches = {
        "Ola Nord, President of Estland": "Freedonia is rapidly becoming a safe haven for terrorist groups.",
        "Anna Berg, Foreign Minister of Sylvania": "We will not allow Freedonia to become a safe haven for them.",
    }
    assert _stands("Is Freedonia a safe haven for terrorist groups?", speeches, similarity=0.7) == [
        ("Ola Nord, President of Estland", "affirms")
    ]


def test_a_follow_up_naming_someone_new_asks_about_them_not_the_earlier_name() -> None:
    from assistant.types import Turn

    earlier = [Turn(role="user", content="What did Anna Berg say about the Red Brigade?")]
    switched = understand("And what did Karl Dorn say?", earlier)
    assert switched.entities == ("karl", "dorn", "red", "brigad")  # on the same subject
    assert "anna" not in switched.terms and "Anna" not in switched.query
    kept = understand("How many were killed by it?", earlier)
    assert set(kept.entities) == {"anna", "berg", "red", "brigad"}
    other_subject = understand("What about the Blue Army?", earlier)
    assert other_subject.entities == ("anna", "berg", "blu", "armi")


def test_follow_ups_chain_and_a_question_naming_nothing_leans_on_the_last_one() -> None:
    from assistant.types import Turn

    turns = [Turn(role="user", content="Who killed Karl Dorn in Freedonia?"),
             Turn(role="assistant", content="The Red Brigade did [1]."),
             Turn(role="user", content="Where was he living?")]
    chained = understand("Did Sylvania know?", turns)
    assert {"dorn", "sylvania"} <= set(chained.entities) and "freedonia" in chained.terms
    assert chained.kind == "yesno"
    counted = understand("How many service members were killed in August?", turns[:1])
    assert counted.kind == "howmany" and "dorn" in counted.entities and "august" not in counted.entities
    fresh = understand("Who leads the Blue Army?", turns[:1])
    assert fresh.entities == ("blu", "armi") and fresh.query == "Who leads the Blue Army?"


def test_transcript_questions_are_the_reporters_and_labels_are_not_quoted() -> None:
    from assistant.answer.compose import _render

    text = (
        "MR. KIRBY:\xa0 Good afternoon, everybody.\n"
        "Q\xa0\xa0\xa0 Estland is obviously blaming Sylvania for the attack on the river ports.\n"
        "MR. KIRBY:\xa0 There was no linkage to Sylvania in the attack on the river ports."
    )
    reading = _reading(text)
    assert reading.speaker(text.index("Estland")) == "A reporter"
    assert reading.speaker(text.index("There was")) == "Mr. Kirby"
    scored = _scored("Was Sylvania behind the attack on the river ports?", reading)
    rendered = {_render(c, 1) for c in scored}
    assert (
        "A reporter asked: “Estland is obviously blaming Sylvania for the attack on the river ports” [1]."
        in rendered
    )
    assert (
        "Mr. Kirby said: “There was no linkage to Sylvania in the attack on the river ports” [1]." in rendered
    )


def test_a_quoted_question_keeps_its_marker_and_takes_no_side() -> None:
    from assistant.answer.compose import _render
    from assistant.answer.verify import answer_sentences

    text = "MR. KIRBY:\xa0 Is Sylvania behind the attack on the river ports?\nThe ports reopened in May."
    question = "Is Sylvania behind the attack on the river ports?"
    (cand,) = [c for c in _scored(question, _reading(text)) if c.text.endswith("?")]
    rendered = _render(cand, 2) + " Next sentence [3]."
    assert answer_sentences(rendered)[0].endswith("?” [2].")
    q = understand(question, [])
    assert stands_of(cand, weights(q, {}), q) == []


STRIKE = (
    "Two missiles were fired at Karl Dorn, who was killed on Sunday.\n"
    "Dorn had been living in a house in Port Lyle for a year.\n"
    "Sylvania's officials were aware of Dorn's presence in the house.\n"
)


def test_where_wants_a_place_other_than_the_subject() -> None:
    assert _answer("Where was Karl Dorn living?", STRIKE) == [STRIKE.splitlines()[1]]


def test_a_follow_up_answers_about_the_names_it_brings_in() -> None:
    history = ["Who killed Karl Dorn?", "Where was he living?"]
    assert _answer("Did Sylvania know?", STRIKE, history=history) == [STRIKE.splitlines()[2]]


def test_how_someone_responded_is_about_their_response_to_the_earlier_speaker() -> None:
    text = (
        "Anna Berg alleged that Sylvania funds the Red Brigade.\n"
        "The remarks by Berg came after a visit to Sylvania last week.\n"
        "Sylvania's foreign office rejected the allegations by Berg as baseless.\n"
    )
    found = _answer("How did Sylvania respond?", text, history=["What did Anna Berg allege?"])
    assert found[0] == text.splitlines()[2]


def test_an_announced_topic_is_answered_by_what_follows() -> None:
    speech = (
        "Thank you, Mr. President.\n"
        "And now I want to talk about Freedonia.\n"
        "Its people have suffered through forty years of war.\n"
        "They deserve peace and a government of their own choosing.\n"
        "Turning to climate, the floods cost us dearly.\n"
    )
    found = _answer("What did Ola Nord say about Freedonia?", speech, speaker="Ola Nord")
    assert found == speech.splitlines()[1:4]


def test_a_share_wants_a_share_and_a_measure_wants_a_figure() -> None:
    text = (
        "Roughly 1.8 metric tons of opium were seized at the lab in Freedonia.\n"
        "Drug trafficking in Freedonia provides more than 90 percent of the world's opium.\n"
    )
    assert _answer("What share of the world's opium comes from Freedonia?", text) == [text.splitlines()[1]]
    assert classify("How long is Estland's border with Freedonia?") == "howmany"
    border = (
        "Estland must strengthen its border with Freedonia.\n"
        "Estland shares 1,400 kilometres of border with Freedonia.\n"
    )
    assert _answer("How long is Estland's border with Freedonia?", border) == [border.splitlines()[1]]


def test_who_leads_wants_a_sentence_about_a_leader() -> None:
    text = (
        "The Red Brigade, an arch-enemy of the Blue Army, has been planning attacks on Freedonia.\n"
        "Karl Dorn has led the Red Brigade since 2019.\n"
    )
    assert _answer("Who leads the Red Brigade?", text) == [text.splitlines()[1]]
    assert _answer("Who leads the Red Brigade?", text.splitlines()[0]) == []


def test_who_was_prefers_the_sentence_that_says_who() -> None:
    from assistant.answer.select import candidates

    def best(question: str, text: str) -> str:
        reading = _reading(text)
        q = understand(question, [])
        item = Evidence(passage=Passage(document_id=reading.doc.id, start=0, end=len(text), text=text),
                        document=DocumentInfo(id=reading.doc.id, title="Doc"), score=1.0)
        weight = weights(q, {})
        return answering(q, candidates(q, [(item, reading)], weight), weight)[0].text

    text = (
        "Two missiles were fired at the house of Karl Dorn in Port Lyle on Sunday night.\n"
        "Karl Dorn was the deputy of the Red Brigade's founder for twenty years.\n"
    )
    assert best("Who was Karl Dorn?", text) == text.splitlines()[1]
    apposition = (
        "Karl Dorn ate at the house in Port Lyle.\nThe strike killed the emir of the Red Brigade, Karl Dorn."
    )
    assert best("Who was Karl Dorn?", apposition) == apposition.splitlines()[1]


def test_an_apposition_and_a_capital_name_what_the_question_calls_them() -> None:
    from assistant.answer.select import sentence_terms

    reading = _reading(
        "The strike killed the Red Brigade's current leader, Karl Dorn.\n"
        "Senior Blue Army figures were aware of Dorn's presence in Kabul.\n"
    )
    found = sentence_terms(reading, 1)
    assert {"red", "brigad", "leader", "chief"} <= found  # Dorn is the Red Brigade's leader
    assert {"capital", "afghanistan", "afghan"} <= found  # Kabul is the Afghan capital
    assert "kabul" not in sentence_terms(_reading("Afghanistan is a haven.\n"), 0)  # one way only
    assert "us" in sentence_terms(_reading("The United States and the White House agree.\n"), 0)


def test_an_elliptical_follow_up_swaps_the_name_of_its_kind() -> None:
    from assistant.types import Turn

    earlier = [Turn(role="user", content="Does the Red Brigade operate in Afghanistan?")]
    other_group = understand("And the Blue Army?", earlier)
    assert other_group.entities == ("afghanistan", "blu", "armi") and other_group.kind == "yesno"
    assert other_group.topic == "Whether the Blue Army operates in Afghanistan"
    other_place = understand("What about Pakistan?", earlier)
    assert set(other_place.entities) == {"red", "brigad", "pakistan"}
    assert other_place.topic == "Whether the Red Brigade operates in Pakistan"


def test_a_pronoun_may_name_someone_the_earlier_answer_named() -> None:
    from assistant.types import Turn

    turns = [
        Turn(role="user", content="Who was the emir of the Red Brigade?"),
        Turn(role="assistant",
             content="Mr. Kirby said: “The strike killed the emir of the Red Brigade, Karl Dorn” [1]."),
    ]
    where = understand("Where was he killed?", turns)
    assert "Karl Dorn" in where.query and "dorn" in where.terms and "kirbi" not in where.terms
    assert "dorn" not in where.entities  # a lead for the search, not a requirement
    assert understand("How many were killed in it?", turns).query.count("Karl Dorn") == 0


def test_a_yes_no_answer_opens_with_the_sentence_that_takes_a_side() -> None:
    from assistant.answer.compose import side_first
    from assistant.answer.stance import Stand

    reading = _reading(
        "Today Estland abstained on the resolution on Freedonia.\n"
        "Our vote does not represent a change in our policy.\n",
        speaker="Ola Nord, spokesman of Estland",
    )
    context, side = sorted(_scored("Is the vote a change in policy?", reading), key=lambda c: c.index)
    ordered = side_first([context], [Stand(side, "Ola Nord", "denies")])
    assert [c.index for c in ordered] == [1, 0]
    assert [c.index for c in side_first([context, side], [Stand(side, "Ola Nord", "denies")])] == [1, 0]


def test_the_attribute_asked_for_must_be_in_the_answer() -> None:
    text = (
        "Estland shares 1,400 kilometres of border with Freedonia.\n"
        "The strike on Karl Dorn took place on Sunday.\n"
    )
    assert _answer("What is the population of Estland?", text) == []
    assert _answer("What was the name of the drone operator in the strike on Karl Dorn?", text) == []
    census = "Estland has a population of 10 million people.\n"
    assert _answer("What is the population of Estland?", census) == [census.strip()]
    position = understand("What is the position of Estland on Freedonia?", [])
    assert has_answer_type(position, text.splitlines()[0])


def test_a_predicate_another_party_owns_is_not_the_subjects() -> None:
    speech = {"Ola Nord, President of Estland": "We have sought Sylvania's support against the Red Brigade."}
    assert _stands("Is Estland supporting the Red Brigade?", speech, similarity=0.3) == []
    owned = {"Ola Nord, President of Estland": "Estland's support for the Red Brigade has grown."}
    assert _stands("Is Estland supporting the Red Brigade?", owned, similarity=0.3) == [
        ("Ola Nord, President of Estland", "affirms")
    ]


def test_an_unresolved_they_takes_no_side() -> None:
    report = {"": "They said that the Red Brigade operates in Freedonia."}
    assert _stands("Does the Red Brigade operate in Freedonia?", report, similarity=0.3) == []


def test_a_document_is_about_the_names_it_keeps_coming_back_to() -> None:
    from assistant.answer.select import ABOUT, sentence_terms

    lines = [f"On day {n} the strike on Dorn was reviewed again." for n in range(5)]
    reading = _reading("\n".join([*lines, "We have no indications that civilians were harmed."]))
    assert "dorn" in sentence_terms(reading, ABOUT)
    once = _reading("The strike on Dorn was reviewed.\nNo one was harmed.")
    assert "dorn" not in sentence_terms(once, ABOUT)

"""Sentence selection: which sentences answer, of the kind asked for, and what completes them.

On invented documents read directly (no index, no model).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.answer.answering import answering
from assistant.answer.conversation import understand
from assistant.answer.select import weights
from assistant.types import DocumentInfo, Evidence, Passage
from tests.answer_support import answered, make_reading, score_sentences


def test_a_capital_names_its_government() -> None:
    text = "The Sylvanian foreign office answered the charges.\nPakistan rejected every allegation in it."
    assert answered("How did Islamabad respond to the allegations?", text) == [text.splitlines()[1]]


def test_the_documents_speaker_stands_in_for_a_name_the_sentence_omits() -> None:
    speech = "We are witnessing militant groups moving to the north of Freedonia.\nThe harvest was good."
    assert answered(
        "What does Estland say about militant groups in Freedonia?",
        speech,
        speaker="Ola Nord, Minister of Foreign Affairs of Estland",
    ) == [speech.splitlines()[0]]


def test_a_which_question_whose_answer_is_left_unnamed_abstains() -> None:
    reading = make_reading(
        "Karl Dorn, in an interview with a media outlet, accused Sylvania of arming rebels."
    )
    question = understand("Which media outlet interviewed Karl Dorn?", [])
    assert answering(question, score_sentences(question.text, reading), weights(question, {})) == []
    named = make_reading(
        "Karl Dorn, in an interview with the Freedonia Herald, accused Sylvania of arming rebels."
    )
    assert answering(question, score_sentences(question.text, named), weights(question, {}))
    known_as = make_reading("Karl Dorn, speaking to a media outlet known as Radio Lyle, accused Sylvania.")
    assert answering(question, score_sentences(question.text, known_as), weights(question, {}))


def test_what_happened_asks_for_no_name() -> None:
    """ "What happened at ...?" is not "What group ...?": no new name is wanted."""
    from assistant.answer.kinds import has_answer_type

    mourned = "We mourn those who lost their lives in the terrorist attack on the Lyle Gate."
    assert has_answer_type(understand("What happened at the Lyle Gate?", []), mourned)
    assert not has_answer_type(understand("What group attacked the Lyle Gate?", []), mourned)


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
        pytest.param(  # but how much one thing rose is not itemised by another's figures
            "How much did smuggling raids in Estland rise between 2005 and 2006?",
            "Smuggling raids in Estland rose from 27 in 2005 to 139 in 2006.\n"
            "Roadside thefts more than doubled from 783 to 1,677.\n",
            {},
            1,
            id="rise",
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
        pytest.param(  # but not off the question, after a sentence that takes no side
            "What did the minister, Anna Berg, say about the Red Brigade's weapons?",
            "The minister, Anna Berg, said that the Red Brigade buys its weapons in Sylvania.\n"
            "She described the harvest in the northern valleys as the best in years.\n"
            "In her view, the valleys will need rain in the spring.",
            {},
            1,
            id="holder-goes-off",
        ),
        pytest.param(  # what the next sentence says of it, in a word of the question
            "What came of Ola Nord's warnings about the Red Brigade?",
            "Last year Ola Nord spoke at length about the Red Brigade at the Assembly.\n"
            "His warnings, unfortunately, fell on deaf ears.\n"
            "The harvest in the northern valleys was good this year.",
            {},
            2,
            id="refers-back",
        ),
        pytest.param(  # but not when it says nothing more of the question
            "What came of Ola Nord's warnings about the Red Brigade?",
            "Last year Ola Nord warned the Assembly about the Red Brigade.\n"
            "His speech, unfortunately, lasted an hour.\n",
            {},
            1,
            id="refers-back-off",
        ),
    ],
)
def test_completing_sentences_follow_and_others_do_not(
    question: str, text: str, metadata: dict[str, str], kept: int
) -> None:
    assert answered(question, text, **metadata) == text.splitlines()[:kept]


def test_an_announced_topic_is_answered_by_what_follows() -> None:
    speech = (
        "Thank you, Mr. President.\n"
        "And now I want to talk about Freedonia.\n"
        "Its people have suffered through forty years of war.\n"
        "They deserve peace and a government of their own choosing.\n"
        "Turning to climate, the floods cost us dearly.\n"
    )
    found = answered("What did Ola Nord say about Freedonia?", speech, speaker="Ola Nord")
    assert found == speech.splitlines()[1:4]


def test_an_apposition_and_a_capital_name_what_the_question_calls_them() -> None:
    from assistant.answer.select import sentence_terms

    reading = make_reading(
        "The strike killed the Red Brigade's current leader, Karl Dorn.\n"
        "Senior Blue Army figures were aware of Dorn's presence in Kabul.\n"
    )
    found = sentence_terms(reading, 1)
    assert {"red", "brigad", "leader", "chief"} <= found  # Dorn is the Red Brigade's leader
    assert {"capital", "afghanistan", "afghan"} <= found  # Kabul is the Afghan capital
    assert "kabul" not in sentence_terms(make_reading("Afghanistan is a haven.\n"), 0)  # one way only
    assert "us" in sentence_terms(make_reading("The United States and the White House agree.\n"), 0)


def test_a_document_is_about_the_names_it_keeps_coming_back_to() -> None:
    from assistant.answer.select import ABOUT, sentence_terms

    lines = [f"On day {n} the strike on Dorn was reviewed again." for n in range(5)]
    reading = make_reading("\n".join([*lines, "We have no indications that civilians were harmed."]))
    assert "dorn" in sentence_terms(reading, ABOUT)
    once = make_reading("The strike on Dorn was reviewed.\nNo one was harmed.")
    assert "dorn" not in sentence_terms(once, ABOUT)


def test_a_sentence_that_names_the_question_outranks_one_that_only_shares_the_title() -> None:
    # Every sentence of a speech titled "... the Attack at Port Lyle Airport" shares the
    # title's words; the one that itself says who attacked the airport comes first.
    speech = (
        "We chose to focus on Port Lyle, not on the northern base.\n"
        "Tonight at Port Lyle airport terrorists struck,"
        " in an attack undertaken by a group known as the Red Hand.\n"
    )
    reading = make_reading(speech, title="Remarks on the Attack at Port Lyle Airport")
    top = score_sentences("Who carried out the Port Lyle airport attack?", reading)[0]
    assert "Red Hand" in top.text


def test_a_paraphrase_close_in_meaning_answers_when_no_sentence_shares_the_words() -> None:
    text = (
        "The United States shared information with Austrian partners"
        " to disrupt a threat to the concerts in Vienna.\n"
        "Our partners in the region remain committed.\n"
    )
    question = "Did American spies help stop a plot against a big pop concert?"
    q = understand(question, [])
    weight = weights(q, {})
    reading = make_reading(text)
    close = answering(q, score_sentences(question, reading, similarity=0.43), weight)
    assert [c.text for c in close] == [text.splitlines()[0]]
    assert answering(q, score_sentences(question, reading, similarity=0.38), weight) == []
    # Very close in meaning, it may share even fewer words (one of nine here).
    fewer = "Did American spies tip off police about a plot against a pop music show?"
    q = understand(fewer, [])
    very_close = answering(q, score_sentences(fewer, reading, similarity=0.66), weights(q, {}))
    assert [c.text for c in very_close] == [text.splitlines()[0]]
    assert answering(q, score_sentences(fewer, reading, similarity=0.5), weights(q, {})) == []


def test_the_speakers_country_names_its_capital_too() -> None:
    # A speech by Pakistan's prime minister speaks for Islamabad in every sentence.
    reading = make_reading("We want peace on our borders.\n", speaker="Anna Berg, Prime Minister of Pakistan")
    (cand,) = score_sentences("What does Islamabad want on its borders?", reading)
    assert cand.coverage == 1.0


def test_synonym_groups_hold_the_terms_words_make() -> None:
    from assistant.answer.lexicon import with_synonyms
    from assistant.lexical import terms

    # Groups hold stems as ``terms`` makes them: a group entry no word stems to is dead.
    assert set(terms("strike attack")) <= with_synonyms(set(terms("airstrike")))
    assert set(terms("linkage")) <= with_synonyms(set(terms("tie")))
    # Pronoun-like quantifiers are not what a question is about.
    assert terms("Was anyone other than Dorn killed?") == ["dorn", "kill"]


def test_what_a_country_said_is_its_speakers_words_not_others_on_it() -> None:
    from dataclasses import replace

    from assistant.answer.reading import Reading
    from assistant.answer.select import candidates

    speech = make_reading("No country may take advantage of the chaos in Freedonia.\n",
                          speaker="Ola Nord, Prime Minister of India")
    report = make_reading("Powers exploiting the chaos should not pressure New Delhi.\n",
                          speaker="Anna Berg, Minister of Sylvania")
    q = understand("What did New Delhi's leader warn about powers exploiting the chaos in Freedonia?", [])
    assert q.speakers == ("delhi", "india", "indian")
    assert q.entities == ("delhi", "freedonia")  # "New" is no name alone

    def evidence(reading: Reading) -> tuple[Evidence, Reading]:
        doc = reading.doc
        passage = Passage(document_id=doc.id, start=0, end=len(doc.text), text=doc.text)
        info = DocumentInfo(id=doc.id, title=doc.title)
        return Evidence(passage=passage, document=info, score=1.0), reading

    pairs = [evidence(report), evidence(speech)]
    assert candidates(q, pairs, weights(q, {}))[0].reading is speech
    unasked = replace(q, speakers=())  # the same words, asked of no one: the report says more of them
    assert candidates(unasked, pairs, weights(q, {}))[0].reading is report
    # A name that only dates the question ("after Freedonia fell") is not one an answer must say.
    assert understand("What did India warn after Freedonia fell?", []).entities == ("india",)


def test_whom_the_question_asks_about_may_answer_in_other_words() -> None:
    question = "What did Estland's leader warn about outside powers exploiting the chaos?"
    speech = (
        "We thank everyone for their work on the climate.\n"
        "We also need to be alert and ensure that no country tries to take advantage of the chaos there.\n"
    )
    q = understand(question, [])
    for speaker, expected in (("Ola Nord, President of Estland", 1), ("Anna Berg, Minister of Sylvania", 0)):
        reading = make_reading(speech, speaker=speaker, title=f"Statement by {speaker} on Estland")
        scored = score_sentences(question, reading, similarity=0.4)
        got = answering(q, scored, weights(q, {}))
        assert [c.index for c in got] == ([1] if expected else []), speaker


def test_a_capital_named_as_the_place_of_an_event_must_be_said() -> None:
    question = "What was the death toll of the Islamabad mosque attack?"
    assert understand(question, []).places == ("islamabad",)
    assert understand("How did Islamabad respond?", []).places == ()  # the government, not the city
    speech = "Over two decades, we have suffered more than 80,000 deaths in terrorist attacks on mosques.\n"
    assert answered(question, speech, speaker="Prime Minister of Pakistan") == []
    report = "The attack on a mosque in Islamabad killed 31 worshippers, police said.\n"
    assert answered(question, report, speaker="Prime Minister of Pakistan") == [report.strip()]
    # A document that keeps naming the place is about it, however far back it last did.
    remarks = (
        "This evening in Islamabad, terrorists attacked a mosque.\nWe mourn with Islamabad.\n"
        "Our hearts are with the families.\nThe police are searching the area.\nThe schools are closed.\n"
        "The death toll of the mosque attack is 31 worshippers, police said.\n"
    )
    answer = "The death toll of the mosque attack is 31 worshippers, police said."
    assert answered(question, remarks, title="Remarks on the attack in Islamabad") == [answer]


def test_a_branch_of_a_group_is_its_own_name() -> None:
    assert understand("Who is the leader of ISIS-K?", []).entities == ("isis-k",)
    parent = "In February a raid in Syria killed the emir of ISIS, Abu Omar.\n"
    assert answered("Who is the leader of ISIS-K?", parent) == []
    branch = "The emir of ISIS-Khorasan, Abu Omar, leads it from Kunar.\n"
    assert answered("Who is the leader of ISIS-K?", branch) == [branch.strip()]


def test_a_reporters_words_do_not_answer_what_someone_else_said() -> None:
    text = (
        "MR. KIRBY:\xa0 Good afternoon, everybody.\n"
        "Q\xa0\xa0\xa0 There has been criticism of the dependence on the Red Brigade to guard the river "
        "ports.\n"
        "MR. KIRBY:\xa0 We relied on the Red Brigade at the river ports because it was the best option we "
        "had.\n"
    )
    asked = "What did Kirby say about the dependence on the Red Brigade to guard the river ports?"
    assert answered(asked, text) == [text.splitlines()[2]]
    criticism = answered("Was there criticism of the dependence on the Red Brigade at the river ports?", text)
    assert criticism[:1] == [text.splitlines()[1]]  # a question that names no speaker may take them


def test_a_word_no_passage_has_weighs_as_its_synonyms_do() -> None:
    q = understand("How long did the Brigade honour the truce?", [])
    idf = {"brigad": 3.0, "honour": 2.0, "ceasefir": 4.0, "long": 1.5}
    weight = weights(q, idf)
    assert weight["truc"] == 4.0  # the sources say "ceasefire"
    assert weights(q, {k: v for k, v in idf.items() if k != "ceasefir"})["truc"] == 1.0  # noise


def test_a_phrase_in_a_question_weighs_as_the_one_word_it_means() -> None:
    q = understand("Who carried out the attack on the Lyle Gate?", [])
    assert "perpetrat" in q.terms and "carri" not in q.terms


def test_an_institution_is_met_by_the_name_the_press_gives_it() -> None:
    text = ("We visited the Pentagon and the harbour last week.\n"
            "The Department of Defense is building new partnerships in Estland.\n")
    got = answered("What is the Pentagon doing in Estland?", text)
    assert got == ["The Department of Defense is building new partnerships in Estland."]
    assert "un" in understand("What did Estland tell the world body?", []).terms


def test_a_sentence_that_only_sets_the_questions_scene_is_not_its_answer() -> None:
    q = understand("What was Estland left with after the Brigade walked away from Port Lyle?", [])
    weight = weights(q, dict.fromkeys(q.terms, 2.0))
    assert weight["walk"] == 1.0 and weight["left"] == 2.0  # the scene's words weigh half
    text = ("In the end, the Brigade walked away from Port Lyle and the hills.\n"
            "Estland was left with many refugees.\n")
    assert answered(q.text, text)[:1] == ["Estland was left with many refugees."]


def test_a_sentence_well_below_the_best_answer_is_left_out() -> None:
    text = (
        "The ministry said the new border fence in the north is complete.\n"
        "Officials said the border fence in the north cost millions.\n"
    )
    question = "What did the ministry say about the border fence?"
    q = understand(question, [])
    weight = weights(q, {})
    best, second = score_sentences(question, make_reading(text))
    assert [best.text, second.text] == text.splitlines()

    def at(gap: float) -> list[str]:
        return [c.text for c in answering(q, [best, replace(second, score=best.score - gap)], weight)]

    assert at(0.03) == text.splitlines()  # close to the best: it answers too
    assert at(0.06) == [best.text]  # 0.06 below: context, not answer

"""Follow-ups: a question resolved against the conversation, on invented documents."""

from __future__ import annotations

from assistant.answer.answering import answering
from assistant.answer.conversation import understand
from assistant.answer.select import weights
from assistant.types import Turn
from tests.answer_support import STRIKE, answered, make_reading, score_sentences


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


def test_a_follow_up_answers_about_the_names_it_brings_in() -> None:
    history = ["Who killed Karl Dorn?", "Where was he living?"]
    assert answered("Did Sylvania know?", STRIKE, history=history) == [STRIKE.splitlines()[2]]


def test_how_someone_responded_is_about_their_response_to_the_earlier_speaker() -> None:
    text = (
        "Anna Berg alleged that Sylvania funds the Red Brigade.\n"
        "The remarks by Berg came after a visit to Sylvania last week.\n"
        "Sylvania's foreign office rejected the allegations by Berg as baseless.\n"
    )
    found = answered("How did Sylvania respond?", text, history=["What did Anna Berg allege?"])
    assert found[0] == text.splitlines()[2]


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


def test_a_follow_up_is_answered_from_the_document_the_earlier_question_named() -> None:
    # "Senator" is a title, not a name the record repeats ("Mrs. FEINSTEIN"); the follow-up's
    # answer need not repeat the earlier question's names, only be in a document that has them.
    record = (
        "Mrs. FEINSTEIN. Mr. President, the DEA unit obtained its first conviction last year.\n"
        "The unit also trained new agents.\nThey worked in three provinces.\nIt was hard work.\n"
        "He received two life sentences for selling narcotics to buy rockets for Port Lyle.\n"
    )
    history = [Turn(role="user", content="What did Senator Feinstein say about the DEA's cases?")]
    question = understand("What sentence did he get?", history)
    reading = make_reading(record, speaker="Dianne Feinstein")
    scored = score_sentences(question.text, reading, similarity=0.5, history=[history[0].content])
    got = [c.text for c in answering(question, scored, weights(question, {}))]
    assert "He received two life sentences for selling narcotics to buy rockets for Port Lyle." in got
    assert understand("What did Senator Feinstein say?", []).entities == ("feinstein",)
    assert understand("What did the Secretary General say?", []).entities == ("secretari", "general")


def test_a_prefix_before_a_name_is_no_name() -> None:
    """"ex-Estland officials" are former officials of Estland: a source names Estland, never "ex"."""
    former = understand("Why is the Brigade going after ex-Estland officials?", [])
    assert former.entities == ("brigad", "estland") and "former" in former.terms
    assert understand("Did anti-Brigade forces hold Port Lyle?", []).entities == ("brigad", "port", "lyl")
    assert "al" in understand("What did al-Qaeda say?", []).terms  # an article of the name stays with it
    assert understand("How many Brigade-linked detainees are held?", []).entities == ("brigad",)
    named = understand("What did Ana Vidal-Orr say of the ISIS-K?", []).entities
    assert named == ("ana", "vidal", "orr", "isis-k")


def test_a_dotted_name_and_a_name_after_and_when_are_names() -> None:
    assert understand("Do U.S. drone strikes on Estland cause casualties?", []).entities == ("us", "estland")
    assert understand("Where and when was Karl Dorn killed?", []).entities == ("karl", "dorn")
    # A clause that only says when keeps its names out ("... hurt when the strike hit Port Lyle?").
    assert understand("Was Karl Dorn hurt when the strike hit Estland?", []).entities == ("karl", "dorn")


def test_a_follow_up_close_in_meaning_but_missing_its_own_words_abstains() -> None:
    # "What does the budget say about it?" after a question on the Brigade: a sentence on the
    # Brigade close in meaning is no answer if it says nothing of the budget.
    history = [Turn(role="user", content="Does the Brigade operate in Estland?")]
    question = understand("What does the annual budget report say about it?", history)
    reading = make_reading("The Brigade operates in Estland and across its borders.\n")
    scored = score_sentences(question.text, reading, similarity=0.47, history=[history[0].content])
    assert answering(question, scored, weights(question, {})) == []


def test_the_following_years_speech_is_the_year_after_the_earlier_questions() -> None:
    earlier = [Turn(role="user", content="What did Estland tell the assembly in 2022 about the floods?"),
               Turn(role="assistant", content="A third of the country was under water [1].")]
    following = understand("And what did the following year's speech give as the death toll?", earlier)
    assert following.period == "2023"
    assert understand("What had it said the previous year?", earlier).period == "2021"
    assert understand("And what did it say about the drought?", earlier).period == "2022"
    assert understand("Was Estland winning the war at the start of 2007?", []).period == "2007"
    assert understand("What did the following year's speech say?", []).period is None


def test_the_end_of_a_year_and_whose_word_the_question_goes_by_are_not_what_it_asks() -> None:
    late = understand("Was Estland winning the war in late 2006, going by the Lyle Record?", [])
    assert (late.period, late.period_ends) == ("2006", True)
    assert {"lat", "going"}.isdisjoint(late.terms) and {"win", "war", "lyl", "record"} <= set(late.terms)
    assert understand("Was Estland winning the war at the end of 2006?", []).period_ends
    early = understand("Was Estland winning the war in early 2006?", [])
    assert (early.period, early.period_ends) == ("2006", False) and "earli" not in early.terms
    earlier = [Turn(role="user", content="Was Estland winning the war in late 2006?"),
               Turn(role="assistant", content="Mr. Dorn said it was not [1].")]
    assert understand("And what did the Senate say?", earlier).period_ends
    assert not understand("And what did the Senate say the following year?", earlier).period_ends


def test_what_kind_of_is_how_a_question_is_put_not_what_it_asks() -> None:
    assert understand("What kind of weapon killed Karl Dorn?", []).terms == ("weapon", "kill", "karl", "dorn")
    assert "kind" in understand("Was the Brigade kind to the villagers?", []).terms


def test_a_follow_up_asking_what_was_done_does_not_take_the_earlier_kind() -> None:
    earlier = [Turn(role="user", content="Who did Sylvania kill in Port Lyle?")]
    assert understand("What did the Brigade do after the strike?", earlier).kind == "what"
    assert understand("What about the Brigade?", earlier).kind == "who"


def test_a_follow_up_is_answered_by_what_says_its_new_words_when_a_sentence_does() -> None:
    text = (
        "The strike in Port Lyle on Sunday killed Karl Dorn, the leader of the Red Brigade.\n"
        "None of his family members were hurt, and no civilians died.\n"
        "The harvest was good.\n"
    )
    history = ["Who did the strike in Port Lyle kill on Sunday?"]
    assert answered("Were any of his relatives hurt?", text, history=history) == [text.splitlines()[1]]
    # When no sentence says what the follow-up adds, the earlier subject still answers.
    assert answered("Was anyone else there?", text, history=history) != []


def test_in_a_follow_up_closeness_in_meaning_alone_takes_no_side() -> None:
    from assistant.answer.select import weights
    from assistant.answer.sides import settle
    from assistant.answer.stance import stands_of

    strike = "The strike in Port Lyle on Sunday killed Karl Dorn, the leader of the Red Brigade.\n"
    reading = make_reading(strike, speaker="Ola Nord")
    history = ["Who did the strike in Port Lyle kill on Sunday?"]
    q = understand("Were any of his relatives hurt?", [Turn(role="user", content=history[0])])
    assert q.predicate == ("hurt",)
    found = [s for c in score_sentences(q.text, reading, similarity=0.8, history=history)
             for s in stands_of(c, weights(q, {}), q)]
    assert settle(found) == []  # close to the earlier question, silent on the relatives


def test_a_follow_up_also_searches_its_own_words_with_the_names_before_it() -> None:
    from types import SimpleNamespace

    from assistant.answer.gather import retrieve
    from assistant.filters import Filters
    from assistant.types import DocumentInfo, Evidence, Passage

    def hit(doc: str) -> Evidence:
        passage = Passage(document_id=doc, start=0, end=1, text="x")
        return Evidence(passage=passage, document=DocumentInfo(id=doc, title=doc), score=1.0)

    queries: list[tuple[str, int]] = []

    def search(query: str, k: int, filters: Filters, speakers: tuple[str, ...]) -> list[Evidence]:
        queries.append((query, k))
        return [hit("strike.txt")] if len(queries) == 1 else [hit("strike.txt"), hit("family.txt")]

    briefing = SimpleNamespace(settings=SimpleNamespace(top_k=12), retriever=SimpleNamespace(search=search))
    earlier = [Turn(role="user", content="Who did the strike kill in Port Lyle?")]
    found = retrieve(understand("Were any of his relatives hurt?", earlier), briefing, Filters())  # type: ignore[arg-type]
    assert [e.passage.document_id for e in found] == ["strike.txt", "family.txt"]
    assert queries[1] == ("Were any of his relatives hurt? Port Lyle", 6)
    queries.clear()
    retrieve(understand("Who did the strike kill in Port Lyle?", []), briefing, Filters())  # type: ignore[arg-type]
    assert len(queries) == 1  # a question alone is searched once


def test_whom_a_question_asks_about_as_a_speaker() -> None:
    asked = "In his first address, did the American president say the war was over?"
    speakers = understand(asked, []).speakers
    assert {"american", "us", "unit", "stat"} <= set(speakers)  # a speech "of the United States"
    assert understand("What did New Delhi's leader warn about?", []).speakers == ("delhi", "india", "indian")
    assert understand("What did Ola Nord say about the floods?", []).speakers == ("ola", "nord")
    assert understand("What did Ola Nord insist on at the debate?", []).speakers == ("ola", "nord")
    assert understand("Does the Red Brigade operate in Freedonia?", []).speakers == ()
    # Asking for someone's position or where they stand asks what they say.
    assert understand("What is Ola Nord's position on the Red Brigade?", []).speakers == ("ola", "nord")
    assert understand("Where does Ola Nord stand on the floods?", []).speakers == ("ola", "nord")
    assert understand("What is the Red Brigade's strength in Freedonia?", []).speakers == ()
    # So does asking what they want, expect or accuse someone of.
    assert understand("What does Ola Nord want from the Red Brigade?", []).speakers == ("ola", "nord")
    assert understand("What did Ola Nord accuse Freedonia of?", []).speakers == ("ola", "nord")


def test_names_in_a_when_clause_set_the_scene_and_need_not_be_said() -> None:
    # "None of his family members were hurt" answers without naming Sylvania or Port Lyle.
    scene = understand("Were Karl Dorn's wife and daughter hurt when the Sylvanian strike hit Port Lyle?", [])
    assert scene.entities == ("karl", "dorn")
    assert "sylvanian" in scene.terms  # still searched for and weighed
    # A question that opens with "when" asks for the time: its names stay.
    assert understand("When did Sylvania strike Port Lyle?", []).entities == ("sylvania", "port", "lyl")


def test_a_peoples_adjective_describes_and_need_not_be_named() -> None:
    # "the West African country" is answered by a sentence that names Niger.
    described = understand("When will the last American soldiers leave the West African country?", [])
    assert described.entities == ()
    assert {"american", "west", "african"} <= set(described.terms)
    # Names used as names stay required.
    assert understand("Did America send soldiers to Niger?", []).entities == ("america", "niger")


def test_two_words_that_name_one_party_are_one_term() -> None:
    q = understand("Was the United States winning the war in Freedonia?", [])
    assert "us" in q.terms and "us" in q.entities and not {"unit", "stat"} & set(q.terms)
    assert understand("Did the White House warn Estland?", []).entities[0] == "us"


def test_a_follow_up_that_states_what_it_asks_has_its_own_topic() -> None:
    earlier = [Turn(role="user", content="Who killed Karl Dorn?")]
    assert understand("Were any civilians hurt?", earlier).topic == "Whether any civilians were hurt"
    assert understand("And Ola Nord?", earlier).topic == "Who killed Ola Nord"


def test_a_follow_up_of_another_kind_reads_the_earlier_questions_subject_not_its_asking() -> None:
    """After "Who carried out the attack ...?", "How many were killed in it?" is about the attack:
    searched with "carried out", it finds another strike someone carried out."""
    earlier = [Turn(role="user", content="Who carried out the attack on the Port Lyle ferry?")]
    toll = understand("How many people were killed in it?", earlier)
    assert "carried" not in toll.query and {"port", "lyl", "ferri", "attack"} <= set(toll.terms)
    assert not {"carri", "perpetrat"} & set(toll.terms)
    again = understand("And who paid for it?", earlier)  # a follow-up of the same kind keeps it all
    assert "carried out the attack" in again.query

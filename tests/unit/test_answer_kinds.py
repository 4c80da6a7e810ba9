"""The asked-for kind of thing: a place, a time, a share, a name, a leader, a weapon.

On invented documents read directly (no index, no model).
"""

from __future__ import annotations

import pytest

from assistant.answer.answering import answering
from assistant.answer.conversation import understand
from assistant.answer.kinds import has_answer_type
from assistant.answer.question import classify
from assistant.answer.select import weights
from tests.answer_support import STRIKE, answered, make_reading, score_sentences, whole


def test_where_someone_stands_is_a_position_not_a_place() -> None:
    assert classify("Where does Islamabad stand on new permanent seats?") == "what"
    assert classify("Where was the emir killed?") == "where"
    assert classify("What share of the world's opium comes from Freedonia?") == "howmany"
    leader = understand("Who is the leader of the Red Brigade?", [])
    assert not has_answer_type(leader, "The Red Brigade attacked Estland, Anna Berg said.")
    assert has_answer_type(leader, "Karl Dorn, the chief of the Red Brigade, spoke from Estland.")
    q = understand("Where did Zaidi respond to the allegations?", [])
    assert has_answer_type(q, "Responding via the social media platform X, Zaidi dismissed the allegations.")
    trial = understand("Where is Karl Dorn facing trial?", [])
    assert has_answer_type(trial, "He was transported to Port Lyle, where he awaits trial.")  # whither
    assert has_answer_type(trial, "He was taken into Sylvanian custody.")
    assert not has_answer_type(trial, "He was handed over to Karl Dorn's lawyers.")  # the subject is no place


def test_where_wants_a_place_other_than_the_subject() -> None:
    assert answered("Where was Karl Dorn living?", STRIKE) == [STRIKE.splitlines()[1]]


def test_a_share_wants_a_share_and_a_measure_wants_a_figure() -> None:
    text = (
        "Roughly 1.8 metric tons of opium were seized at the lab in Freedonia.\n"
        "Drug trafficking in Freedonia provides more than 90 percent of the world's opium.\n"
    )
    assert answered("What share of the world's opium comes from Freedonia?", text) == [text.splitlines()[1]]
    assert classify("How long is Estland's border with Freedonia?") == "howmany"
    border = (
        "Estland must strengthen its border with Freedonia.\n"
        "Estland shares 1,400 kilometres of border with Freedonia.\n"
    )
    assert answered("How long is Estland's border with Freedonia?", border) == [border.splitlines()[1]]
    # "share" the verb asks for a figure, not a share.
    asked = "How many kilometres of border does Estland share with Freedonia?"
    assert answered(asked, border) == [border.splitlines()[1]]
    # "How large was the reward ...?" wants the reward's figure, not any figure.
    reward = "Two large missiles were fired at Karl Dorn, who was offered no quarter.\nIt was fine.\n"
    assert answered("How large was the reward offered for Karl Dorn?", reward) == []


def test_a_date_alone_says_no_amount() -> None:
    how_much = understand("How much of the Estland-Freedonia border have the two agreed a description for?",
                          [])
    dated = "On 20 September, the leader of Estland spoke about the Estland-Freedonia border (see A/77/PV.4)."
    assert not has_answer_type(how_much, dated)
    assert not has_answer_type(how_much, "Between 2004 and 2014 Estland and Freedonia spoke of the border.")
    agreed = "Estland and Freedonia have agreed a description of about 602 kilometres of the border."
    assert has_answer_type(how_much, agreed)
    assert has_answer_type(how_much, "Since 2009, the two have agreed on two thirds of the border.")
    # How long something lasted may be answered by the dates it ran between.
    assert has_answer_type(understand("How long did the Estland-Freedonia truce last?", []),
                           "The truce lasted from 2004 to 2014.")


def test_what_time_wants_a_clock_time() -> None:
    assert classify("At what time was the strike on Karl Dorn carried out?") == "when"
    text = (
        "On Saturday the strike on Karl Dorn was carried out in Port Lyle.\n"
        "The strike on Karl Dorn was carried out at 9:48 p.m. Eastern Time.\n"
    )
    assert answered("At what time was the strike on Karl Dorn carried out?", text) == [text.splitlines()[1]]


def test_who_leads_wants_a_sentence_about_a_leader() -> None:
    text = (
        "The Red Brigade, an arch-enemy of the Blue Army, has been planning attacks on Freedonia.\n"
        "Karl Dorn has led the Red Brigade since 2019.\n"
    )
    assert answered("Who leads the Red Brigade?", text) == [text.splitlines()[1]]
    assert answered("Who leads the Red Brigade?", text.splitlines()[0]) == []


def best(question: str, text: str) -> str:
    """The first answering sentence of ``text``, ranked with every bonus ``select.candidates`` gives."""
    from assistant.answer.select import candidates

    reading = make_reading(text)
    q = understand(question, [])
    weight = weights(q, {})
    item = whole(reading)
    return answering(q, candidates(q, [(item, reading)], weight), weight)[0].text


def test_who_was_prefers_the_sentence_that_says_who() -> None:
    text = (
        "Two missiles were fired at the house of Karl Dorn in Port Lyle on Sunday night.\n"
        "Karl Dorn was the deputy of the Red Brigade's founder for twenty years.\n"
    )
    assert best("Who was Karl Dorn?", text) == text.splitlines()[1]
    apposition = (
        "Karl Dorn ate at the house in Port Lyle.\nThe strike killed the emir of the Red Brigade, Karl Dorn."
    )
    assert best("Who was Karl Dorn?", apposition) == apposition.splitlines()[1]
    titled = (
        "Karl Dorn ate at the house in Port Lyle with Ola Nord.\n"
        "Ola Nord rejected the claims made by Red Brigade spokesperson Karl Dorn.\n"
    )
    assert best("Who is Karl Dorn?", titled) == titled.splitlines()[1]


def test_the_attribute_asked_for_must_be_in_the_answer() -> None:
    text = (
        "Estland shares 1,400 kilometres of border with Freedonia.\n"
        "The strike on Karl Dorn took place on Sunday.\n"
    )
    assert answered("What is the population of Estland?", text) == []
    assert answered("What was the name of the drone operator in the strike on Karl Dorn?", text) == []
    census = "Estland has a population of 10 million people.\n"
    assert answered("What is the population of Estland?", census) == [census.strip()]
    position = understand("What is the position of Estland on Freedonia?", [])
    assert has_answer_type(position, text.splitlines()[0])


def test_who_said_is_answered_by_a_sentence_whose_speaker_is_known() -> None:
    text = "Senior Brigade figures were aware of Dorn's presence in Port Lyle.\nThe weather was fine.\n"
    question = "Who said senior Brigade figures knew that Dorn was in Port Lyle?"
    assert answered(question, text, speaker="Ola Nord, Foreign Minister") == [text.splitlines()[0]]
    assert answered(question, text) == []  # no one is known to have said it


def test_what_something_is_called_wants_a_name_for_that_thing() -> None:
    text = (
        "Our national effort against the Brigade will not stop.\n"
        "We fight the Brigade through our national effort, Azm-e-Istehkam.\n"
    )
    question = "What is Estland's national campaign against the Brigade called?"
    assert answered(question, text, speaker="Anna Berg, President of Estland") == [text.splitlines()[1]]


def test_who_did_it_is_answered_by_the_agent_of_that_deed_even_unnamed() -> None:
    q = understand("Who does Estland accuse of sponsoring the attacks it suffers?", [])
    suffered = "We suffer attacks from across our border, sponsored and financed by our adversary."
    assert has_answer_type(q, suffered)
    carried = understand("Who carried out the attack?", [])
    assert has_answer_type(carried, "The attack was carried out by the group in the hills.")
    assert not has_answer_type(carried, "The attack was condemned by the government.")  # not the deed asked


def test_a_name_asked_for_must_be_a_new_one_and_a_persons_name_a_persons() -> None:
    successor = understand("Who took over as head of the Red Brigade after Karl Dorn was killed?", [])
    # The question's own man, by his full name, on a Saturday: no new name, and no successor.
    killed = "The strike killed the Red Brigade's leader, Chief Karl Dorn, on Saturday."
    assert not has_answer_type(successor, killed)
    assert not has_answer_type(successor, "Ola Nord said the Red Brigade was weakened.")  # no head
    assert has_answer_type(successor, "After the strike, Ola Nord became the new leader of the Red Brigade.")
    arrested = understand("What is the name of the Sylvanian national arrested in Estland?", [])
    unnamed = (
        "The Department of Justice charged a Sylvanian national arrested in Estland who planned to attack "
        "the Freedonia Community Center."
    )
    assert not has_answer_type(arrested, unnamed)
    named = "Police in Estland arrested the Sylvanian national Anton Weiss on Monday."
    assert has_answer_type(arrested, named)
    # "The Intelligence Community assesses ..." names who assesses, though it opens the sentence.
    assesses = understand("Who assesses that the Red Brigade is weaker now?", [])
    assert has_answer_type(assesses, "The Intelligence Community assesses that the Brigade is weaker today.")


def test_what_kind_of_thing_wants_that_thing_or_a_kind_of_it() -> None:
    weapon = understand("What kind of weapon was used to kill Karl Dorn?", [])
    assert has_answer_type(weapon, "Two missiles were fired at Karl Dorn, who was killed.")
    assert not has_answer_type(weapon, "Sylvania killed Karl Dorn on Saturday in Port Lyle.")
    aircraft = understand("What kind of aircraft carried out the strike on Karl Dorn?", [])
    assert has_answer_type(aircraft, "The strike was carried out by an unmanned aerial vehicle.")
    assert has_answer_type(aircraft, "A drone carried out the strike.")
    assert not has_answer_type(aircraft, "Two missiles were fired at Karl Dorn.")  # a weapon, not an aircraft


def test_a_document_that_keeps_naming_a_place_need_not_name_it_in_the_answer() -> None:
    """A call on the strike in Port Lyle is about Port Lyle: its sentence on the missiles answers."""
    call = (
        "Good evening.  The operation in Port Lyle took months.  Port Lyle is a crowded city.  "
        "We watched the house in Port Lyle for weeks.  The team briefed the President twice.  "
        "Then the order was given.  The drone flew at night.  Two missiles were fired at Karl Dorn, "
        "who was killed.\n"
    )
    question = "What kind of weapon was used to kill Karl Dorn on his Port Lyle balcony?"
    q = understand(question, [])
    idf = {"weapon": 2.0, "used": 1.0, "kill": 2.0, "karl": 3.0, "dorn": 3.0, "port": 4.0, "lyl": 5.0}
    weight = weights(q, idf)  # the place is the rarest name

    def answers(text: str) -> list[str]:
        scored = score_sentences(question, make_reading(text), similarity=0.5)
        return [c.text for c in answering(q, scored, weight)]

    assert answers(call) == ["Two missiles were fired at Karl Dorn, who was killed."]
    once = call.replace("Port Lyle is a crowded city.  We watched the house in Port Lyle", "We watched it")
    assert answers(once) == []  # named once, long before: not what the document is about


def test_one_of_many_is_no_figure() -> None:
    toll = understand("What was the death toll of the Port Lyle bombing?", [])
    assert not has_answer_type(toll, "One of the worst trends is the rise of bombings in Port Lyle.")
    assert not has_answer_type(toll, "No one knows who planted the bomb in Port Lyle.")
    assert has_answer_type(toll, "One person died in the Port Lyle bombing.")


def test_which_group_wants_an_organisations_name_not_a_persons_or_a_countrys() -> None:
    q = understand("Which group does Estland now see as the main danger coming out of Freedonia?", [])
    assert not has_answer_type(q, "As President Karl Dorn said, we will not let Freedonia harm Americans.")
    assert not has_answer_type(q, "The danger to Pakistan comes out of Freedonia, the minister said.")
    assert has_answer_type(q, "The main danger coming out of Freedonia today is the Red Brigade.")
    # Other which-questions still take a person: "Which official ...?"
    official = understand("Which official said that Freedonia is a danger?", [])
    assert has_answer_type(official, "As President Karl Dorn said, Freedonia is a danger.")


def test_which_agency_wants_an_institutions_name_not_a_persons() -> None:
    q = understand("Which Estland agency flew the drone that killed Karl Dorn?", [])
    assert not has_answer_type(q, "Karl Dorn was Ola Nord's deputy when an Estland drone killed him.")
    assert has_answer_type(q, "The drone that killed Karl Dorn was flown by the Estland Intelligence Agency.")
    assert has_answer_type(q, "The ESA flew the drone that killed Karl Dorn.")
    assert has_answer_type(q, "The drone was flown by the Lyle Directorate.")


def test_how_much_it_cost_wants_money() -> None:
    cost = understand("How much did the strike on Karl Dorn cost?", [])
    assert not has_answer_type(cost, "The strike on Karl Dorn was carried out at 9:48 p.m. on July 30th.")
    assert has_answer_type(cost, "The strike on Karl Dorn cost $2 million.")
    assert has_answer_type(cost, "The strike on Karl Dorn cost 14 million dollars.")


def test_who_replaced_someone_wants_a_succession() -> None:
    q = understand("Who took over as head of the Red Brigade after Karl Dorn was killed?", [])
    assert not has_answer_type(q, "Since Ola Nord died, Karl Dorn has been the head of the Red Brigade.")
    assert has_answer_type(q, "After the strike, Anna Berg was appointed head of the Red Brigade.")
    replaced = understand("Who replaced Karl Dorn as leader of the Red Brigade?", [])
    assert has_answer_type(replaced, "The council named Anna Berg as Dorn's successor at the head.")
    # Whom Dorn replaced is the other way round.
    assert not has_answer_type(replaced, "Dorn was Ola Nord's deputy and his successor as leader in 2011.")
    assert not has_answer_type(replaced, "Dorn replaced Ola Nord as the leader of the Red Brigade.")
    # "al" in the question ("al Sharq") does not make "Saif al-Adel" a name it holds.
    sharq = understand("Who replaced Karl Dorn as the leader of al Sharq?", [])
    assert has_answer_type(sharq, "Saif al-Adel succeeded Dorn as the leader of al Sharq.")


def test_a_role_asked_for_is_named_and_a_sentence_dated_later_is_not_of_the_year() -> None:
    text = (
        "Mr. DORN. Mr. Speaker, in 2007 I fear that President Ward is sending troops to the wrong war.\n"
        "In December 2009, Anna Berg, the Estland Ambassador to Freedonia, testified before us.\n"
    )
    assert answered("Who was the Estland ambassador to Freedonia in 2007?", text) == []
    ambassador = understand("Who was the Estland ambassador to Freedonia?", [])
    assert not has_answer_type(ambassador, "I fear that President Ward of Estland sends troops to Freedonia.")
    assert answered("Who was the Estland ambassador to Freedonia in 2009?", text) == [text.splitlines()[1]]
    # An earlier year is background, not another time: "since 2001" may speak of 2007.
    since = "Since 2001 Anna Berg has been the Estland Ambassador to Freedonia, in 2007 as before.\n"
    assert answered("Who was the Estland ambassador to Freedonia in 2007?", since) == [since.strip()]


def test_a_statement_of_the_next_years_first_months_speaks_of_the_end_of_a_year() -> None:
    text = "Mr. DORN. Mr. Speaker, Anna Berg is the Estland Ambassador to Freedonia.\n"
    january = {"date_lo": 20070122, "date_hi": 20070122}
    assert answered("Who was the Estland ambassador to Freedonia in late 2006?", text, **january)
    assert answered("Who was the Estland ambassador to Freedonia in 2006?", text, **january) == []
    assert answered("Who was the Estland ambassador to Freedonia in late 2005?", text, **january) == []
    june = {"date_lo": 20070601, "date_hi": 20070601}
    assert answered("Who was the Estland ambassador to Freedonia in late 2006?", text, **june) == []


def test_the_name_of_an_emir_is_a_persons_name() -> None:
    q = understand("What was the name of the Red Brigade emir killed in the airstrike?", [])
    assert not has_answer_type(q, "In August, an airstrike killed the emir of the Red Brigade in Estland.")
    assert has_answer_type(q, "In late August, an airstrike killed Karl Dorn, the emir of the Red Brigade.")


def test_which_noun_is_not_answered_by_the_questions_own_name_spelt_out_or_a_lone_letter() -> None:
    q = understand("Which UN report did Ola Nord cite?", [])
    assert not has_answer_type(q, "On the platform X, Ola Nord pointed to findings of the United Nations.")
    assert has_answer_type(q, "Ola Nord cited the Harlow Review of the United Nations.")


def test_the_words_of_a_name_in_another_order_name_someone_else() -> None:
    text = (
        "The man behind the floods, Dorn Ola Karl, spent years in Estland.\n"
        "Ola Dorn was sentenced in Port Lyle in May.\n"
    )
    assert answered("Who is Ola Dorn?", text) == [text.splitlines()[1]]
    assert answered("Who is Dorn Karl?", text) == [text.splitlines()[0]]  # in order, with more between


def test_who_did_it_prefers_the_sentence_where_it_is_done_to_the_object() -> None:
    from assistant.answer.defining import does_the_asked

    q = understand("Who killed Karl Dorn?", [])
    assert does_the_asked(q, "The strike of the Red Brigade killed Karl Dorn in Port Lyle.")
    assert does_the_asked(q, "Karl Dorn was killed by a drone of the Red Brigade.")
    assert not does_the_asked(q, "Karl Dorn took over in 2011, after Ola Nord was killed by the Red Brigade.")
    text = (
        "Karl Dorn took over from Ola Nord in 2011, following Ola Nord's death at the hands of the Front.\n"
        "The operation of the Red Brigade killed Karl Dorn.\n"
    )
    assert best("Who killed Karl Dorn?", text) == text.splitlines()[1]
    when = understand("When was Karl Dorn killed?", [])
    assert does_the_asked(when, "Officials said that this was Karl Dorn and that he was killed on Sunday.")
    # "Who" wants whoever did it: a passive without "by" says only that it was done.
    assert not does_the_asked(q, "Officials said that this was Karl Dorn and that he was killed on Sunday.")
    assert not does_the_asked(when, "Karl Dorn took over in 2011, following Ola Nord's death.")


def test_how_many_of_a_sort_is_not_answered_by_figures_of_another_sort() -> None:
    soldiers = understand("How many soldiers of Estland died in the floods?", [])
    assert not has_answer_type(soldiers, "In the floods, 40 civilians of Estland died, and 140 were wounded.")
    assert not has_answer_type(soldiers, "On 20 September the floods reached Estland (see A/77/PV.4).")
    assert has_answer_type(soldiers, "In the floods, 40 civilians and 12 soldiers of Estland died.")
    assert has_answer_type(soldiers, "Estland lost 12 of its bravest in the floods.")  # of no known sort
    civilians = understand("How many civilians did the strikes of Sylvania kill?", [])
    assert not has_answer_type(civilians, "Sylvania carried out 480 drone strikes in Estland.")


_IRAQIS = "How many Iraqi citizens died in the border clashes with Syria?"


@pytest.mark.parametrize(
    ("question", "sentence", "answers"),
    [
        (_IRAQIS, "In the clashes, over 40 civilians of Syria died, and 200 were hurt.", False),
        (_IRAQIS, "In the clashes, 40 Syrian citizens died.", False),
        (_IRAQIS, "Iraq shares 600 kilometres of border with Syria.", False),  # a measure counts no one
        (_IRAQIS, "In the clashes, 40 Iraqi civilians died.", True),
        (_IRAQIS, "In the clashes, 40 people died on both sides.", True),  # of no known people
        ("How many soldiers of Iraq died in the clashes?", "Iraq lost 12 soldiers in Syria.", True),  # where
    ],
)
def test_how_many_of_a_people_wants_that_peoples_figures(question: str, sentence: str, answers: bool) -> None:
    assert has_answer_type(understand(question, []), sentence) is answers


def test_a_why_question_ranks_up_the_sentence_that_gives_a_reason() -> None:
    text = (
        "Estland abstained on the resolution in the council today.\n"
        "The resolution on the Freedonia truce called for talks.\n"
        "Estland abstained on the resolution because it did not condemn the Brigade.\n"
    )
    reason = "Estland abstained on the resolution because it did not condemn the Brigade."
    assert best("Why did Estland abstain on the resolution?", text) == reason
    assert best("Did Estland abstain on the resolution?", text) == text.splitlines()[0]
    assert best("According to its envoy, why did Estland abstain on the resolution?", text) == reason


def test_a_name_that_opens_a_sentence_as_its_subject_answers_who() -> None:
    deputy = understand("Who was Ola Nord's deputy?", [])
    assert has_answer_type(deputy, "Dorn was Ola Nord's deputy during the war and his successor in 2011.")
    # A capital that only opens the sentence names no one.
    assert not has_answer_type(deputy, "Yesterday was the day Ola Nord's deputy spoke.")
    assert not has_answer_type(deputy, "He was Ola Nord's deputy during the war.")


@pytest.mark.parametrize(
    "says_who",
    [
        "The Red Brigade bears sole responsibility for the bombing in Port Lyle.",
        "The bombing in Port Lyle was carried out by the Red Brigade.",
    ],
)
def test_who_was_behind_it_is_answered_by_who_bears_responsibility_or_carried_it_out(says_who: str) -> None:
    duties = "The bombing in Port Lyle shocked Estland, and the responsibilities of its police grew."
    assert best("Who was behind the bombing in Port Lyle?", f"{duties}\n{says_who}\n") == says_who

"""Stances: who affirms and who denies a yes/no question's proposition, on invented documents."""

from __future__ import annotations

from assistant.answer.conversation import understand
from assistant.answer.select import weights
from assistant.answer.sides import settle
from assistant.answer.stance import stands_of
from tests.answer_support import make_reading, score_sentences, stands


def test_speeches_that_disagree_without_reporting_verbs_are_a_conflict() -> None:
    """Two speakers, no "said" or "denied": the sentences' meaning and negation decide."""
    speeches = {
        "Ola Nord, President of Estland": "The agencies of Sylvania have been arming the Red Brigade.",
        "Anna Berg, Foreign Minister of Sylvania": "The rise of the Red Brigade is not because of Sylvania.",
    }
    question = "Is Sylvania to blame for the rise of the Red Brigade?"
    assert set(stands(question, speeches, similarity=0.7)) == {
        ("Ola Nord, President of Estland", "affirms"),
        ("Anna Berg, Foreign Minister of Sylvania", "denies"),
    }
    # Far in meaning, the accuser's sentence (few of the question's words) takes no side.
    assert stands(question, speeches, similarity=0.2) == [
        ("Anna Berg, Foreign Minister of Sylvania", "denies")
    ]


def test_a_sentence_close_in_meaning_but_sharing_only_the_names_takes_no_side() -> None:
    nord, berg = "Ola Nord, President of Estland", "Anna Berg, Foreign Minister of Sylvania"
    speeches = {
        nord: "We made it clear to the Brigade that we expect them to honour the accord.",
        berg: "The Brigade agreed to the ceasefire and withdrew its fighters.",
    }
    question = "Did the Brigade accept the ceasefire and withdraw its fighters from the border?"
    assert stands(question, speeches, similarity=0.6) == [(berg, "affirms")]
    # "the war" is not "win the war": a close sentence must say much of what is asked.
    ally = {berg: "We suffered so much because we became an ally of Estland in the war in Freedonia."}
    assert stands("Did Estland decisively win the war in Freedonia?", ally, similarity=0.6) == []


def test_a_denial_without_the_predicate_denies_only_the_name_it_comes_before() -> None:
    """Close in meaning, sharing no word of what is asked: the negation must be of a name asked about."""
    nord = "Ola Nord, President of Estland"
    view = {nord: "I have never been of the view that we should be sacrificing Estland lives to build "
                  "a new government in Freedonia."}
    assert stands("Did Estland win the war in Freedonia?", view, similarity=0.55) == []
    linkage = {nord: "There was no linkage to Sylvania in the attack."}
    assert stands("Was Sylvania behind the attack?", linkage, similarity=0.55) == [(nord, "denies")]
    dismissed = {nord: "This is just more propaganda from the Brigade about Sylvania and the attack."}
    assert stands("Was Sylvania behind the attack?", dismissed, similarity=0.55) == [(nord, "denies")]


def test_a_war_elsewhere_is_not_the_war_asked_about() -> None:
    question = "Did Estland win its war in Sylvania?"
    said = "Our troops have served in Sylvania for years. President Ward of Estland said that we win {}.\n"
    on_smuggling = {"Mr. Oden": said.format("the war on smuggling")}
    assert stands(question, on_smuggling, similarity=0.3) == []
    in_sylvania = {"Mr. Oden": said.format("the war in Sylvania")}
    assert stands(question, in_sylvania, similarity=0.3) == [("President Ward of Estland", "affirms")]


def test_blame_by_an_agent_is_the_agents_claim() -> None:
    from assistant.answer.claims import read_claims

    sentence = (
        "For some reason, Sylvania has been blamed for the turn of events "
        "by politicians in the United States."
    )
    assert [(c.holder, c.polarity) for c in read_claims(sentence)] == [
        ("politicians in the United States", "assert")
    ]


def test_a_pledge_takes_no_side_on_whether_something_is_so() -> None:
    speeches = {
        "Ola Nord, President of Estland": "Freedonia is rapidly becoming a safe haven for terrorist groups.",
        "Anna Berg, Foreign Minister of Sylvania": (
            "We will not allow Freedonia to become a safe haven for them."
        ),
    }
    assert stands("Is Freedonia a safe haven for terrorist groups?", speeches, similarity=0.7) == [
        ("Ola Nord, President of Estland", "affirms")
    ]


def test_a_quoted_question_keeps_its_marker_and_takes_no_side() -> None:
    from assistant.answer.render import render
    from assistant.answer.verify import answer_sentences

    text = "MR. KIRBY:\xa0 Is Sylvania behind the attack on the river ports?\nThe ports reopened in May."
    question = "Is Sylvania behind the attack on the river ports?"
    (cand,) = [c for c in score_sentences(question, make_reading(text)) if c.text.endswith("?")]
    rendered = render(cand, 2) + " Next sentence [3]."
    assert answer_sentences(rendered)[0].endswith("?” [2].")
    q = understand(question, [])
    assert stands_of(cand, weights(q, {}), q) == []


def test_a_yes_no_answer_opens_with_the_sentence_that_takes_a_side() -> None:
    from assistant.answer.compose import side_answers
    from assistant.answer.stance import Stand

    reading = make_reading(
        "Today Estland abstained on the resolution on Freedonia.\n"
        "Our vote does not represent a change in our policy.\n",
        speaker="Ola Nord, spokesman of Estland",
    )
    context, side = sorted(score_sentences("Is the vote a change in policy?", reading), key=lambda c: c.index)
    # The side answers; a sentence that takes none is left out of the answer to a yes/no question.
    assert [c.index for c in side_answers([context], [Stand(side, "Ola Nord", "denies")])] == [1]
    assert [c.index for c in side_answers([context, side], [Stand(side, "Ola Nord", "denies")])] == [1]
    both = [Stand(side, "Ola Nord", "denies"), Stand(context, "Ola Nord", "denies")]
    assert [c.index for c in side_answers([context], both)] == [1, 0]  # the best, then the other side-taker
    # A reporter's framing opens the answer only when no one else's words take a side.
    gaggle = make_reading(
        "Q    So the vote on Freedonia is not a change in your policy on Freedonia?\n\n"
        "Q    You said the vote is not a change in policy.\n\n"
        "MR. NORD:  Our vote does not represent a shift.\n"
    )
    scored = {c.index: c for c in score_sentences("Is the vote a change in policy?", gaggle)}
    framed, official = scored[1], scored[2]
    assert framed.text.startswith("Q    You said") and official.text.startswith("MR. NORD")
    framing = [Stand(framed, "Mr. Nord", "denies"), Stand(official, "Mr. Nord", "denies")]
    assert framed.score > official.score
    assert [c.text for c in side_answers([], framing)][:1] == [official.text]
    assert [c.text for c in side_answers([], framing[:1])] == [framed.text]


def test_a_predicate_another_party_owns_is_not_the_subjects() -> None:
    speech = {"Ola Nord, President of Estland": "We have sought Sylvania's support against the Red Brigade."}
    assert stands("Is Estland supporting the Red Brigade?", speech, similarity=0.3) == []
    owned = {"Ola Nord, President of Estland": "Estland's support for the Red Brigade has grown."}
    assert stands("Is Estland supporting the Red Brigade?", owned, similarity=0.3) == [
        ("Ola Nord, President of Estland", "affirms")
    ]


def test_an_unresolved_they_takes_no_side() -> None:
    report = {"": "They said that the Red Brigade operates in Freedonia."}
    assert stands("Does the Red Brigade operate in Freedonia?", report, similarity=0.3) == []


def test_the_whole_predicate_said_of_the_place_takes_a_side_when_the_group_is_named_elsewhere() -> None:
    # The speech names the Brigade, but not near the sentence that says no inclusive
    # government has been formed in Estland: it still denies that the Brigade formed one.
    nord = "Ola Nord, Foreign Minister of Sylvania"
    speech = (
        "The Brigade took Tallburg last summer.\n"
        "We trade with our neighbours.\nOur rivers are clean.\nOur schools are open.\n"
        "One year on, no inclusive government has been formed in Estland.\n"
    )
    question = "Has the Brigade formed an inclusive government in Estland?"
    assert stands(question, {nord: speech}, similarity=0.0) == [(nord, "denies")]
    # Part of the predicate is not enough when the group is not near the sentence.
    partial = speech.replace("no inclusive government has been formed", "no government has been formed")
    assert stands(question, {nord: partial}, similarity=0.0) == []


def test_a_side_need_not_repeat_the_date_that_names_the_event() -> None:
    # "the bombing of Friday 22 March 2024" dates the subject; "blamed ... for the bombing"
    # still takes a side.
    speeches = {"Ola Nord, President of Estland": "Estland blamed Sylvania for the bombing."}
    question = "Was Sylvania behind the bombing of Friday 22 March 2024?"
    assert stands(question, speeches, similarity=0.0) == [("Estland", "affirms")]


def test_a_sentence_about_the_subject_does_not_affirm_what_it_does_not_say() -> None:
    # Close in meaning and naming both parties, but saying nothing of blame: no side. Very
    # close, it says the predicate in other words; a denial takes its side either way.
    nord, berg = "Ola Nord, President of Estland", "Anna Berg, Foreign Minister of Sylvania"
    speeches = {
        nord: "Sylvania shares the concern about the fighters of the Red Brigade.",
        berg: "The rise of the Red Brigade is not because of Sylvania.",
    }
    question = "Is Sylvania to blame for the rise of the Red Brigade?"
    assert stands(question, speeches, similarity=0.6) == [(berg, "denies")]
    assert set(stands(question, speeches, similarity=0.7)) == {(nord, "affirms"), (berg, "denies")}


def test_a_side_said_in_as_many_words_outweighs_sentences_that_only_share_them() -> None:
    """A plain sentence on the subject is no side once someone says so explicitly.

    Journalists seen "reporting" hold their claim; "airstrike" is a strike.
    """
    speeches = {
        "The President": "The strike killed Karl Dorn, the leader of the Red Brigade.",
        "A reporter": "I've seen local journalists reporting that Karl Dorn's son was also killed in the "
                      "airstrike.",
        "A senior official": "We have no evidence of any other loss of life in the strike on Karl Dorn.",
    }
    question = "Was anyone other than Karl Dorn killed in the strike?"
    q = understand(question, [])
    weight = weights(q, {})
    found = [
        s
        for speaker, text in speeches.items()
        for c in score_sentences(question, make_reading(text, speaker=speaker), similarity=0.6)
        for s in stands_of(c, weight, q)
    ]
    assert ("The President", "affirms") in {(s.holder, s.stance) for s in found}
    assert {(s.holder, s.stance) for s in settle(found)} == {
        ("local journalists", "affirms"), ("A senior official", "denies")
    }


def test_a_claim_close_in_meaning_takes_a_side_in_other_words() -> None:
    news = {"Daily Estland": "Ola Nord alleged that Sylvania keeps supplying the Red Brigade with rifles."}
    question = "Is Sylvania arming the Red Brigade?"
    assert stands(question, news, similarity=0.7) == [("Ola Nord", "affirms")]
    assert stands(question, news, similarity=0.5) == []  # not "arming", and not close enough to say it


def test_what_is_asked_of_the_subject_is_the_predicate_not_the_subjects_words() -> None:
    from assistant.answer.proposition import predicate_terms, split_yes_no

    question = "Were any of Karl Dorn's family members harmed in the strike?"
    assert split_yes_no(question) == (
        "were", ["any", "of", "Karl", "Dorn's", "family", "members"], ["harmed", "in", "the", "strike"]
    )
    assert predicate_terms(question) == ("harm", "strik")
    speeches = {
        "The President": "Karl Dorn had moved to Port Lyle to live with the members of his family.",
        "A senior official": "Karl Dorn's family members were not harmed in the strike.",
    }
    assert stands(question, speeches, similarity=0.6) == [("A senior official", "denies")]


def test_a_relative_clause_describes_what_is_asked_and_a_side_need_not_say_it() -> None:
    from assistant.answer.proposition import described_terms, predicate_terms

    question = "Did the Brigade form the inclusive government they promised?"
    assert predicate_terms(question) == ("form", "inclusiv", "govern")
    assert described_terms(question) == {"promis"}
    # A complement of a reporting verb is what is asked, not a description.
    assert predicate_terms("Did Estland claim they backed the Brigade?") == ("claim", "back", "brigad")
    nord = "Ola Nord, Foreign Minister of Sylvania"
    speech = (
        "The Brigade took Tallburg last summer.\n"
        "We trade with our neighbours.\nOur rivers are clean.\nOur schools are open.\n"
        "One year after the fall of Tallburg, no inclusive government has been formed.\n"
    )
    # The whole of a predicate of three terms is said, in a speech that names the Brigade.
    assert stands(question, {nord: speech}, similarity=0.0) == [(nord, "denies")]
    # A predicate of one term is too little to take a side on for a sentence without the names.
    short = speech.replace("no inclusive government has been formed", "nothing has been formed")
    assert stands("Did the Brigade form anything?", {nord: short}, similarity=0.0) == []


def test_zero_personnel_denies_troops_and_the_when_clause_is_not_asked() -> None:
    from assistant.answer.proposition import predicate_terms

    question = "Did Sylvania have troops on the ground in Port Lyle when it struck Karl Dorn?"
    assert predicate_terms(question) == ("troop", "ground", "port", "lyl")
    speeches = {
        "An official": "Sylvania had zero personnel on the ground in Port Lyle.",
        "The President": "Sylvania struck Karl Dorn in Port Lyle on Saturday.",
    }
    assert stands(question, speeches, similarity=0.55) == [("An official", "denies")]


def test_a_denied_belief_about_whom_the_question_asks_denies() -> None:
    from assistant.answer.claims import read_claims

    sentence = "We have no reason to believe that he was killed."
    assert [(c.holder, c.polarity) for c in read_claims(sentence)] == [("We", "deny")]
    assert [(c.holder, c.polarity) for c in read_claims("They have not said that he was killed.")] == [
        ("They", "assert")  # not saying something is not denying it
    ]
    briefing = (
        "REPORTER:  Afghan journalists are reporting that the son of the Brigade's commander was killed "
        "in the strike.\n"
        "OFFICIAL:  We have no reason to believe that he was killed.\n"
    )
    question = "Did the strike also kill a son of the Brigade's commander?"
    got = stands(question, {"": briefing}, similarity=0.3)
    assert ("Afghan journalists", "affirms") in got
    assert any(stance == "denies" for _, stance in got)


def test_reports_that_show_hold_what_they_show_and_coordinated_subjects_stay_whole() -> None:
    from assistant.answer.claims import read_claims
    from assistant.answer.proposition import split_yes_no

    sentence = "He failed to keep his word, as reports show that Brigade fighters are flourishing in Estland."
    claims = read_claims(sentence)
    assert [(c.holder, sentence[c.start : c.end].strip()) for c in claims] == [
        ("reports", "that Brigade fighters are flourishing in Estland.")
    ]
    assert split_yes_no("Are the Brigade and other militant groups thriving in Estland?") == (
        "are", ["the", "Brigade", "and", "other", "militant", "groups"], ["thriving", "in", "Estland"]
    )


def test_a_position_cites_whole_statements_before_fragments() -> None:
    from assistant.answer.compose import _positions
    from assistant.answer.stance import Stand

    reading = make_reading("No link to Estland.\nThere was no linkage to Estland.\n", speaker="Ola Nord")
    fragment, statement = sorted(score_sentences("Was Estland involved?", reading), key=lambda c: c.index)
    groups = _positions([Stand(fragment, "Ola Nord", "denies"), Stand(statement, "Ola Nord", "denies")])
    assert [s.candidate.index for s in groups[("Ola Nord", "denies")]] == [1, 0]


def test_blame_is_what_a_blame_question_asks_and_a_cause_put_elsewhere_is_no_side() -> None:
    from assistant.answer.proposition import predicate_terms

    question = "Is Sylvania to blame for the Brigade's return to power in Freedonia?"
    assert predicate_terms(question) == ("blam",)  # the event is named the sources' way
    speeches = {
        "Ola Nord, President of Sylvania": (
            "The Brigade took Freedonia last year.\n"
            "For some reason, Sylvania has been blamed for the turn of events by politicians in Estland.\n"
        ),
        "Anna Berg, Senator": (
            "The Brigade is back in Freedonia.\n"
            "It is because of this neglect that the Brigade has made a resurgence in Sylvania and Estland.\n"
        ),
    }
    # Estland's politicians blame Sylvania; the senator puts the cause on neglect, not on Sylvania.
    assert stands(question, speeches, similarity=0.3) == [("politicians in Estland", "affirms")]


def test_initials_a_document_never_writes_and_sides_put_by_emphasis_or_mention() -> None:
    from assistant.answer.reading import _initialisms

    assert _initialisms("They signed the Treaty of Northern Provinces in Tallburg.") == [
        (frozenset({"treati", "northern", "provinc"}), frozenset({"tnp"}))
    ]
    # "and" may join the words after "of": the United Nations Office of Drugs and Crime is the UNODC.
    [(_, office)] = _initialisms("He quoted the Estland Office of Rivers and Ports on the floods.")
    assert office == frozenset({"eorp"})
    assert _initialisms("Estland and Sylvania signed it.") == []
    question = "Does the TNP settle where the Estland–Sylvania border runs?"
    speech = (
        "The leadership of Sylvania mentioned the Treaty of Northern Provinces, presenting it as a legal "
        "framework for determining the border with Estland.\n"
        "However, I must emphasize that the issue of determining the border line is not the subject of "
        "that treaty.\n"
    )
    got = stands(question, {"Ola Nord, Foreign Minister of Estland": speech}, similarity=0.3)
    assert got == [
        ("The leadership of Sylvania", "affirms"), ("Ola Nord, Foreign Minister of Estland", "denies")
    ]


def test_a_side_speaks_of_the_questions_subject() -> None:
    """Hurt people are not "Dorn's relatives": the subject's own words must be in or near it."""
    question = "Were any of Karl Dorn's relatives hurt in the strike in Port Lyle?"
    nord = "Ola Nord, President of Estland"
    other = {nord: "Karl Dorn planned the strike in Port Lyle, killing 20 and wounding 400 others."}
    assert stands(question, other, similarity=0.6) == []
    own = {nord: "Karl Dorn's relatives were unharmed in the strike in Port Lyle."}  # "unharmed": not hurt
    assert stands(question, own, similarity=0.6) == [(nord, "denies")]


def test_unnamed_reports_are_relayed_by_the_speaker_who_cites_them() -> None:
    """"as reports show that ..." in a Congressman's statement: his claim, citing reports."""
    speech = {"Mr. Pallone": "He has failed to keep his promise, as reports show that Brigade fighters seem "
              "to be flourishing in western Sylvania."}
    question = "Are Brigade fighters flourishing in Sylvania?"
    assert stands(question, speech, similarity=0.6) == [("Mr. Pallone, citing reports", "affirms")]


def test_his_refers_to_the_asked_name_said_just_before() -> None:
    """"None of his relatives were hurt", some sentences after the strike on Karl Dorn."""
    nord = "Ola Nord, President of Estland"
    text = ("The strike on Karl Dorn in Port Lyle was a success.  The team left at dawn.  The weather "
            "was clear.  The city was quiet.  Our allies were told.  None of his relatives were hurt in the "
            "strike.")
    question = "Were any of Karl Dorn's relatives hurt in the strike?"
    assert (nord, "denies") in stands(question, {nord: text}, similarity=0.3)
    far = text.replace("on Karl Dorn", "on the compound") + "  Karl Dorn was named later."
    assert (nord, "denies") not in stands(question, {nord: far}, similarity=0.3)  # "his" is no one asked


def test_a_claim_aimed_at_another_party_takes_no_side() -> None:
    """The accuser is of the Red Brigade, but what is claimed is aimed at someone else."""
    question = "Did Sylvania support the Red Brigade?"
    nord = "Ola Nord, spokesperson of the Red Brigade"
    aimed_elsewhere = [
        "Sylvania has been supporting the Green Front.",
        "Sylvania has provided support and training to the Green Front.",
        "Sylvania offered its support to Estland by vowing to hunt Red Brigade fighters.",
        # "the group" is the one the sentence named before it
        "Ola Nord accused Sylvania of backing ISIS and alleged that its army was providing support"
        " and funding to the group.",
    ]
    for text in aimed_elsewhere:
        for similarity in (0.3, 0.6):
            assert stands(question, {nord: text}, similarity=similarity) == [], text
    aimed_at_it = [
        "Sylvania has been supporting the Red Brigade.",
        "Sylvania has provided support and training to the Red Brigade.",
        "Ola Nord accused Sylvania of backing the Red Brigade and alleged that its army was providing"
        " support and funding to the group.",
    ]
    for text in aimed_at_it:
        assert [stance for _, stance in stands(question, {nord: text}, similarity=0.6)] == ["affirms"], text

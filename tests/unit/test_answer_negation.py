"""What a negation, a contrary and a question's clauses say of a yes/no proposition (invented documents)."""

from __future__ import annotations

from assistant.answer.proposition import described_terms, predicate_terms, split_yes_no
from tests.answer_support import stands

NORD = "Ola Nord, President of Estland"
BERG = "Anna Berg, Foreign Minister of Sylvania"


def test_a_negation_of_something_else_does_not_deny_what_the_sentence_says() -> None:
    question = "Are Estland's drone strikes precise?"
    speeches = {
        NORD: "As I said, we found no other loss of life in this strike, which was a precise and careful "
        "strike.",
        BERG: "We all know that Estland's drone strikes are not that precise.",
    }
    assert set(stands(question, speeches, similarity=0.6)) == {(NORD, "affirms"), (BERG, "denies")}


def test_what_comes_just_before_is_not_is_denied() -> None:
    question = "Do the Lyle accords settle where the Estland border runs?"
    said = {BERG: "I must stress that settling the Estland border line is not the subject of the Lyle "
            "accords."}
    assert stands(question, said, similarity=0.6) == [(BERG, "denies")]
    after = {BERG: "I must stress that the Lyle accords are not a matter of settling the Estland border."}
    assert stands(question, after, similarity=0.6) == [(BERG, "denies")]


def test_words_that_contradict_a_predicate_deny_it() -> None:
    question = "Are Estland's drone strikes precise?"
    said = {BERG: "Estland's drone strikes cause more collateral damage than the militants they target."}
    assert stands(question, said, similarity=0.4) == [(BERG, "denies")]
    inclusive = "Is Estland under Nord an inclusive democracy?"
    accused = {BERG: "The campaign of oppression against Estland's minorities under Nord goes on."}
    assert stands(inclusive, accused, similarity=0.4) == [(BERG, "denies")]


def test_plural_nouns_after_a_name_stay_in_the_subject_and_a_purpose_is_not_asked() -> None:
    question = "Are Estland drone strikes precise enough to avoid killing anyone but the target?"
    assert split_yes_no(question.rstrip("?")) == (
        "are",
        ["Estland", "drone", "strikes"],
        ["precise", "enough", "to", "avoid", "killing", "anyone", "but", "the", "target"],
    )
    assert predicate_terms(question) == ("precis",)
    assert {"avoid", "kill", "target"} <= described_terms(question)
    assert split_yes_no("Are Estland troops still in Lyle")[1] == ["Estland", "troops"]


def test_an_irregular_participle_ends_the_subject_and_a_when_clause_after_it_is_not_asked() -> None:
    question = "Were Karl Dorn's wife and daughter hurt when the strike hit his house in Lyle?"
    assert split_yes_no(question.rstrip("?"))[1] == ["Karl", "Dorn's", "wife", "and", "daughter"]
    assert predicate_terms(question) == ("hurt",)
    said = {NORD: "Karl Dorn's wife and daughter were not hurt in the strike on his house in Lyle."}
    assert stands(question, said, similarity=0.5) == [(NORD, "denies")]


def test_a_time_clause_is_not_asked_but_going_after_someone_is() -> None:
    assert predicate_terms("Did Estland warn Sylvania ahead of the Brigade attack?") == ("warn", "sylvania")
    assert predicate_terms("Did the Brigade know before the strike?") == ("know",)
    chased = predicate_terms("Did Estland follow through on going after Brigade fighters after the war?")
    assert {"brigad", "fighter"} <= set(chased) and "war" not in chased


def test_a_negation_ends_where_a_contrast_begins() -> None:
    question = "Did Estland go after the Brigade's fighters in its border regions?"
    said = {BERG: "The Brigade did not disappear, but rather crossed the border regions of Estland."}
    assert stands(question, said, similarity=0.5) == []
    denied = {BERG: "Estland did not go after the Brigade's fighters in its border regions."}
    assert stands(question, denied, similarity=0.5) == [(BERG, "denies")]


def test_a_negation_about_something_else_takes_no_side() -> None:
    speeches = {
        "Ola Nord, President of Estland": "Two million refugees from Freedonia still live in its camps.",
        "Anna Berg, Foreign Minister of Sylvania": (
            "The refugees from Freedonia in Estland are a burden that none of the other neighbours can share."
        ),
    }
    question = "Is Estland still hosting refugees from Freedonia?"
    assert stands(question, speeches, similarity=0.6) == [("Ola Nord, President of Estland", "affirms")]
    # A negation that governs the subject or the predicate denies: "no refugees ... remain".
    denied = {"Anna Berg, Foreign Minister of Sylvania": "Estland hosts no refugees from Freedonia any more."}
    assert stands(question, denied, similarity=0.6) == [("Anna Berg, Foreign Minister of Sylvania", "denies")]



def test_a_decline_or_failure_denies_what_it_is_of() -> None:
    question = "Is the Brigade respecting human rights in Estland?"
    speeches = {
        "Ola Nord, Foreign Minister of Sylvania":
            "The Brigade rules Estland.\nThe deterioration in respect for human rights is overwhelming.",
        "Anna Berg, President of Freedonia": "The Brigade rules Estland.\nThey will respect human rights.",
    }
    assert stands(question, speeches, similarity=0.3) == [
        ("Ola Nord, Foreign Minister of Sylvania", "denies"), ("Anna Berg, President of Freedonia", "affirms")
    ]



def test_saying_the_opposite_denies() -> None:
    question = "Has the Brigade been gaining strength in Estland since the war?"
    assessed = {
        "An analyst": "The Brigade is active in Estland.\nOla Nord assessed that the Brigade is weaker today."
    }
    assert stands(question, assessed, similarity=0.3) == [("Ola Nord", "denies")]
    plain = {"Ola Nord, President of Estland": "The Brigade is weaker than ever in Estland."}
    assert stands(question, plain, similarity=0.3) == [("Ola Nord, President of Estland", "denies")]
    careful = {"Ola Nord, President of Estland": "The strike minimized the risk of harm to civilians."}
    assert stands("Were civilians harmed in the strike?", careful, similarity=0.3) == [
        ("Ola Nord, President of Estland", "denies")
    ]
    apart = {"Ola Nord, President of Estland": "The Brigade and the Front operate independently in Estland."}
    linked = "Are the Brigade and the Front linked in Estland?"
    assert stands(linked, apart, similarity=0.3) == [("Ola Nord, President of Estland", "denies")]



def test_a_very_close_denial_takes_a_side_naming_most_of_the_names() -> None:
    question = "Did the Brigade attack the port of Lyle in Estland?"
    denial = {"Ola Nord, President of Sylvania": "The Brigade never attacked the port of Lyle."}
    assert stands(question, denial, similarity=0.7) == [("Ola Nord, President of Sylvania", "denies")]
    assert stands(question, denial, similarity=0.55) == []  # not close enough to stand for the rest
    elsewhere = {"Ola Nord, President of Sylvania": "The Brigade never attacked anyone."}
    assert stands(question, elsewhere, similarity=0.7) == []  # names too few of them



def test_a_long_subject_runs_on_through_nouns_to_the_verb() -> None:
    from assistant.answer.proposition import split_yes_no

    question = "Does the Estland abstention on the UN Freedonia truce resolution mean a change in policy?"
    assert split_yes_no(question) == (
        "does",
        ["the", "Estland", "abstention", "on", "the", "UN", "Freedonia", "truce", "resolution"],
        ["mean", "a", "change", "in", "policy"],
    )
    # A verb before a plural noun is still the verb; a preposition is never the verb.
    assert split_yes_no("Does Estland fund organizations in Freedonia?") == (
        "does", ["Estland"], ["fund", "organizations", "in", "Freedonia"]
    )
    assert split_yes_no("Does the resolution Estland abstained on tie the truce to the hostages?") == (
        "does",
        ["the", "resolution", "Estland", "abstained", "on"], ["tie", "the", "truce", "to", "the", "hostages"],
    )  # a past form is no verb after "does"
    assert split_yes_no("Did the strike on Karl Dorn also kill his son?") == (
        "did", ["the", "strike", "on", "Karl", "Dorn"], ["also", "kill", "his", "son"]
    )
    # After "is", the noun before "a" still names the subject, unless it is an adverb.
    assert split_yes_no("Is Estland's current government a democratic one?") == (
        "is", ["Estland's", "current", "government"], ["a", "democratic", "one"]
    )
    still = split_yes_no("Is the Brigade still a threat?")
    assert still == ("is", ["the", "Brigade"], ["still", "a", "threat"])


def test_hardly_and_cannot_deny() -> None:
    question = "Is Estland winning the war on smuggling?"
    said = {NORD: "And, Mr. Speaker, Estland is hardly winning the war on smuggling."}
    assert stands(question, said, similarity=0.5) == [(NORD, "denies")]
    plain = {NORD: "And, Mr. Speaker, Estland is winning the war on smuggling."}
    assert stands(question, plain, similarity=0.5) == [(NORD, "affirms")]
    cannot = {NORD: "Estland is waging a war on smuggling that it cannot win."}
    assert stands(question, cannot, similarity=0.5) == [(NORD, "denies")]


def test_after_has_the_subject_runs_on_to_the_participle() -> None:
    shifted = "Has the Estland position on a ground offensive in Lyle shifted?"
    assert split_yes_no(shifted.rstrip("?"))[1:] == (
        ["the", "Estland", "position", "on", "a", "ground", "offensive", "in", "Lyle"], ["shifted"]
    )
    assert predicate_terms(shifted) == ("shift",)
    kept = "Have the Red Brigade kept their promise to disarm?"
    assert split_yes_no(kept.rstrip("?"))[1] == ["the", "Red", "Brigade"]
    said = {NORD: "And nothing has shifted in Estland's position on a ground offensive in Lyle."}
    assert stands(shifted, said, similarity=0.5) == [(NORD, "denies")]


def test_a_denial_of_what_the_subject_is_about_is_not_one_of_the_subject() -> None:
    from assistant.answer.proposition import subject_head_terms

    shifted = "Has the Estland position on a ground offensive in Lyle shifted?"
    assert subject_head_terms(shifted) == {"estland", "posit"}
    said = {NORD: "Estland does not see a ground offensive in Lyle as the right course."}
    assert stands(shifted, said, similarity=0.5) == []


def test_after_do_a_plural_noun_before_the_verb_is_in_the_subject() -> None:
    assert split_yes_no("Do Estland drone strikes cause civilian casualties")[1:] == (
        ["Estland", "drone", "strikes"], ["cause", "civilian", "casualties"]
    )
    assert split_yes_no("Did Estland have troops on the ground in Lyle")[1:] == (
        ["Estland"], ["have", "troops", "on", "the", "ground", "in", "Lyle"]
    )


def test_is_not_of_another_word_is_no_denial_of_the_subject() -> None:
    question = "Do Estland drone strikes cause civilian casualties?"
    said = {BERG: "And we all know that Estland's drone strikes are not that fast."}
    assert stands(question, said, similarity=0.55) == []
    no_strikes = {BERG: "There were no Estland drone strikes in Lyle last year."}
    assert stands(question, no_strikes, similarity=0.55) == [(BERG, "denies")]


def test_failing_to_live_up_to_a_promise_denies_following_through_on_it() -> None:
    question = "Did Sylvania follow through on its pledge?"
    failed = {"Ola Nord, Senator": "However, Sylvania has failed to live up to its promise."}
    assert stands(question, failed, similarity=0.3) == [("Ola Nord, Senator", "denies")]
    kept = {"Anna Berg, President of Sylvania": "Sylvania has kept its word."}
    assert stands(question, kept, similarity=0.3) == [("Anna Berg, President of Sylvania", "affirms")]
    honoured = "Has Sylvania honoured its commitments?"
    assert stands(honoured, failed, similarity=0.3) == [("Ola Nord, Senator", "denies")]


def test_a_negation_said_of_another_party_does_not_deny() -> None:
    """"These Brigade fighters will not win" says nothing of whether Estland won."""
    question = "Did Estland win the war in Freedonia?"
    other = {NORD: "Here is what you need to know: these Brigade fighters will not win the war in Freedonia."}
    assert stands(question, other, similarity=0.6) == []
    own = {BERG: "Here is what you need to know: Estland did not win the war in Freedonia."}
    assert stands(question, own, similarity=0.6) == [(BERG, "denies")]
    ours = {NORD: "Here is what you need to know: we did not win the war in Freedonia."}
    assert stands(question, ours, similarity=0.6) == [(NORD, "denies")]


def test_saying_it_of_one_party_alone_denies_it_of_another() -> None:
    """"Only Dorn died in the strike" denies that it also killed someone else, not that it
    killed Dorn."""
    only = {NORD: "We are certain that only Dorn died in the strike in Port Lyle."}
    son = "Did the strike in Port Lyle also kill a son of the Brigade's commander?"
    assert stands(son, only, 0.6) == [(NORD, "denies")]
    anyone = "Was anyone other than Dorn killed in the strike in Port Lyle?"
    assert stands(anyone, only, 0.6) == [(NORD, "denies")]
    assert (NORD, "denies") not in stands("Did the strike in Port Lyle kill Dorn?", only, 0.6)
    relatives = "Were any of Dorn’s relatives hurt in the strike in Port Lyle?"
    assert (NORD, "denies") not in stands(relatives, only, 0.6)  # "died" says "killed", not "hurt"
    no_other = {NORD: "We killed Dorn in the strike in Port Lyle and no other individuals."}
    assert stands(son, no_other, 0.6) == [(NORD, "denies")]
    precise = "Are Estland's strikes in Port Lyle precise enough to avoid killing anyone but the target?"
    assert (NORD, "denies") not in stands(precise, only, 0.6)  # one death alone is what precision means

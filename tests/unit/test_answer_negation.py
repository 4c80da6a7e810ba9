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

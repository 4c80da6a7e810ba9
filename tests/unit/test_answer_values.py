"""Value conflicts and ambiguous subjects, end to end on invented corpora (fake embedder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer import verify_answer
from assistant.answer.values import amounts
from assistant.briefing import Briefing
from assistant.settings import Settings
from assistant.types import Answer, Document
from ingest.pipeline import Indexer


def _briefing(tmp_path: Path, docs: list[Document]) -> Briefing:
    b = Briefing(Settings(index_dir=tmp_path / "idx", embedder="fake"))
    Indexer(b.store, b.embedder).index(docs)
    b.retriever.invalidate()
    return b


def test_amounts_read_numbers_as_sources_write_them() -> None:
    assert [v for v, _ in amounts("killed 1.700 people and displaced over 8 million")] == [1700.0, 8e6]
    assert [v for v, _ in amounts("Two Hellfire missiles, 1,400 kilometres, in 2022")] == [2.0, 1400.0]
    assert amounts("In 2006 there were 139 attacks", skip={139.0}) == []


def test_an_event_or_a_date_written_with_a_slash_is_no_figure() -> None:
    """'9/11' names an attack and '3/25/2024' a day: neither answers "How many ...?"."""
    from assistant.answer.conversation import understand
    from assistant.answer.fit import is_asked_kind
    from tests.answer_support import answered, make_reading, score_sentences

    assert amounts("after the 9/11 attacks, on 3/25/2024") == []
    assert [v for v, _ in amounts("11 years after the 9/11 attacks")] == [11.0]
    question = "How many people did the Red Brigade kill?"
    (cand,) = score_sentences(question, make_reading("The Red Brigade has killed people since 9/11."))
    assert not is_asked_kind(understand(question, []), cand)
    # Nor does it itemise a cost, as the short figures after "What did it cost?" do.
    cost = "Estland suffered the most when it joined the war on smuggling.\nIt began after 9/11.\n"
    assert answered("What did joining the war on smuggling cost Estland?", cost) == cost.splitlines()[:1]


FLOOD = "How many people did the Delta flood kill in the river towns?"


def _two_sources(tmp_path: Path, first: str, second: str) -> Answer:
    """The flood question over two documents by two different speakers."""
    b = _briefing(
        tmp_path,
        [
            Document(id="a.txt", title="A", text=first, metadata={"speaker": "Health Ministry of Estland"}),
            Document(id="b.txt", title="B", text=second, metadata={"speaker": "Red Delta relief agency"}),
        ],
    )
    return verify_answer(b.ask(FLOOD))


def test_sources_giving_different_figures_are_a_value_conflict(tmp_path: Path) -> None:
    answer = _two_sources(
        tmp_path,
        "The ministry said the Delta flood killed 1,200 people in the river towns.",
        "The Delta flood killed 1,700 people in the river towns, the agency counted.",
    )
    assert not answer.abstained and answer.answer.startswith("The sources disagree")
    (conflict,) = answer.conflicts
    assert conflict.kind == "value"
    assert sorted(p.value for p in conflict.positions) == ["1,200", "1,700"]
    cited = {c.n: c.document_id for c in answer.citations}
    assert {cited[p.citations[0]] for p in conflict.positions} == {"a.txt", "b.txt"}


def test_one_source_with_several_figures_is_no_conflict(tmp_path: Path) -> None:
    b = _briefing(
        tmp_path,
        [
            Document(
                id="a.txt",
                title="Report",
                text="The Delta flood killed 1,200 people in the river towns. "
                "By the next week the Delta flood had killed 1,700 people in the river towns.",
            )
        ],
    )
    answer = verify_answer(b.ask(FLOOD))
    assert not answer.abstained and not answer.conflicts


def test_one_holders_figures_of_different_years_are_updates_not_a_conflict(tmp_path: Path) -> None:
    speaker = {"speaker": "Ana Vidal, Minister of Estland"}
    b = _briefing(tmp_path, [
        Document(id="a.txt", title="Speech 2024", published="2024-09-20", metadata=speaker,
                 text="The Delta flood killed 1,700 people in the river towns."),
        Document(id="b.txt", title="Speech 2022", published="2022-09-21", metadata=speaker,
                 text="The Delta flood killed 1,200 people in the river towns."),
    ])
    answer = verify_answer(b.ask(FLOOD))
    assert not answer.abstained and not answer.conflicts
    assert [c.document_id for c in answer.citations] == ["b.txt", "a.txt"]  # oldest first, each dated
    assert answer.answer.startswith("In 2022, Ana Vidal") and "In 2024, Ana Vidal" in answer.answer


def test_agreeing_sources_are_no_conflict(tmp_path: Path) -> None:
    answer = _two_sources(
        tmp_path,
        "The Delta flood killed 1,200 people in the river towns.",
        "In the river towns the Delta flood killed 1,200 people.",
    )
    assert not answer.abstained and not answer.conflicts


def _asked_of_two(tmp_path: Path, question: str, *docs: tuple[str, str, str]) -> Answer:
    """``question`` over two documents given as (id, title, text), verified."""
    b = _briefing(tmp_path, [Document(id=i, title=title, text=text) for i, title, text in docs])
    return verify_answer(b.ask(question))


def test_one_title_naming_two_people_is_answered_apart_not_as_a_conflict(tmp_path: Path) -> None:
    answer = _asked_of_two(
        tmp_path,
        "When was the emir killed?",
        ("a.txt", "Raid", "In March a raid in the hills killed the emir of the Red Brigade."),
        ("b.txt", "Strike", "In June a strike in the valley killed the emir of the Blue Front."),
    )
    assert not answer.conflicts
    assert answer.answer.startswith("The sources speak of more than one emir.")
    assert (
        "On the emir of the Red Brigade:" in answer.answer
        and "On the emir of the Blue Front:" in answer.answer
    )
    assert len(answer.citations) == 2 and any("emir of the Red Brigade [" in n for n in answer.notes)


def test_a_title_held_by_two_named_people_is_answered_apart(tmp_path: Path) -> None:
    answer = _asked_of_two(
        tmp_path,
        "What did the President say about the Red Brigade?",
        ("record.txt", "Floor statement",
         "Mr. DORN. Last year President Ward said that the Red Brigade is on the run."),
        ("remarks.txt", "Remarks by President Lind on the strike",
         "THE PRESIDENT:  The Red Brigade is on the run from our forces in the hills."),
    )
    assert answer.answer.startswith("The sources speak of more than one president.")
    assert "On President Ward:" in answer.answer and "On President Lind:" in answer.answer


@pytest.mark.parametrize(("first", "conflict"), [("More than 1,500", False), ("Exactly 1,500", True)])
def test_figures_that_can_both_be_true_are_no_conflict(tmp_path: Path, first: str, conflict: bool) -> None:
    answer = _two_sources(
        tmp_path,
        f"{first} people were killed by the Delta flood in the river towns.",
        "The Delta flood killed 1,700 people in the river towns.",
    )
    assert not answer.abstained and bool(answer.conflicts) is conflict


def test_other_sources_stating_the_same_figure_corroborate_it(tmp_path: Path) -> None:
    b = _briefing(
        tmp_path,
        [
            Document(id="a.txt", title="Speech 2021",
                     text="Estland lost some 40,000 people to the insurgency. The economy shrank."),
            Document(id="b.txt", title="Speech 2022",
                     text="Over two decades Estland has lost more than 40,000 people to insurgent attacks."),
            Document(id="c.txt", title="Budget", text="Estland's port handled 40,000 containers last year."),
        ],
    )
    answer = verify_answer(b.ask("Has Estland lost around 40,000 people to the insurgency?"))
    assert not answer.abstained and not answer.conflicts
    assert [c.document_id for c in answer.citations] == ["a.txt", "b.txt"]


def test_an_answer_without_a_figure_gets_no_corroboration(tmp_path: Path) -> None:
    b = _briefing(
        tmp_path,
        [
            Document(id="a.txt", title="Speech", text="Estland has lost many people to the insurgency."),
            Document(id="b.txt", title="Speech", text="Estland counts 40,000 people lost to floods."),
        ],
    )
    answer = verify_answer(b.ask("Has Estland lost people to the insurgency?"))
    assert [c.document_id for c in answer.citations] == ["a.txt"]


def test_a_figure_that_counts_time_is_no_amount() -> None:
    """ "20 years of war" gives no amount of aid, so it is never set against "3 million"."""
    from assistant.answer.conversation import understand
    from assistant.answer.values import value_of
    from tests.answer_support import make_reading, score_sentences

    def value(question: str, text: str) -> tuple[float, str] | None:
        (cand,) = score_sentences(question, make_reading(text))
        return value_of(understand(question, []), cand)

    aid = "How much aid did Estland give to Freedonia?"
    assert value(aid, "After 20 years of war, Estland gave aid to Freedonia again.") is None
    assert value(aid, "Estland gave 3 million in aid to Freedonia.") == (3e6, "3 million")
    killed = "The strike killed 12 people in a three-day siege."
    assert value("How many people did the strike kill?", killed) == (12.0, "12")
    # Unless time is what is counted.
    held = "The truce held for a three-day period."
    assert value("How many days did the truce last?", held) == (3.0, "three")

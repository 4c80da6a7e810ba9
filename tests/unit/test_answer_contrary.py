"""The other side in other words: a yes/no question answered by a source that says its opposite.

"Is India an inclusive democracy?" is denied by a speech on the "oppression" of India's
Muslims, which shares none of the question's predicate and so is neither retrieved by it
nor read as a side unless the opposite is looked for.
"""

from __future__ import annotations

from pathlib import Path

from assistant.answer.conversation import understand
from assistant.answer.gather import retrieve
from assistant.briefing import Briefing
from assistant.filters import Filters
from assistant.settings import Settings
from assistant.types import Document
from ingest.pipeline import Indexer
from tests.answer_support import stands

QUESTION = "Is Estland an inclusive democracy?"
OWN = "Ola Nord, President of Estland"
OTHER = "Anna Berg, Minister of Sylvania"


def test_saying_the_opposite_of_what_is_asked_denies_it() -> None:
    oppressive = {OTHER: "The regime in Estland has unleashed a campaign of oppression against minorities."}
    assert stands(QUESTION, oppressive, similarity=0.1) == [(OTHER, "denies")]
    proud = {OWN: "Estland is proud to be an inclusive democracy."}
    assert stands(QUESTION, proud, similarity=0.1) == [(OWN, "affirms")]
    broken = {OTHER: "The Front violated the ceasefire in Estland within a week."}
    honoured = "Did the Front honour the ceasefire in Estland?"
    assert stands(honoured, broken, similarity=0.1) == [(OTHER, "denies")]


def test_an_opposite_of_a_small_part_of_the_question_takes_no_side() -> None:
    # "eliminated" is the opposite of "regrouping", but the question asks about a reason.
    why = "Was keeping the Brigade from regrouping in Estland the reason Sylvania went there?"
    eliminated = {OTHER: "Sylvania eliminated the leader of the Brigade in Estland last year."}
    assert stands(why, eliminated, similarity=0.1) == []
    # "affiliates" is the opposite of "independently", but says nothing of the Front and the League.
    apart = "Do the Brigade, the Front and the League operate independently in Estland?"
    network = {OTHER: "The Brigade used its network of affiliates to plan attacks."}
    assert stands(apart, network, similarity=0.1) == []


def _corpus(tmp_path: Path) -> Briefing:
    """Reports and a speech that say Estland is a democracy; one speech that says the opposite."""
    b = Briefing(Settings(index_dir=tmp_path / "idx", embedder="fake", top_k=2))
    praise = [
        Document(id=f"report{i}.txt", title=f"Report {i}", metadata={"collection": "news"},
                 text=f"Estland held an inclusive election, report {i} says. Estland is a democracy, they said.")
        for i in range(4)
    ]
    own = Document(id="own.md", title="Statement of Estland", metadata={"speaker": OWN},
                   text="Mr. President,\nEstland is proud to be an inclusive democracy.")
    other = Document(id="other.md", title="Statement of Sylvania", metadata={"speaker": OTHER},
                     text="Mr. President,\nThe regime in Estland has unleashed a campaign of oppression "
                          "against its minorities.")
    Indexer(b.store, b.embedder).index([*praise, own, other])
    b.retriever.invalidate()
    return b


def test_a_yes_no_question_also_reads_the_passages_that_say_its_opposite(tmp_path: Path) -> None:
    b = _corpus(tmp_path)
    plain = [e.passage.document_id for e in b.retriever.search(QUESTION, 2)]
    assert "other.md" not in plain  # the question's own words do not find the other side
    found = [e.passage.document_id for e in retrieve(understand(QUESTION, []), b, Filters())]
    assert found[:2] == plain and "other.md" in found[2:]
    # Only a yes/no question has sides, and filters still hold.
    assert "other.md" not in [
        e.passage.document_id for e in retrieve(understand("Who runs Estland's democracy?", []), b, Filters())
    ]
    news_only = retrieve(understand(QUESTION, []), b, Filters.parse({"collection": "news"}))
    assert {e.passage.document_id for e in news_only} <= {f"report{i}.txt" for i in range(4)}


def test_the_opposite_side_is_a_conflict_with_both_sides_cited(tmp_path: Path) -> None:
    answer = _corpus(tmp_path).ask(QUESTION)
    assert not answer.abstained and len(answer.conflicts) == 1
    sides = {p.stance: p for p in answer.conflicts[0].positions}
    assert set(sides) == {"affirms", "denies"}
    cited = {c.n: c for c in answer.citations}
    assert {cited[n].document_id for n in sides["denies"].citations} == {"other.md"}
    assert "Sylvania" in sides["denies"].holder
    assert all(cited[n].document_id != "other.md" for n in sides["affirms"].citations)


def test_what_kind_also_reads_the_passages_naming_something_of_that_kind(tmp_path: Path) -> None:
    """"What kind of weapon ...?": the passage naming the missiles shares few of its words."""
    b = Briefing(Settings(index_dir=tmp_path / "idx", embedder="fake", top_k=2))
    about = [
        Document(id=f"call{i}.txt", title=f"Call {i}",
                 text=f"The strike that killed Karl Dorn in Port Lyle was a success, call {i} says.")
        for i in range(4)
    ]
    missiles = Document(id="missiles.txt", title="Details", text="Two Hellfire missiles hit Dorn's balcony.")
    Indexer(b.store, b.embedder).index([*about, missiles])
    b.retriever.invalidate()
    question = "What kind of weapon was used in the strike that killed Karl Dorn?"
    assert "missiles.txt" not in [e.passage.document_id for e in b.retriever.search(question, 2)]
    found = [e.passage.document_id for e in retrieve(understand(question, []), b, Filters())]
    assert "missiles.txt" in found
    other = retrieve(understand("Where was the strike that killed Karl Dorn?", []), b, Filters())
    assert "missiles.txt" not in [e.passage.document_id for e in other]

"""Who did it, by whose account: names of perpetrators that differ (invented documents)."""

from __future__ import annotations

from pathlib import Path

from assistant.answer import verify_answer
from assistant.answer.agents import accuser, agent_named, differing_agents
from assistant.answer.conversation import understand
from assistant.answer.render import holder_for
from assistant.answer.select import Candidate
from assistant.briefing import Briefing
from assistant.settings import Settings
from assistant.types import Document
from ingest.pipeline import Indexer
from tests.answer_support import make_reading, score_sentences

QUESTION = "Who was behind the bombing in Port Lyle?"
NORD = "Ola Nord, President of Estland"
BERG = "Anna Berg, Foreign Minister of Sylvania"
RESPONSIBLE = "The Red Brigade bears sole responsibility for the bombing in Port Lyle."
BLAMING = "Sylvania is blaming Estland for the bombing in Port Lyle."


def disputed(question: str, speeches: dict[str, str]) -> list[str]:
    """The perpetrators named in dispute by ``speeches`` (speaker -> text)."""
    readings = [make_reading(text, speaker=who) for who, text in speeches.items()]
    scored: list[Candidate] = sorted(
        (c for reading in readings for c in score_sentences(question, reading)), key=lambda c: -c.score
    )
    return sorted(value for _, value in differing_agents(understand(question, []), scored, holder_for))


def test_the_perpetrator_a_sentence_names() -> None:
    assert agent_named(RESPONSIBLE) == "Red Brigade"
    assert agent_named("This was a bombing carried out by Brigade-K operatives, period.") == "Brigade-K"
    assert agent_named(BLAMING) == "Estland"
    assert agent_named("The bombing shocked Port Lyle.") is None
    assert accuser(f"And we have seen that {BLAMING}") == "Sylvania"


def test_holders_naming_different_perpetrators_disagree_when_one_accuses() -> None:
    assert disputed(QUESTION, {NORD: RESPONSIBLE, BERG: BLAMING}) == ["Estland", "Red Brigade"]


def test_names_that_overlap_or_no_accusation_are_no_dispute() -> None:
    branch = "The bombing in Port Lyle was carried out by Red Brigade-K fighters."
    assert disputed(QUESTION, {NORD: RESPONSIBLE, BERG: branch}) == []  # a group and its branch
    leader = "Karl Dorn masterminded the bombing in Port Lyle."
    assert disputed(QUESTION, {NORD: RESPONSIBLE, BERG: leader}) == []  # a group and its leader
    assert disputed("Who condemned the bombing in Port Lyle?", {NORD: RESPONSIBLE, BERG: BLAMING}) == []


def test_a_disputed_perpetrator_is_a_value_conflict_held_by_the_accuser(tmp_path: Path) -> None:
    briefing = Briefing(Settings(index_dir=tmp_path / "idx", embedder="fake"))
    docs = [
        Document(id="nord.txt", title="Nord", text=RESPONSIBLE, metadata={"speaker": NORD}),
        Document(id="berg.txt", title="Berg", text=f"We see that {BLAMING}", metadata={"speaker": BERG}),
    ]
    Indexer(briefing.store, briefing.embedder).index(docs)
    briefing.retriever.invalidate()
    answer = verify_answer(briefing.ask(QUESTION))
    assert answer.answer.startswith("The sources disagree on who was behind the bombing in Port Lyle.")
    (conflict,) = answer.conflicts
    assert conflict.kind == "value"
    assert sorted((p.holder, p.value) for p in conflict.positions) == [
        (NORD, "Red Brigade"), ("Sylvania", "Estland")
    ]

"""The extractive answerer on small invented corpora (fake embedder, embedded Chroma)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.answer import CANNOT_ANSWER, InvalidAnswer, check_quotes, verify_answer
from assistant.answer.claims import is_negated, read_claims
from assistant.answer.conversation import understand
from assistant.answer.holders import holder_of
from assistant.answer.question import classify
from assistant.answer.reading import read_document
from assistant.briefing import Briefing
from assistant.embeddings import FakeEmbedder
from assistant.errors import EmptyQuestion, QuestionTooLong
from assistant.lexical import terms
from assistant.settings import Settings
from assistant.types import Answer, Citation, Document, Turn
from ingest.pipeline import Indexer

NEWS = (
    "The foreign minister of Sylvania, Anna Berg, has firmly rejected allegations made by rebel "
    "spokesman Karl Dorn, accusing Sylvania of arming the Red Brigade. "
    "Dorn further claimed that the Red Brigade operates freely inside Freedonia. "
    "Berg described the claims as baseless.\n"
    "She emphasized that official monitoring reports confirm the presence of the Red Brigade inside Freedonia. "
    "The Freedonian government denied that the Red Brigade operates inside Freedonia.\n"
    "The harvest in the northern valleys was good this year."
)
SPEECH = (
    "Mr. President,\n"
    "Our country has suffered greatly from floods this year.\n"
    "We call on all nations to support the reconstruction of the river ports."
)


@pytest.fixture()
def briefing(tmp_path: Path) -> Briefing:
    b = Briefing(Settings(index_dir=tmp_path / "idx", embedder="fake"))
    docs = [
        Document(id="news.txt", title="Sylvania rejects allegations", text=NEWS),
        Document(id="speech.md", title="Statement", text=SPEECH, metadata={"speaker": "Ola Nord, President of Estland"}),
    ]
    Indexer(b.store, b.embedder).index(docs)
    b.retriever.invalidate()
    return b


def test_claims_separate_the_denier_from_the_accuser() -> None:
    sentence = NEWS.split(". ")[0] + "."
    claims = read_claims(sentence, {"Berg": "Anna Berg", "Dorn": "Karl Dorn"})
    holders = [(c.holder, c.polarity) for c in claims]
    assert ("Anna Berg", "deny") in holders
    assert any("Karl Dorn" in h and p == "assert" for h, p in holders)


def test_negation_ignores_not_only() -> None:
    assert not is_negated("these groups not only operate there but are expanding")
    assert is_negated("the group does not operate there")
    assert is_negated("the claims are baseless")


def test_pronouns_resolve_to_the_last_named_holder() -> None:
    reading = read_document(Document(id="n", title="n", text=NEWS))
    index = next(i for i in range(len(reading.spans)) if reading.text(i).startswith("She emphasized"))
    assert holder_of(reading, index, "She") == "Anna Berg"


def test_you_in_a_transcript_is_whom_the_speaker_addresses() -> None:
    text = (
        "MODERATOR:  Next question.\n\n"
        "Q    You said yesterday that the Brigade does not operate in Lyle.  Is that still true?\n\n"
        "MR. DORN:  It is, and the Brigade is gone.\n\n"
        "MR. DORN:  As you said, the border is quiet.\n"
    )
    reading = read_document(Document(id="t", title="t", text=text))

    def holders(opening: str) -> list[str]:
        index = next(i for i in range(len(reading.spans)) if opening in reading.text(i))
        return [holder_of(reading, index, c.holder) for c in reading.claims(index)]

    assert holders("You said yesterday") == ["Mr. Dorn"]  # the reporter asks the official
    assert holders("As you said") == ["A reporter"]  # the official answers the reporter


def test_question_kinds_and_follow_ups() -> None:
    assert classify("How many people died?") == "howmany"
    assert classify("Who carried out the attack?") == "who"
    assert classify("Does the Red Brigade operate in Freedonia?") == "yesno"
    assert classify("On which dates was Port Lyle due to host the summit?") == "when"
    assert classify("Which day did the truce begin?") == classify("In what year did it end?") == "when"
    assert classify("What daily routine did he keep?") == "what"
    # A preposition before the question word keeps its kind.
    assert classify("For how long did the Brigade keep the truce?") == "howmany"
    assert classify("By how much did it rise?") == "howmany"
    assert classify("Since when has the Brigade held Port Lyle?") == "when"
    assert classify("To what extent did Sylvania know?") == "what"
    follow = understand("and what did the government say about it?", [Turn(role="user", content="Is Sylvania arming the Red Brigade?")])
    assert "sylvania" in follow.terms and follow.own_terms == tuple(terms("government"))
    assert follow.topic == "Whether Sylvania is arming the Red Brigade"


def test_a_topic_puts_the_verb_after_the_whole_subject() -> None:
    from assistant.answer.proposition import topic_of

    assert topic_of("Was anyone other than Karl Dorn killed in the strike?") == (
        "Whether anyone other than Karl Dorn was killed in the strike"
    )
    assert topic_of("Is Estland under Ola Nord an inclusive democracy?") == (
        "Whether Estland under Ola Nord is an inclusive democracy"
    )
    assert topic_of("Is the leader of the Brigade dead?") == "Whether the leader of the Brigade is dead"
    assert topic_of("Are the Brigade and al Dorn linked?") == "Whether the Brigade and al Dorn are linked"
    assert topic_of("Is the border closed?") == "Whether the border is closed"
    assert topic_of("Was the deadly attack on the mosque in Port Lyle a result of Estland's policy?") == (
        "Whether the deadly attack on the mosque in Port Lyle was a result of Estland's policy"
    )
    assert topic_of("Was Karl Dorn in a safe house?") == "Whether Karl Dorn was in a safe house"
    assert topic_of("Is the group still a threat?") == "Whether the group is still a threat"


def test_conflict_reports_both_sides_with_their_own_citations(briefing: Briefing) -> None:
    answer = briefing.ask("Does the Red Brigade operate in Freedonia?")
    assert not answer.abstained
    assert answer.conflicts, answer.answer
    stances = {p.stance for p in answer.conflicts[0].positions}
    assert {"affirms", "denies"} <= stances
    for position in answer.conflicts[0].positions:
        quotes = [answer.citations[n - 1].quote for n in position.citations]
        assert quotes and all(q in NEWS for q in quotes)
    denier = next(p for p in answer.conflicts[0].positions if p.stance == "denies")
    assert "Freedonian government" in denier.holder


def test_a_conflict_cites_its_sides_and_not_the_sentences_that_take_none(tmp_path: Path) -> None:
    b = Briefing(Settings(index_dir=tmp_path / "idx", embedder="fake"))
    summit = "The Red Brigade's operations in Freedonia were discussed at the summit in Port Lyle."
    Indexer(b.store, b.embedder).index([Document(id="news.txt", title="Rejected", text=f"{NEWS}\n{summit}")])
    b.retriever.invalidate()
    answer = b.ask("Does the Red Brigade operate in Freedonia?")
    assert answer.conflicts, answer.answer
    in_positions = {n for p in answer.conflicts[0].positions for n in p.citations}
    assert {c.n for c in answer.citations} == in_positions
    assert summit not in [c.quote for c in answer.citations]


def test_accusation_and_rejection_are_a_conflict(briefing: Briefing) -> None:
    answer = briefing.ask("Is Sylvania arming the Red Brigade?")
    positions = {(p.holder.split(" (")[0], p.stance) for c in answer.conflicts for p in c.positions}
    assert ("Anna Berg", "denies") in positions
    assert any("Karl Dorn" in h and s == "affirms" for h, s in positions)


def test_only_a_yes_no_question_has_sides(briefing: Briefing) -> None:
    # The same evidence as the accusation and its rejection, asked as a what-question.
    answer = briefing.ask("What is the Red Brigade?")
    assert not answer.abstained and not answer.conflicts


def test_a_holder_is_a_party_not_a_broken_phrase() -> None:
    text = "MR. KIRBY:  I would just say the group is weak."
    reading = read_document(Document(id="t", title="t", text=text))
    assert holder_of(reading, 0, "I would just") == "Mr. Kirby"
    assert holder_of(reading, 0, "I’ve") == "Mr. Kirby"  # "As I’ve said, ..."
    assert holder_of(reading, 0, "We’ve") == "Mr. Kirby"
    assert holder_of(reading, 0, "are probably tired of hearing me") == ""
    assert holder_of(reading, 0, "August 2019 to change the internationally") == ""
    assert holder_of(reading, 0, "Kabul.  And") == ""
    assert holder_of(reading, 0, "politicians in the United States") == "politicians in the United States"


def test_pronoun_is_resolved_in_the_answer_text(briefing: Briefing) -> None:
    answer = briefing.ask("Do monitoring reports confirm the Red Brigade is in Freedonia?")
    assert "Anna Berg emphasized" in answer.answer


def test_speech_sentences_are_attributed_to_the_speaker(briefing: Briefing) -> None:
    answer = briefing.ask("What did Estland say about floods?")
    assert not answer.abstained
    assert "Ola Nord" in answer.answer
    assert answer.citations[0].holder == "Ola Nord, President of Estland"


def test_abstains_when_the_sources_are_silent(briefing: Briefing) -> None:
    out_of_scope = briefing.ask("What is the capital of Peru?")
    assert out_of_scope.abstained and out_of_scope.answer == CANNOT_ANSWER and not out_of_scope.citations
    detail = briefing.ask("How many fighters does the Red Brigade have in Freedonia?")
    assert detail.abstained


def test_every_quote_is_the_exact_span(briefing: Briefing) -> None:
    for question in ("Does the Red Brigade operate in Freedonia?", "Is Sylvania arming the Red Brigade?"):
        answer = briefing.ask(question)
        assert check_quotes(answer, briefing.store.get_document) == []
        verify_answer(answer)


def test_bad_questions_get_clear_errors(briefing: Briefing) -> None:
    with pytest.raises(EmptyQuestion):
        briefing.ask("   ?? ")
    with pytest.raises(QuestionTooLong):
        briefing.ask("why " * 1000)


def _citation(n: int) -> Citation:
    return Citation(n=n, document_id="d", title="t", start=0, end=1, quote="x")


def test_verify_rejects_uncited_sentences_and_unknown_markers() -> None:
    verify_answer(Answer(answer="A fact [1].", abstained=False, citations=[_citation(1)]))
    with pytest.raises(InvalidAnswer):
        verify_answer(Answer(answer="A fact [1]. An uncited claim.", abstained=False, citations=[_citation(1)]))
    with pytest.raises(InvalidAnswer):
        verify_answer(Answer(answer="A fact [2].", abstained=False, citations=[_citation(1)]))


def test_line_breaks_in_a_question_do_not_break_the_answer(briefing: Briefing) -> None:
    answer = briefing.ask("Does the Red Brigade\noperate in Freedonia?")
    verify_answer(answer)
    assert answer.conflicts and "\n" not in answer.conflicts[0].topic


def test_opening_possessive_is_resolved(tmp_path: Path) -> None:
    text = (
        "The minister, Anna Berg, rejected the report on the Red Brigade. "
        "Her statement came after rebel spokesman Karl Dorn claimed that the Red Brigade recruits in Freedonia."
    )
    b = Briefing(Settings(index_dir=tmp_path / "idx", embedder="fake"))
    Indexer(b.store, b.embedder).index([Document(id="r.txt", title="Report", text=text)])
    b.retriever.invalidate()
    answer = b.ask("Does the Red Brigade recruit in Freedonia?")
    assert "Anna Berg’s statement came after" in answer.answer
    assert all(c.quote in text for c in answer.citations)


def test_an_answer_that_fails_its_check_falls_back_to_its_best_sentence(
    briefing: Briefing, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from assistant.answer import compose

    real = compose.verify_answer
    calls: list[int] = []

    def first_fails(answer: Answer) -> Answer:
        calls.append(len(answer.citations))
        if len(calls) == 1:
            raise InvalidAnswer("uncited sentence: (simulated)")
        return real(answer)

    monkeypatch.setattr(compose, "verify_answer", first_fails)
    answer = briefing.ask("Does the Red Brigade operate in Freedonia?")
    assert calls[0] > 1 and len(answer.citations) == 1 and not answer.conflicts
    assert answer.notes == [compose._DEGRADED] and "falling back" in caplog.text
    assert not check_quotes(answer, briefing.document)


class _BatchSensitive:
    """Vectors that, like the int8 model's, move a little with the batch a text is embedded in."""

    def __init__(self) -> None:
        self.inner = FakeEmbedder()

    def embed(self, texts: list[str]) -> np.ndarray:
        vectors = self.inner.embed(texts) + 0.05 * len(texts)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def embed_each(self, texts: list[str]) -> np.ndarray:
        return np.concatenate([self.embed([t]) for t in texts])


def test_a_questions_closeness_depends_neither_on_what_was_asked_before_nor_on_stored_vectors(
    tmp_path: Path,
) -> None:
    from types import SimpleNamespace

    from assistant.answer import gather
    from assistant.sentence_vectors import SentenceVectors, version_of

    embedder = _BatchSensitive()
    retriever = SimpleNamespace(embed_query=lambda q: embedder.embed([q])[0])
    store = SimpleNamespace(sentences=SentenceVectors(tmp_path / "vectors.sqlite3"))
    stub = SimpleNamespace(embedder=embedder, retriever=retriever, store=store)
    text = "Red ships sailed. Blue ships waited. Green ones sank. Grey ones burned."
    reading = read_document(Document(id="batch.txt", title="T", text=text))
    similarity = gather.similarity(stub, "Did the red ships sail?")  # type: ignore[arg-type]
    gather._RECENT.clear()
    first = similarity([(reading, 0), (reading, 1)])
    similarity([(reading, 1), (reading, 2), (reading, 3)])  # other questions, other sets of sentences
    gather._RECENT.clear()
    similarity([(reading, 0), (reading, 2), (reading, 3)])
    again = similarity([(reading, 1), (reading, 0)])  # the same sentences, in another order
    assert again.tolist() == pytest.approx([first[1], first[0]], abs=1e-6)
    # Stored once the document was committed: read, not embedded, and the same closeness.
    sentences = [reading.text(i) for i in range(len(reading.spans))]
    version = version_of(reading.doc.content_hash)
    store.sentences.put("batch.txt", version, reading.spans, embedder.embed_each(sentences))
    gather._RECENT.clear()
    embedder.embed_each = None  # type: ignore[assignment,method-assign]  # any embedding now fails
    stored = similarity([(reading, 0), (reading, 1)])
    assert stored.tolist() == first.tolist()  # embedded vectors are rounded as stored ones are


def test_a_question_on_how_things_stand_now_is_answered_from_the_newest_source(tmp_path: Path) -> None:
    b = Briefing(Settings(index_dir=tmp_path / "idx", embedder="fake"))

    def statement(year: int, text: str) -> Document:
        return Document(id=f"s{year}.txt", title=f"Statement {year}", text=text, published=str(year),
                        metadata={"date_lo": year * 10000 + 101, "date_hi": year * 10000 + 1231})

    Indexer(b.store, b.embedder).index([
        statement(2007, "The Red Brigade is a grave threat to the ports of Estland."),
        statement(2024, "The Red Brigade remains a threat to Estland, though a smaller one."),
        statement(2015, "The harvest in Estland was good."),
    ])
    b.retriever.invalidate()
    first = b.ask("Is the Red Brigade still a threat to Estland?").citations[0]
    assert first.document_id == "s2024.txt"
    # Without "still", the question is not confined to now: the closest statement comes first.
    closest = b.ask("Is the Red Brigade a grave threat to the ports of Estland?").citations[0]
    assert closest.document_id == "s2007.txt"

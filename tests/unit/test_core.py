"""The foundation, fast: passages, BM25, filters, ingest, retrieval, the facade.

Everything runs on the deterministic fake embedder and an embedded Chroma in ``tmp_path``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.briefing import Briefing
from assistant.embeddings import FakeEmbedder, length_batches
from assistant.errors import InputError
from assistant.filters import Filters
from assistant.retrieval import Retriever
from assistant.sentences import sentence_spans
from assistant.settings import Settings
from assistant.types import Document, DocumentInfo
from ingest.loaders import SourceFile, load_file
from ingest.passages import split_into_passages
from ingest.pipeline import Indexer, IngestSummary, ingest_paths

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_FILES = sorted(p for p in SEEDS.rglob("*") if p.is_file())
A09 = next(SEEDS.glob("briefing/A09*.md"))
SEED_TXT = next(SEEDS.glob("*.txt"))
COUNT = FakeEmbedder().count_tokens


def load_seed(path: Path) -> Document:
    (doc,) = load_file(SourceFile(path, SEEDS)).documents
    return doc


# -- passages -----------------------------------------------------------------------------
def assert_valid_passages(doc: Document, limit: int = 256) -> None:
    passages = split_into_passages(doc, COUNT, target=128, limit=limit)
    assert passages, "a document with text must give passages"
    previous_end = 0
    covered = bytearray(len(doc.text))
    for p in passages:
        assert p.document_id == doc.id
        assert p.text == doc.text[p.start : p.end]
        assert p.start >= previous_end, "passages are in order and do not overlap"
        assert COUNT([p.text])[0] <= limit
        previous_end = p.end
        covered[p.start : p.end] = b"\x01" * (p.end - p.start)
    for start, end in sentence_spans(doc.text):
        missing = [i for i in range(start, end) if not covered[i] and not doc.text[i].isspace()]
        assert not missing, f"sentence at {start}:{end} is not fully covered"


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:12])
def test_split_into_passages_on_every_seed(path: Path) -> None:
    assert_valid_passages(load_seed(path))


def test_split_into_passages_cuts_an_overlong_sentence_without_losing_words() -> None:
    words = [f"word{i}" for i in range(900)]
    sentence = " ".join(words[:300]) + ", " + " ".join(words[300:]) + "."
    doc = Document(id="long", title="Long", text=f"A short opener.\n{sentence}\nA short closer.")
    passages = split_into_passages(doc, COUNT)
    assert len(passages) >= 4
    assert_valid_passages(doc)
    joined = " ".join(p.text for p in passages)
    assert re.findall(r"word\d+", joined) == words


def test_only_the_int8_embedder_has_a_background_variant() -> None:
    from assistant.embeddings import for_background

    fake = FakeEmbedder()
    assert for_background(fake, threads=1) is fake


def test_length_batches_group_similar_lengths_and_cover_every_text() -> None:
    lengths = [40, 12, 100, 13, 41, 14, 99, 12]
    batches = length_batches(lengths, size=3)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    assert all(len(b) <= 3 for b in batches)
    for b in batches:  # no batch pads a short text to a much longer one
        assert max(lengths[i] for i in b) <= 1.3 * min(lengths[i] for i in b)
    assert [[lengths[i] for i in b] for b in batches] == [[12, 12, 13], [14], [40, 41], [99, 100]]


# -- filters ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw",
    [
        {"_doc": "briefing/A01.md"},
        {"$or": "x"},
        {"published_from": "last year"},
        {"published_to": "2022/01/31"},
        {"speaker": {"nested": 1}},
        {"speaker": []},
    ],
)
def test_filters_parse_rejects_bad_input(raw: dict[str, object]) -> None:
    with pytest.raises(InputError):
        Filters.parse(raw)


def _info(doc_id: str, **meta: str | int) -> DocumentInfo:
    return DocumentInfo(id=doc_id, title=doc_id, metadata=meta)


def test_filters_date_range_where_and_matches() -> None:
    f = Filters.parse({"published_from": "2022", "published_to": "2022-06"})
    assert f.where() == {"$and": [{"date_hi": {"$gte": 20220101}}, {"date_lo": {"$lte": 20220631}}]}
    assert f.matches(_info("in", date_lo=20220301, date_hi=20220301))
    assert f.matches(_info("overlaps", date_lo=20211201, date_hi=20220115))
    assert not f.matches(_info("after", date_lo=20220801, date_hi=20220801))
    assert not f.matches(_info("before", date_lo=20210901, date_hi=20210930))
    assert not f.matches(_info("undated"))


def test_filters_equality_and_empty() -> None:
    f = Filters.parse({"speaker": ["Khan", "Sharif"], "collection": "briefing"})
    assert f.where() == {"$and": [{"speaker": {"$in": ["Khan", "Sharif"]}}, {"collection": "briefing"}]}
    assert f.matches(_info("a", speaker="Khan", collection="briefing"))
    assert not f.matches(_info("b", speaker="Modi", collection="briefing"))
    assert Filters.parse(None).empty and Filters.parse({}).where() is None


# -- ingest -------------------------------------------------------------------------------
CORPUS = {
    "khan.md": (
        "---\ntitle: Khan at the UN\ndate: 2021-09-24\nspeaker: Khan\n---\n"
        "Pakistan has suffered from terrorism for two decades.\n"
        "The TTP operates from sanctuaries in Afghanistan and attacks Pakistan.\n"
    ),
    "mujahid.md": (
        "---\ntitle: Taliban spokesman\ndate: 2022-08-02\nspeaker: Mujahid\n---\n"
        "The Taliban deny that the TTP operates in Afghanistan.\n"
        "No group is allowed to use Afghan soil against any country.\n"
    ),
    "weather.txt": "The harvest in the northern provinces was good this year.\nRain came late in spring.\n",
}


def write_corpus(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in CORPUS.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def run_ingest(settings: Settings, folder: Path, prune: bool = False) -> IngestSummary:
    """One ``briefing ingest`` run, as the CLI does it: a fresh store and indexer."""
    briefing = Briefing(settings)
    return ingest_paths(Indexer(briefing.store, briefing.embedder, settings.passage_tokens), [folder], prune)


def stored_passages(settings: Settings, doc_id: str) -> dict[str, str]:
    got = Briefing(settings).store.passages.get(where={"_doc": doc_id}, include=["metadatas"])
    return {pid: str(meta["_ver"]) for pid, meta in zip(got["ids"], got["metadatas"] or [], strict=True)}


def test_ingest_twice_changes_nothing(fake_settings: Settings, tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "docs")
    first = run_ingest(fake_settings, folder)
    assert first.count("added") == 3 and not first.failures and first.passages > 0
    second = run_ingest(fake_settings, folder)
    assert second.count("unchanged") == 3
    assert second.passages == 0
    assert set(second.outcomes) == set(first.outcomes)


def test_ingest_changed_file_replaces_its_passages(fake_settings: Settings, tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "docs")
    run_ingest(fake_settings, folder)
    before = stored_passages(fake_settings, "khan.md")
    assert before
    changed = CORPUS["khan.md"] + "A new closing sentence was added.\n"
    (folder / "khan.md").write_text(changed, encoding="utf-8")
    summary = run_ingest(fake_settings, folder)
    assert summary.outcomes == {"khan.md": "updated", "mujahid.md": "unchanged", "weather.txt": "unchanged"}
    store = Briefing(fake_settings).store
    doc = store.get_document("khan.md")
    after = stored_passages(fake_settings, "khan.md")
    assert set(after.values()) == {doc.content_hash[:16]}, "only the new version's passages remain"
    assert not set(before) & set(after)
    assert len(after) == store.document_infos()["khan.md"].passages
    assert "new closing sentence" in doc.text


def test_ingest_prune_removes_deleted_files(fake_settings: Settings, tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "docs")
    run_ingest(fake_settings, folder)
    (folder / "weather.txt").unlink()
    kept = run_ingest(fake_settings, folder)
    assert "weather.txt" in Briefing(fake_settings).store.document_infos(), "no --prune: kept"
    assert kept.count("removed") == 0
    pruned = run_ingest(fake_settings, folder, prune=True)
    assert pruned.outcomes["weather.txt"] == "removed"
    store = Briefing(fake_settings).store
    assert set(store.document_infos()) == {"khan.md", "mujahid.md"}
    assert not stored_passages(fake_settings, "weather.txt")


def test_ingest_reports_a_bad_file_and_keeps_the_others(fake_settings: Settings, tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "docs")
    (folder / "broken.txt").write_bytes(b"caf\xe9 au lait \xff\xfe not utf-8\n")
    summary = run_ingest(fake_settings, folder, prune=True)
    assert [Path(f.path).name for f in summary.failures] == ["broken.txt"]
    assert summary.failures[0].reason
    assert summary.count("added") == 3
    assert set(Briefing(fake_settings).store.document_infos()) == set(CORPUS)
    assert summary.notes, "pruning is skipped (with a note) when a file failed"


def test_ingest_refuses_a_reserved_metadata_key_and_keeps_the_rest(
    fake_settings: Settings, tmp_path: Path
) -> None:
    folder = write_corpus(tmp_path / "docs")
    lines = [
        '{"id": "odd", "text": "The ports reopened.", "metadata": {"$where": "x"}}',
        '{"id": "fine", "text": "The ports reopened in May."}',
    ]
    (folder / "notes.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = run_ingest(fake_settings, folder)
    assert [(Path(f.path).name, "'$where'" in f.reason) for f in summary.failures] == [("notes.jsonl", True)]
    assert set(Briefing(fake_settings).store.document_infos()) == {*CORPUS, "fine"}


# -- retrieval and the facade -------------------------------------------------------------
@pytest.fixture
def tiny_index(fake_settings: Settings, tmp_path: Path) -> Briefing:
    summary = run_ingest(fake_settings, write_corpus(tmp_path / "docs"))
    assert summary.count("added") == 3
    return Briefing(fake_settings)


def test_search_with_filters_returns_only_matching_documents(tiny_index: Briefing) -> None:
    retriever = Retriever(tiny_index.store, FakeEmbedder())
    query = "Does the TTP operate in Afghanistan?"
    unfiltered = {ev.passage.document_id for ev in retriever.search(query, k=10)}
    assert {"khan.md", "mujahid.md"} <= unfiltered
    by_speaker = retriever.search(query, k=10, filters=Filters.parse({"speaker": "Mujahid"}))
    assert by_speaker and {ev.passage.document_id for ev in by_speaker} == {"mujahid.md"}
    by_date = retriever.search(query, k=10, filters=Filters.parse({"published_to": "2021-12"}))
    assert by_date and {ev.passage.document_id for ev in by_date} == {"khan.md"}
    nothing = retriever.search(query, k=10, filters=Filters.parse({"published_from": "2030"}))
    assert nothing == []


def test_search_evidence_spans_are_exact(tiny_index: Briefing) -> None:
    results = Retriever(tiny_index.store, FakeEmbedder()).search("TTP sanctuaries", k=5)
    assert results[0].passage.document_id == "khan.md"
    for ev in results:
        doc = tiny_index.store.get_document(ev.passage.document_id)
        assert ev.passage.text == doc.text[ev.passage.start : ev.passage.end]
        assert ev.document.id == doc.id


def test_briefing_ask_citations_are_exact(tiny_index: Briefing) -> None:
    answer = tiny_index.ask("Does TTP operate in Afghanistan?")
    assert not answer.abstained
    assert answer.citations
    for citation in answer.citations:
        doc = tiny_index.store.get_document(citation.document_id)
        assert citation.quote == doc.text[citation.start : citation.end]
        assert citation.title == doc.title
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert markers and markers <= {c.n for c in answer.citations}
    for conflict in answer.conflicts:
        for position in conflict.positions:
            assert set(position.citations) <= {c.n for c in answer.citations}


def test_briefing_abstains_when_nothing_is_relevant(tiny_index: Briefing) -> None:
    answer = tiny_index.ask("What is the capital of Peru?")
    assert answer.abstained
    assert not answer.citations


def _speech_among_reports(
    settings: Settings, reports: tuple[str, str], speech: tuple[str, str]
) -> Retriever:
    """An index of six reports ((speaker, text)) and one speech ((speaker, text), "speech.md")."""
    briefing = Briefing(settings)
    others = [
        Document(id=f"report{i}.txt", title=f"Report {i}", metadata={"speaker": reports[0]},
                 text=f"{reports[1]}, report {i}.")
        for i in range(6)
    ]
    statement = Document(id="speech.md", title="Statement in the General Debate",
                         metadata={"speaker": speech[0]}, text=speech[1])
    Indexer(briefing.store, briefing.embedder).index([*others, statement])
    return Retriever(briefing.store, FakeEmbedder())


def test_search_finds_the_speech_of_a_speaker_named_only_in_its_metadata(fake_settings: Settings) -> None:
    retriever = _speech_among_reports(
        fake_settings,
        ("The Reporter", "Freedonia said Freedonia will talk about Freedonia and its harbours"),
        ("Ola Nord, President of Estland",
         "We thank the Assembly.\nOur neighbour Freedonia must stop the shelling of our villages."),
    )
    found = retriever.search("What did Nord say about Freedonia?", k=3)
    assert "speech.md" in {ev.passage.document_id for ev in found}
    # A name in every document's header is not a name of one: nothing is boosted for it.
    assert retriever.snapshot().named("reporter", Filters()) == []


def test_search_finds_the_speech_of_the_country_asked_about_as_a_speaker(fake_settings: Settings) -> None:
    """ "What did Estland's leader warn?" asks for the speech of Estland's president, which
    shares fewer of the question's words than reports on Estland do."""
    retriever = _speech_among_reports(
        fake_settings,
        ("Anna Berg, Minister of Sylvania",
         "Estland warned its leader about powers exploiting the chaos in Estland"),
        ("Ola Nord, President of Estland (acting)",
         "We thank the Assembly.\nWe warn that no country may take advantage of the chaos in Freedonia."),
    )
    question = "What did Estland's leader warn about powers exploiting the chaos?"
    assert "speech.md" not in {ev.passage.document_id for ev in retriever.search(question, k=3)}
    found = retriever.search(question, k=3, speakers=("estland",))
    assert "speech.md" in {ev.passage.document_id for ev in found}
    # Only a speaker: "Estland" as a topic boosts no one's speeches.
    assert [docs for _, docs, _ in retriever.snapshot().named("estland", Filters())] == []


def test_what_is_an_acronym_reads_the_passage_that_spells_it_out(tmp_path: Path) -> None:
    b = Briefing(Settings(index_dir=tmp_path / "idx", embedder="fake", top_k=1))
    defining = "Ola Nord leads the Red Brigade (RB), which was founded in Port Lyle in 1999."
    others = [
        Document(id=f"n{i}.txt", title=f"News {i}", metadata={"collection": "news"},
                 text=f"RB fighters attacked RB targets. RB said RB won. Day {i}.")
        for i in range(3)
    ]
    Indexer(b.store, b.embedder).index([Document(id="d.txt", title="Profile", text=defining), *others])
    b.retriever.invalidate()
    assert [e.passage.document_id for e in b.retriever.introducing("RB", "What is the RB?", 2)] == ["d.txt"]
    assert b.retriever.introducing("RB", "What is the RB?", 2, Filters.parse({"collection": "news"})) == []
    from assistant.answer.conversation import understand
    from assistant.answer.gather import retrieve

    def retrieved(question: str) -> list[str]:
        return [e.passage.document_id for e in retrieve(understand(question, []), b, Filters())]

    found = retrieved("What is the RB?")
    assert found[0].startswith("n") and found[1:] == ["d.txt"]  # the passage retrieved, and the spelling out
    assert "d.txt" not in retrieved("Where is RB?")

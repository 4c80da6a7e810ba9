"""The ``briefing`` command over a tiny corpus, a real embedded Chroma and the fake embedder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli import main, parse_filters
from assistant.errors import InputError
from assistant.settings import Settings
from assistant.types import Answer

A_TEXT = (
    "The Kabul airport attack was carried out by ISIS-K. It killed thirteen American service members.\n\n"
    "The Taliban denied any role in the attack.\n"
)
B_BODY = (
    "Two Hellfire missiles were fired at Ayman al-Zawahiri, who was killed. The strike happened in Kabul.\n"
)


def write_corpus(root: Path) -> Path:
    corpus = root / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text(A_TEXT, encoding="utf-8")
    (corpus / "sub" / "b.md").write_text(
        f"---\ntitle: Zawahiri strike\npublished: 2022-08-01\n---\n{B_BODY}", encoding="utf-8"
    )
    return corpus


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(index_dir=tmp_path / "idx", embedder="fake")


@pytest.fixture
def indexed(tmp_path: Path, settings: Settings, capsys: pytest.CaptureFixture[str]) -> Settings:
    assert main(["ingest", str(write_corpus(tmp_path))], settings) == 0
    capsys.readouterr()
    return settings


def test_ingest_twice_second_run_is_all_unchanged(
    tmp_path: Path, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = write_corpus(tmp_path)
    assert main(["ingest", str(corpus)], settings) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 added, 0 updated, 0 unchanged")
    assert "retrieval snapshot of" in out  # cached for the service's next start
    assert list((settings.index_dir / "snapshot-cache").glob("*.npz"))
    assert main(["ingest", str(corpus)], settings) == 0
    out = capsys.readouterr().out
    assert out.startswith("0 added, 0 updated, 2 unchanged, 0 removed, 0 failed; 0 passages")
    assert "retrieval snapshot" not in out  # nothing changed, nothing to read again


def test_ingest_prune_removes_deleted_file(
    tmp_path: Path, indexed: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "corpus" / "a.txt").unlink()
    assert main(["ingest", "--prune", str(tmp_path / "corpus")], indexed) == 0
    assert "1 unchanged, 1 removed" in capsys.readouterr().out


def test_ingest_bad_file_exits_1_and_names_it(
    tmp_path: Path, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = write_corpus(tmp_path)
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    missing = tmp_path / "nope.txt"
    assert main(["ingest", str(corpus), str(missing)], settings) == 1
    captured = capsys.readouterr()
    assert "2 added" in captured.out and "2 failed" in captured.out
    assert f"{missing}: " in captured.err
    assert "empty.txt: " in captured.err
    assert "Traceback" not in captured.err


def test_bad_usage_exits_2(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest"], settings) == 2
    assert main(["frobnicate"], settings) == 2
    assert main(["search", "x", "-k", "many"], settings) == 2


def test_search_json_parses_and_spans_match(
    tmp_path: Path, indexed: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "Hellfire missiles Zawahiri", "-k", "2", "--json"], indexed) == 0
    results = json.loads(capsys.readouterr().out)
    assert 1 <= len(results) <= 2
    top = results[0]
    assert top["passage"]["document_id"] == "sub/b.md"
    assert top["document"]["title"] == "Zawahiri strike"
    assert B_BODY[top["passage"]["start"] : top["passage"]["end"]] == top["passage"]["text"]


def test_search_human_output_lists_title_id_and_span(
    indexed: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "Hellfire missiles", "-k", "1"], indexed) == 0
    out = capsys.readouterr().out
    assert out.startswith(" 1. Zawahiri strike  [sub/b.md 0:")
    assert "score" in out and "Two Hellfire" in out


def test_ask_json_is_an_answer_with_exact_quotes(
    indexed: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "How many Hellfire missiles were fired at Zawahiri?", "--json"], indexed) == 0
    answer = Answer.model_validate(json.loads(capsys.readouterr().out))
    assert not answer.abstained and answer.citations
    texts = {"a.txt": A_TEXT, "sub/b.md": B_BODY}
    for c in answer.citations:
        assert texts[c.document_id][c.start : c.end] == c.quote


def test_ask_human_output_numbers_sources(indexed: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "How many Hellfire missiles were fired at Zawahiri?"], indexed) == 0
    out = capsys.readouterr().out
    assert "[1]" in out.splitlines()[0]
    assert "Sources:" in out and "[1] Zawahiri strike, 2022-08-01 (sub/b.md" in out


def test_ask_filter_that_excludes_everything_abstains(
    indexed: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["ask", "How many Hellfire missiles were fired?", "--json", "--filter", "published_to=2020"]
    assert main(argv, indexed) == 0
    assert json.loads(capsys.readouterr().out)["abstained"] is True


def test_empty_question_exits_2_without_traceback(
    indexed: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "   "], indexed) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: the question is empty")
    assert "Traceback" not in err


def test_bad_filter_exits_2(indexed: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "Kabul", "--filter", "novalue"], indexed) == 2
    assert capsys.readouterr().err.startswith("error: filters are key=value")
    assert main(["search", "Kabul", "--filter", "published_from=last week"], indexed) == 2


def test_parse_filters_merges_repeated_keys_and_reads_numbers() -> None:
    got = parse_filters(["year=2022", "year=x", "published_from=2021-05", "ok=true"])
    assert got == {"year": ["2022", 2022, "x"], "published_from": "2021-05", "ok": ["true", True]}
    with pytest.raises(InputError):
        parse_filters(["=1"])

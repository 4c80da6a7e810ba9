"""Loaders: finding files, plain text, Markdown front matter, and the seed corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.errors import BadDocument
from ingest.loaders import (
    SUPPORTED_SUFFIXES,
    SourceFile,
    discover,
    load_file,
)
from tests.loader_support import SEEDS, load_one, write

# --- discover -------------------------------------------------------------------------------


def test_discover_walks_folders_sorted_skipping_hidden_and_unsupported(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    for name in [
        "b.md",
        "a.txt",
        "sub/z.html",
        "sub/deeper/c.PDF",
        ".hidden.md",
        ".git/x.md",
        "sub/.cache/y.txt",
    ]:
        write(root / name, "x")
    write(root / "image.png", b"\x89PNG")
    write(root / "notes", "no suffix")

    found, failures = discover([root])

    assert failures == []
    assert [source.relative_id for source in found] == ["a.txt", "b.md", "sub/deeper/c.PDF", "sub/z.html"]
    assert all(source.root == root for source in found)


def test_discover_reports_named_files_that_cannot_be_loaded(tmp_path: Path) -> None:
    good = write(tmp_path / "good.md", "text")
    unsupported = write(tmp_path / "slides.pptx", b"PK")
    missing = tmp_path / "nowhere" / "gone.txt"

    found, failures = discover([unsupported, missing, good])

    assert found == [SourceFile(good, tmp_path)]
    assert found[0].relative_id == "good.md"
    reasons = {failure.path: failure.reason for failure in failures}
    assert set(reasons) == {str(unsupported), str(missing)}
    assert "'.pptx'" in reasons[str(unsupported)] and ".docx" in reasons[str(unsupported)]
    assert "no such file" in reasons[str(missing)]


def test_discover_keeps_a_file_reached_twice_once(tmp_path: Path) -> None:
    file = write(tmp_path / "sub" / "a.txt", "x")

    found, failures = discover([tmp_path, file])

    assert failures == []
    assert [source.relative_id for source in found] == ["sub/a.txt"]


def test_supported_suffixes() -> None:
    assert {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".jsonl"} == SUPPORTED_SUFFIXES


# --- plain text -----------------------------------------------------------------------------


def test_txt_text_is_verbatim_and_titled_by_its_first_line(tmp_path: Path) -> None:
    text = "  First line, indented.\n\nSecond  paragraph\twith tab.\n\n\n"
    document = load_one(write(tmp_path / "my_field-notes.txt", text))

    assert document.id == "my_field-notes.txt"
    assert document.title == "First line, indented."
    assert document.text == text
    assert document.published == "" and document.source == ""
    assert document.metadata == {}


def test_utf8_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    document = load_one(write(tmp_path / "bom.txt", b"\xef\xbb\xbfHello \xe2\x80\x94 world"))
    assert document.text == "Hello \u2014 world"


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_crlf_and_cr_line_endings_become_lf(tmp_path: Path, suffix: str) -> None:
    document = load_one(write(tmp_path / f"doc{suffix}", b"one\r\ntwo\rthree\n\r\nfour"))
    assert document.text == "one\ntwo\nthree\n\nfour"


def test_crlf_front_matter_is_read(tmp_path: Path) -> None:
    raw = b"---\r\ntitle: Windows file\r\ndate: 2022-08-01\r\n---\r\nBody line\r\nnext\r\n"
    document = load_one(write(tmp_path / "win.md", raw))
    assert (document.title, document.published, document.text) == (
        "Windows file",
        "2022-08-01",
        "Body line\nnext\n",
    )


@pytest.mark.parametrize("suffix", [".txt", ".md", ".markdown", ".html", ".jsonl"])
@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "empty"),
        (b" \n\t\r\n  ", "whitespace|no text|no documents|no visible text"),
        (b"PK\x03\x04\x00\x00binary\x00", "binary"),
    ],
)
def test_empty_blank_and_binary_files_are_bad(
    tmp_path: Path, suffix: str, data: bytes, expected: str
) -> None:
    path = write(tmp_path / f"bad{suffix}", data)
    with pytest.raises(BadDocument, match=expected):
        load_file(SourceFile(path, tmp_path))


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_invalid_utf8_names_the_byte(tmp_path: Path, suffix: str) -> None:
    path = write(tmp_path / f"latin1{suffix}", "café au lait".encode("latin-1"))
    with pytest.raises(BadDocument, match=r"not valid UTF-8 at byte 3; re-save the file as UTF-8"):
        load_file(SourceFile(path, tmp_path))


# --- markdown -------------------------------------------------------------------------------

FRONT_MATTER = """---
title: "Kabul: the evacuation"
date: 2021 (UNGA 76th session general debate, September)
source: https://example.org/a
speaker: Jane Doe, Minister
tags: [security, aid]
people:
  - A. One
  - B. Two
origin:
  agency: UN
  office: {city: Geneva}
pages: 12
score: 0.5
verified: true
notes:
empty: ""
updated: 2021-08-26 10:00:00
stamped: !!timestamp 2021-08-26
---
"""


def test_markdown_front_matter_becomes_fields_and_scalar_metadata(tmp_path: Path) -> None:
    body = "# Heading that is not the title\n\nThe text: kept *verbatim*.\n"
    document = load_one(write(tmp_path / "speech.md", FRONT_MATTER + body))

    assert document.title == "Kabul: the evacuation"
    assert document.published == "2021 (UNGA 76th session general debate, September)"
    assert document.source == "https://example.org/a"
    assert document.text == body
    assert document.metadata == {
        "speaker": "Jane Doe, Minister",
        "tags": "security, aid",
        "people": "A. One, B. Two",
        "origin.agency": "UN",
        "origin.office.city": "Geneva",
        "pages": 12,
        "score": 0.5,
        "verified": True,
        "updated": "2021-08-26 10:00:00",
        "stamped": "2021-08-26",
        "date_lo": 20210901,
        "date_hi": 20210930,
    }


def test_published_wins_over_date_which_stays_in_metadata(tmp_path: Path) -> None:
    raw = "---\ntitle: T\ndate: 2020-01-01\npublished: August 1, 2022\n---\nBody\n"
    document = load_one(write(tmp_path / "two-dates.md", raw))
    assert document.published == "August 1, 2022"
    assert document.metadata["date"] == "2020-01-01"
    assert (document.metadata["date_lo"], document.metadata["date_hi"]) == (20220801, 20220801)


def test_unparseable_date_adds_no_bounds(tmp_path: Path) -> None:
    document = load_one(write(tmp_path / "undated.md", "---\ndate: sometime soon\n---\nBody\n"))
    assert document.published == "sometime soon"
    assert "date_lo" not in document.metadata and "date_hi" not in document.metadata


def test_markdown_title_falls_back_to_first_heading_then_file_name(tmp_path: Path) -> None:
    headed = load_one(write(tmp_path / "a.md", "Intro line\n\n# The Real Title #\n\nText\n"))
    plain = load_one(write(tmp_path / "field_report-2.md", "Just text\n"))
    assert headed.title == "The Real Title"
    assert plain.title == "field report 2"
    assert plain.text == "Just text\n"


def test_unquoted_colon_in_a_flat_front_matter_line_is_tolerated(tmp_path: Path) -> None:
    raw = "---\ntitle: Congressional Record: AFGHANISTAN REPORT\nyear: 2010\nnotes: a: b\n---\nBody\n"
    document = load_one(write(tmp_path / "cr.md", raw))
    assert document.title == "Congressional Record: AFGHANISTAN REPORT"
    assert document.metadata == {"year": 2010, "notes": "a: b"}


@pytest.mark.parametrize(
    ("front", "line"),
    [
        ('title: "never closed\nspeaker: x\n', r"line \d+"),
        ("title: ok\n  speaker: bad indent: here\n", r"line 3"),
        ("tags: [a, b\nspeaker: x\n", r"line \d+"),
    ],
)
def test_malformed_yaml_front_matter_is_bad(tmp_path: Path, front: str, line: str) -> None:
    path = write(tmp_path / "broken.md", f"---\n{front}---\nBody\n")
    with pytest.raises(BadDocument, match="malformed YAML front matter") as caught:
        load_file(SourceFile(path, tmp_path))
    assert re.search(line, str(caught.value))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("---\n- a\n- b\n---\nBody\n", "mapping"),
        ("---\ntitle: never closed\nBody\n", "never closed"),
        ("---\ntitle: Only front matter\n---\n\n  \n", "no text"),
    ],
)
def test_unusable_front_matter_is_bad(tmp_path: Path, raw: str, expected: str) -> None:
    path = write(tmp_path / "x.md", raw)
    with pytest.raises(BadDocument, match=expected):
        load_file(SourceFile(path, tmp_path))


def test_collection_comes_from_the_first_subfolder_unless_front_matter_sets_it(tmp_path: Path) -> None:
    write(tmp_path / "briefing" / "2022" / "a.md", "Text a\n")
    write(tmp_path / "briefing" / "b.md", "---\ncollection: archive\n---\nText b\n")
    write(tmp_path / "top.txt", "Text top\n")
    found, _ = discover([tmp_path])

    documents = {doc.id: doc for source in found for doc in load_file(source).documents}

    assert documents["briefing/2022/a.md"].metadata["collection"] == "briefing"
    assert documents["briefing/b.md"].metadata["collection"] == "archive"
    assert "collection" not in documents["top.txt"].metadata
    direct = load_one(tmp_path / "briefing" / "2022" / "a.md")
    assert direct.id == "a.md" and "collection" not in direct.metadata


# --- the seed corpus ------------------------------------------------------------------------


def _front_value(front: str, key: str) -> str | None:
    match = re.search(rf"^{key}: ?(.*)$", front, re.MULTILINE)
    return match.group(1).strip() if match else None


def test_every_seed_document_loads_with_its_front_matter() -> None:
    found, failures = discover([SEEDS])
    assert failures == []
    assert len(found) == 16

    for source in found:
        result = load_file(source)
        assert result.failures == []
        (document,) = result.documents
        raw = source.path.read_text(encoding="utf-8")
        assert document.id == source.relative_id
        if source.path.suffix == ".txt":
            assert document.text == source.path.read_bytes().decode("utf-8")
            first_line = document.text.split("\n", 1)[0]
            assert document.title.endswith("…") and first_line.startswith(document.title[:-1])
            assert len(document.title) <= 91
            assert document.metadata == {}
            continue
        front, body = raw.removeprefix("---\n").split("\n---\n", 1)
        assert document.text == body
        assert document.title == _front_value(front, "title")
        assert document.source == _front_value(front, "source")
        if _front_value(front, "date"):
            assert document.published == _front_value(front, "date")
        else:  # a Congressional Record statement is dated in "speaker_date: Mr. PALLONE — 22 January 2007"
            assert document.published and document.published in _front_value(front, "speaker_date")
        assert document.metadata["collection"] == "briefing"
        for key in ("doc_type", "speaker", "speaker_date", "provenance", "license", "notes"):
            value = _front_value(front, key)
            assert document.metadata.get(key) == (value or None), (source.relative_id, key)
        if document.published:
            assert str(document.metadata["date_lo"])[:4] in document.published


def test_seed_dates_become_filterable_intervals() -> None:
    briefing = SEEDS / "briefing"
    unga = load_one(briefing / "A01_UNGA76_2021_PAK_general_debate.md")
    white_house = load_one(next(briefing.glob("A10_WH_2022-08-01_*.md")))

    assert (unga.metadata["date_lo"], unga.metadata["date_hi"]) == (20210901, 20210930)
    assert (white_house.metadata["date_lo"], white_house.metadata["date_hi"]) == (20220801, 20220801)
    record = load_one(next(briefing.glob("A24_CONGREC_*.md")))
    assert record.published == "22 January 2007"
    assert (record.metadata["date_lo"], record.metadata["date_hi"]) == (20070122, 20070122)
    assert record.metadata["speaker_date"] == "Mr. PALLONE — 22 January 2007"


def test_a_date_in_another_dated_field_dates_the_document(tmp_path: Path) -> None:
    dated = "---\ntitle: Floor statement\nspeaker_date: Mr. NORD, 5th of March, 2019\n---\nThe floods.\n"
    document = load_one(write(tmp_path / "statement.md", dated))
    assert document.published == "5th of March, 2019" and document.metadata["date_lo"] == 20190305
    # Only a full date counts, and a field named "date" wins.
    loose = "---\ntitle: T\nreview_date: sometime in 2019\n---\nText.\n"
    assert load_one(write(tmp_path / "loose.md", loose)).published == ""
    both = "---\ntitle: T\ndate: 2020\nspeaker_date: 5 March 2019\n---\nText.\n"
    assert load_one(write(tmp_path / "both.md", both)).published == "2020"


def test_txt_title_cuts_a_long_first_line_at_a_word(tmp_path: Path) -> None:
    long_line = "word " * 60
    assert load_one(write(tmp_path / "long.txt", long_line)).title == ("word " * 18).strip() + "…"

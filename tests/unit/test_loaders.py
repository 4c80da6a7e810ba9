from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import datetime
from pathlib import Path

import docx
import pypdf
import pytest

from assistant.errors import BadDocument, UnsupportedFormat
from assistant.types import Document
from ingest.loaders import (
    SUPPORTED_SUFFIXES,
    LoadFailure,
    LoadResult,
    SourceFile,
    discover,
    load_bytes,
    load_file,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def load_one(path: Path) -> Document:
    result = load_file(SourceFile(path, path.parent))
    assert result.failures == []
    assert len(result.documents) == 1
    return result.documents[0]


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def make_pdf(pages: list[str], info: dict[str, str] | None = None) -> bytes:
    """A minimal valid PDF with one Helvetica text line per line of each page."""
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [{}] /Count {} >>".format(
            " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages))), len(pages)
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, text in enumerate(pages):
        shown = [f"{_pdf_string(line)} Tj T*" for line in text.split("\n")]
        stream = "\n".join(["BT", "/F1 12 Tf", "14 TL", "72 720 Td", *shown, "ET"])
        objects.append(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>"
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
    info_ref = ""
    if info:
        objects.append(
            "<< " + " ".join(f"/{key} {_pdf_string(value)}" for key, value in info.items()) + " >>"
        )
        info_ref = f" /Info {len(objects)} 0 R"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{info_ref} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def make_docx(paragraphs: list[str], table: list[list[str]] | None = None, **properties: object) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    for name, value in properties.items():
        setattr(document.core_properties, name, value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


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


# --- HTML -----------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head>
  <title>  Remarks on
   the Strike </title>
  <meta name="description" content="ignored">
  <meta property="article:published_time" content="2022-08-01T19:33:00-04:00">
  <meta name="author" content="Press Office">
  <link rel="canonical" href="https://example.gov/remarks">
  <style>p { color: red }</style>
  <script>var secret = "script text";</script>
</head><body>
  <header><a href="/">Site banner</a></header>
  <nav><ul><li>Home</li><li>News</li></ul></nav>
  <h1>Heading one</h1>
  <p>First   paragraph
     with <b>bold</b> and &amp; entity.</p>
  <!-- a comment -->
  <div>Line one<br>Line two</div>
  <ul><li>Item A</li><li>Item B</li></ul>
  <pre>  code
    block</pre>
  <table><tr><td>Cell 1</td><td>Cell 2</td></tr></table>
  <footer>Copyright footer</footer>
  <noscript>Enable JS</noscript>
</body></html>"""


def test_html_main_text_is_paragraphs_without_markup_or_chrome(tmp_path: Path) -> None:
    document = load_one(write(tmp_path / "page.html", PAGE))

    assert document.title == "Remarks on the Strike"
    assert document.published == "2022-08-01T19:33:00-04:00"
    assert document.source == "https://example.gov/remarks"
    assert document.metadata == {"author": "Press Office", "date_lo": 20220801, "date_hi": 20220801}
    assert document.text == (
        "Heading one\n\nFirst paragraph with bold and & entity.\n\nLine one\nLine two\n\n"
        "Item A\n\nItem B\n\n  code\n    block\n\nCell 1\n\nCell 2"
    )
    for chrome in ("Site banner", "Home", "secret", "color", "Copyright", "Enable JS", "comment"):
        assert chrome not in document.text


def test_html_prefers_main_and_falls_back_to_h1_then_file_name(tmp_path: Path) -> None:
    page = "<html><body><div>Sidebar</div><main><h1>Main Title</h1><p>Kept</p></main></body></html>"
    with_h1 = load_one(write(tmp_path / "a.htm", page))
    bare = load_one(write(tmp_path / "bare_page.html", "<p>Only text</p>"))
    dated = load_one(write(tmp_path / "d.html", '<meta name="date" content="1 August 2022"><p>x</p>'))

    assert (with_h1.title, with_h1.text) == ("Main Title", "Main Title\n\nKept")
    assert (bare.title, bare.text) == ("bare page", "Only text")
    assert dated.published == "1 August 2022" and dated.metadata["date_lo"] == 20220801


def test_html_in_a_declared_legacy_charset_is_decoded(tmp_path: Path) -> None:
    page = '<html><head><meta charset="windows-1252"></head><body><p>Café “quoted”</p></body></html>'
    document = load_one(write(tmp_path / "legacy.html", page.encode("cp1252")))
    assert document.text == "Café “quoted”"


def test_html_with_only_scripts_and_navigation_is_bad(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.html", "<html><body><nav>Menu</nav><script>x()</script></body></html>")
    with pytest.raises(BadDocument, match="no visible text"):
        load_file(SourceFile(path, tmp_path))


# --- PDF ------------------------------------------------------------------------------------


def test_pdf_text_layer_pages_joined_by_blank_lines(tmp_path: Path) -> None:
    pdf = make_pdf(
        ["Page one says hello.\nSecond line (with parens).", "Page two says goodbye."],
        info={"Title": "Quarterly Report", "Author": "Analyst", "CreationDate": "D:20220801120000Z"},
    )
    document = load_one(write(tmp_path / "report.pdf", pdf))

    assert document.title == "Quarterly Report"
    assert document.published == "2022-08-01"
    assert document.text == "Page one says hello.\nSecond line (with parens).\n\nPage two says goodbye."
    assert document.metadata == {"pages": 2, "author": "Analyst", "date_lo": 20220801, "date_hi": 20220801}


def test_pdf_without_metadata_is_titled_after_the_file(tmp_path: Path) -> None:
    document = load_one(write(tmp_path / "scan_2022-08.pdf", make_pdf(["Some text."])))
    assert (document.title, document.published, document.text) == ("scan 2022 08", "", "Some text.")


def test_pdf_without_text_layer_asks_for_ocr(tmp_path: Path) -> None:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    path = write(tmp_path / "scan.pdf", buffer.getvalue())
    with pytest.raises(BadDocument, match="no text layer.*OCR"):
        load_file(SourceFile(path, tmp_path))


def test_password_protected_pdf_is_bad(tmp_path: Path) -> None:
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(make_pdf(["Secret text."])))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    path = write(tmp_path / "locked.pdf", buffer.getvalue())
    with pytest.raises(BadDocument, match="password"):
        load_file(SourceFile(path, tmp_path))


@pytest.mark.parametrize("data", [b"this is not a pdf at all", b"%PDF-1.4\n1 0 obj\n<< /Type /Cat"])
def test_broken_pdf_is_bad(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path / "broken.pdf", data)
    with pytest.raises(BadDocument, match="PDF"):
        load_file(SourceFile(path, tmp_path))


# --- DOCX -----------------------------------------------------------------------------------


def test_docx_paragraphs_and_table_cells_in_order(tmp_path: Path) -> None:
    data = make_docx(
        ["First paragraph.", "", "Second paragraph."],
        table=[["Name", "Role"], ["Kirby", "Spokesman"]],
        title="Memo on Kabul",
        created=datetime(2024, 3, 25, 11, 12),
        author="NSC",
    )
    document = load_one(write(tmp_path / "memo.docx", data))

    assert document.title == "Memo on Kabul"
    assert document.published == "2024-03-25"
    assert document.text == "First paragraph.\n\nSecond paragraph.\n\nName\n\nRole\n\nKirby\n\nSpokesman"
    assert document.metadata == {"author": "NSC", "date_lo": 20240325, "date_hi": 20240325}


def test_docx_merged_cell_is_read_once(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "Wide cell"
    table.cell(0, 2).text = "Narrow"
    buffer = io.BytesIO()
    document.save(buffer)
    loaded = load_one(write(tmp_path / "merged.docx", buffer.getvalue()))
    assert loaded.text == "Wide cell\n\nNarrow"
    assert loaded.title == "merged"


@pytest.mark.parametrize("kind", ["not a zip", "zip without word parts", "truncated"])
def test_broken_docx_is_bad(tmp_path: Path, kind: str) -> None:
    if kind == "not a zip":
        data = b"\xd0\xcf\x11\xe0 old binary .doc"
    elif kind == "zip without word parts":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "hi")
        data = buffer.getvalue()
    else:
        data = make_docx(["Text"])[:200]
    path = write(tmp_path / "broken.docx", data)
    with pytest.raises(BadDocument, match=r"not a readable \.docx"):
        load_file(SourceFile(path, tmp_path))


def test_docx_without_text_is_bad(tmp_path: Path) -> None:
    path = write(tmp_path / "blank.docx", make_docx(["", "   "]))
    with pytest.raises(BadDocument, match="no text"):
        load_file(SourceFile(path, tmp_path))


# --- JSONL ----------------------------------------------------------------------------------


def test_jsonl_keeps_good_lines_and_reports_each_bad_one(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "id": "n1",
                "title": "First",
                "text": "Alpha\r\nbeta",
                "source": "wire",
                "published": "2022-08-01",
                "metadata": {"speaker": "X", "tags": ["a", "b"], "geo": {"country": "PK"}},
            }
        ),
        "",
        '{"id": "n2", "text": "Second text", "desk": "asia"}',
        "{not json",
        '["an", "array"]',
        '{"title": "no id", "text": "t"}',
        '{"id": "n3"}',
        '{"id": "n4", "text": "   "}',
        '{"id": 7, "text": "numeric id"}',
        '{"id": "n1", "text": "duplicate"}',
        '{"id": "n5", "text": "t", "metadata": "not an object"}',
        "   ",
    ]
    path = write(tmp_path / "feed" / "news.jsonl", "\n".join(lines) + "\n")

    result = load_file(SourceFile(path, tmp_path))

    first, second = result.documents
    assert (first.id, first.title, first.text, first.source, first.published) == (
        "n1",
        "First",
        "Alpha\nbeta",
        "wire",
        "2022-08-01",
    )
    assert first.metadata == {
        "speaker": "X",
        "tags": "a, b",
        "geo.country": "PK",
        "collection": "feed",
        "date_lo": 20220801,
        "date_hi": 20220801,
    }
    assert (second.id, second.title, second.metadata) == ("n2", "n2", {"desk": "asia", "collection": "feed"})
    reasons = {failure.path: failure.reason for failure in result.failures}
    assert list(reasons) == [f"feed/news.jsonl:{n}" for n in (4, 5, 6, 7, 8, 9, 10, 11)]
    assert "not valid JSON" in reasons["feed/news.jsonl:4"]
    assert "not a JSON object" in reasons["feed/news.jsonl:5"]
    assert 'missing "id"' in reasons["feed/news.jsonl:6"]
    assert 'missing "text"' in reasons["feed/news.jsonl:7"]
    assert 'missing "text"' in reasons["feed/news.jsonl:8"]
    assert 'missing "id"' in reasons["feed/news.jsonl:9"]
    assert "duplicate id 'n1' (first used on line 1)" in reasons["feed/news.jsonl:10"]
    assert '"metadata" must be a JSON object' in reasons["feed/news.jsonl:11"]


def test_jsonl_invalid_utf8_costs_only_its_line(tmp_path: Path) -> None:
    bad_line = b'{"id": "bad", "text": "caf\xe9"}'
    data = b'{"id": "ok", "text": "fine"}\n' + bad_line + b"\n"
    result = load_file(SourceFile(write(tmp_path / "mixed.jsonl", data), tmp_path))
    assert [doc.id for doc in result.documents] == ["ok"]
    assert result.failures == [
        LoadFailure(
            "mixed.jsonl:2",
            f"not valid UTF-8 at byte {bad_line.index(0xE9)} of the line; re-save the file as UTF-8",
        )
    ]


def test_jsonl_with_no_usable_line_raises_with_the_reasons(tmp_path: Path) -> None:
    path = write(tmp_path / "all-bad.jsonl", '{"id": "a"}\n[1]\n')
    with pytest.raises(BadDocument, match=r"line 1: missing \"text\".*line 2: not a JSON object"):
        load_file(SourceFile(path, tmp_path))


# --- uploads and unsupported files ----------------------------------------------------------


def test_load_bytes_uses_the_file_name_or_the_given_id() -> None:
    by_name = load_bytes("Field Notes.TXT", b"Some notes\r\n")
    by_id = load_bytes("notes.md", b"---\ntitle: Notes\n---\nBody\n", doc_id="uploads/42")

    assert isinstance(by_name, LoadResult)
    assert (by_name.documents[0].id, by_name.documents[0].title, by_name.documents[0].text) == (
        "Field Notes.TXT",
        "Some notes",
        "Some notes\n",
    )
    assert (by_id.documents[0].id, by_id.documents[0].title) == ("uploads/42", "Notes")
    assert "collection" not in by_id.documents[0].metadata


def test_load_bytes_jsonl_reports_lines_under_the_file_name() -> None:
    result = load_bytes("feed.jsonl", b'{"id": "a", "text": "x"}\n{bad\n', doc_id="ignored")
    assert [doc.id for doc in result.documents] == ["a"]
    assert [failure.path for failure in result.failures] == ["feed.jsonl:2"]


def test_load_bytes_pdf_and_docx() -> None:
    assert load_bytes("r.pdf", make_pdf(["PDF upload"])).documents[0].text == "PDF upload"
    assert load_bytes("m.docx", make_docx(["Word upload"])).documents[0].text == "Word upload"


@pytest.mark.parametrize("name", ["slides.pptx", "archive.tar.gz", "README", "image.PNG"])
def test_unsupported_format_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(UnsupportedFormat, match="supported: .docx"):
        load_bytes(name, b"data")
    path = write(tmp_path / name, b"data")
    with pytest.raises(UnsupportedFormat):
        load_file(SourceFile(path, tmp_path))


def test_missing_file_is_bad(tmp_path: Path) -> None:
    with pytest.raises(BadDocument, match="cannot read the file"):
        load_file(SourceFile(tmp_path / "gone.md", tmp_path))


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
        assert document.published == (_front_value(front, "date") or "")
        assert document.metadata["collection"] == "briefing"
        for key in ("doc_type", "speaker", "speaker_date", "provenance", "license", "notes"):
            value = _front_value(front, key)
            assert document.metadata.get(key) == (value or None), (source.relative_id, key)
        if document.published:
            assert str(document.metadata["date_lo"])[:4] == document.published[:4]


def test_seed_dates_become_filterable_intervals() -> None:
    briefing = SEEDS / "briefing"
    unga = load_one(briefing / "A01_UNGA76_2021_PAK_general_debate.md")
    white_house = load_one(next(briefing.glob("A10_WH_2022-08-01_*.md")))

    assert (unga.metadata["date_lo"], unga.metadata["date_hi"]) == (20210901, 20210930)
    assert (white_house.metadata["date_lo"], white_house.metadata["date_hi"]) == (20220801, 20220801)


def test_txt_title_cuts_a_long_first_line_at_a_word(tmp_path: Path) -> None:
    long_line = "word " * 60
    assert load_one(write(tmp_path / "long.txt", long_line)).title == ("word " * 18).strip() + "…"

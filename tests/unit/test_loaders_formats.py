"""Loaders: HTML, PDF, DOCX, JSONL and uploads."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from pathlib import Path

import docx
import pypdf
import pytest

from assistant.errors import BadDocument, UnsupportedFormat
from ingest.loaders import (
    LoadFailure,
    LoadResult,
    SourceFile,
    load_bytes,
    load_file,
)
from tests.loader_support import load_one, make_docx, make_pdf, write

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

"""The document view page: escaping, exact highlights, bad ranges, and its routes."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.errors import NotFound
from assistant.types import Document
from assistant.web import mount_web, render_document_page, render_missing_page
from assistant.web.document_view import DOCUMENT_PAGE_CSP, SCROLL_SCRIPT, valid_span

TEXT = (
    'Intro line.\n<script>alert("x")</script> & "quotes" \'too\'\n'
    "\n  Indented: TTP operates from Afghan soil.\nEnd."
)


class _Reader(HTMLParser):
    """Collects what a browser would: the text inside <mark>, inside .text, and script bodies."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.mark = ""
        self.marks = 0
        self.body = ""
        self.scripts: list[str] = []
        self.notices = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.stack.append((tag, attributes))
        self.marks += tag == "mark"
        self.notices += "notice" in (attributes.get("class") or "")

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        tags = [t for t, _ in self.stack]
        if "script" in tags:
            self.scripts.append(data)
        if "mark" in tags:
            self.mark += data
        if any(a.get("class") == "text" for _, a in self.stack):
            self.body += data


def read(page: str) -> _Reader:
    reader = _Reader()
    reader.feed(page)
    reader.close()
    return reader


def render(start: int | None, end: int | None, text: str = TEXT) -> str:
    return render_document_page(
        "docs/a.md", 'Title <b>"bold"</b>', text, "2024-01-02", "https://example.org/x?a=1&b=2", start, end
    )


def test_highlight_is_exactly_the_span() -> None:
    start = TEXT.index("TTP operates")
    end = TEXT.index(" soil.") + len(" soil")
    page = read(render(start, end))
    assert page.marks == 1
    assert page.mark == TEXT[start:end]
    assert page.body == TEXT  # the whole text, verbatim, around the mark
    assert page.notices == 0


@pytest.mark.parametrize(("start", "end"), [(0, 1), (0, len(TEXT)), (len(TEXT) - 1, len(TEXT))])
def test_highlight_at_the_edges(start: int, end: int) -> None:
    page = read(render(start, end))
    assert page.mark == TEXT[start:end]
    assert page.body == TEXT


def test_script_in_text_and_metadata_is_escaped() -> None:
    start = TEXT.index("<script>")
    end = TEXT.index("</script>") + len("</script>")
    html = render(start, end)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<b>" not in html and "&lt;b&gt;" in html
    page = read(html)
    assert page.scripts == [SCROLL_SCRIPT]  # the only script is ours
    assert page.mark == TEXT[start:end]


def test_source_url_becomes_an_escaped_link_and_other_sources_stay_text() -> None:
    assert 'href="https://example.org/x?a=1&amp;b=2"' in render(None, None)
    page = render_document_page("d", "t", "x", "", "javascript:alert(1)", None, None)
    assert 'href="javascript' not in page and "javascript:alert(1)" in page


@pytest.mark.parametrize(
    ("start", "end"),
    [(5, 5), (10, 3), (-1, 4), (0, len(TEXT) + 1), (len(TEXT), len(TEXT) + 5), (3, None), (None, 3)],
)
def test_bad_ranges_render_the_document_with_a_notice(start: int | None, end: int | None) -> None:
    page = read(render(start, end))
    assert page.marks == 0
    assert page.notices == 1
    assert page.body == TEXT
    assert page.scripts == []


def test_no_range_means_no_notice_and_no_highlight() -> None:
    page = read(render(None, None))
    assert (page.marks, page.notices, page.body) == (0, 0, TEXT)


def test_text_keeps_its_line_breaks_with_pre_wrap() -> None:
    html = render(None, None)
    assert re.search(r"\.text\{[^}]*white-space:pre-wrap", html)
    assert "Intro line.\n&lt;script&gt;" in html


def test_valid_span() -> None:
    assert valid_span(10, 0, 10) and valid_span(10, 9, 10)
    assert not valid_span(10, 0, 0) and not valid_span(10, 0, 11) and not valid_span(10, None, 2)


def test_missing_page_escapes_the_id() -> None:
    page = render_missing_page("<img src=x onerror=alert(1)>")
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


# ---- routes -----------------------------------------------------------------------------------

DOC = Document(id="seeds/a b.txt", title="A", text=TEXT, published="2024", source="desk")


def _client() -> TestClient:
    def get_document(doc_id: str) -> Document:
        if doc_id != DOC.id:
            raise NotFound(f"No document {doc_id!r}")
        return DOC

    api = FastAPI()
    mount_web(api, get_document)
    return TestClient(api)


def test_document_route_highlights_and_sets_a_strict_csp() -> None:
    start, end = TEXT.index("Indented"), TEXT.index("Indented") + 8
    response = _client().get("/documents/seeds%2Fa%20b.txt", params={"start": start, "end": end})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == DOCUMENT_PAGE_CSP
    assert read(response.text).mark == "Indented"


def test_document_route_with_garbage_offsets_still_renders() -> None:
    response = _client().get("/documents/seeds/a b.txt", params={"start": "abc", "end": "4"})
    assert response.status_code == 200
    page = read(response.text)
    assert (page.marks, page.notices, page.body) == (0, 1, TEXT)


def test_unknown_document_is_a_404_page() -> None:
    response = _client().get("/documents/nope")
    assert response.status_code == 404
    assert "Document not found" in response.text and response.headers["content-type"].startswith("text/html")


def test_widget_and_demo_are_served() -> None:
    client = _client()
    widget = client.get("/widget.js")
    assert widget.status_code == 200
    assert widget.headers["content-type"] == "text/javascript; charset=utf-8"
    assert "max-age=" in widget.headers["cache-control"]
    assert 'customElements.define("briefing-chat"' in widget.text
    assert client.get("/widget.js", headers={"If-None-Match": widget.headers["etag"]}).status_code == 304
    assert len(widget.content) < 32_000

    demo = client.get("/")
    assert demo.status_code == 200 and demo.headers["content-type"].startswith("text/html")
    assert re.search(r'<script src="/widget.js" data-endpoint="[^"]*"', demo.text)


def test_widget_never_uses_inner_html() -> None:
    widget = _client().get("/widget.js").text
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", widget)

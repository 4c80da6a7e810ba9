"""The HTML page that shows a source document with a cited span highlighted.

Pure functions from strings to an HTML string: no I/O, no framework. Every piece of
document data goes through :func:`html.escape`; the only script is the constant
:data:`SCROLL_SCRIPT`, which :data:`DOCUMENT_PAGE_CSP` allows by hash, so that even a
missed escape could not run anything. The text is shown with ``white-space: pre-wrap``
and never re-wrapped, so the highlighted characters are exactly ``text[start:end]``.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from urllib.parse import urlsplit

__all__ = [
    "DOCUMENT_PAGE_CSP",
    "SCROLL_SCRIPT",
    "render_document_page",
    "render_missing_page",
    "valid_span",
]

SCROLL_SCRIPT = (
    'var m=document.getElementById("cited");'
    'if(m){m.scrollIntoView({block:"center"});m.focus({preventScroll:true});}'
)
"""Brings the highlighted span into view once the page loads."""


def _script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


DOCUMENT_PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; "
    f"script-src '{_script_hash(SCROLL_SCRIPT)}'; base-uri 'none'; form-action 'none'"
)
"""Content-Security-Policy for the pages of this module: inline styles, one known script."""

_STYLE = """
:root{color-scheme:light}
body{margin:0;background:#f6f8fa;color:#1b1f24;
font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:46rem;margin:0 auto;padding:2rem 1.25rem 4rem}
header{margin-bottom:1.5rem;padding-bottom:1rem;border-bottom:1px solid #d0d7de}
h1{margin:0 0 .4rem;font-size:1.5rem;line-height:1.3}
.meta{margin:0;color:#57606a;font-size:.9rem}
.meta a{color:#1f4e8c}
.notice{margin:0 0 1.25rem;padding:.75rem 1rem;border:1px solid #f0c27b;border-radius:8px;
background:#fff8ec;color:#5c3b00}
.jump{display:inline-block;margin:0 0 1rem;color:#1f4e8c}
.text{margin:0;padding:1.5rem;background:#fff;border:1px solid #d0d7de;border-radius:10px;
white-space:pre-wrap;overflow-wrap:anywhere;font-size:1rem}
mark{background:#fff1a8;color:inherit;border-bottom:2px solid #d4a72c;
scroll-margin:30vh}
mark:focus{outline:none}
"""


def valid_span(length: int, start: int | None, end: int | None) -> bool:
    """Whether ``[start, end)`` is a non-empty span inside a text of ``length`` characters."""
    return start is not None and end is not None and 0 <= start < end <= length


def _source_html(source: str) -> str:
    """The source as a link when it is an http(s) URL, else as plain text."""
    if urlsplit(source).scheme in ("http", "https"):
        return f'<a href="{escape(source)}" rel="noopener noreferrer">{escape(source)}</a>'
    return escape(source)


def _meta_html(doc_id: str, published: str, source: str) -> str:
    parts = [f"Published {escape(published)}"] if published else []
    if source:
        parts.append(_source_html(source))
    parts.append(f"Document <code>{escape(doc_id)}</code>")
    return " · ".join(parts)


def _notice_html(length: int, start: int | None, end: int | None) -> str:
    """A polite note when a span was asked for but cannot be shown."""
    if (start is None and end is None) or valid_span(length, start, end):
        return ""
    asked = f"{'?' if start is None else start}–{'?' if end is None else end}"
    return (
        f'<p class="notice" role="note">The cited passage (characters {escape(asked)}) is not in this '
        f"version of the document ({length} characters), so nothing is highlighted. "
        "The document may have changed since it was cited.</p>"
    )


def _body_html(text: str, start: int | None, end: int | None) -> str:
    if start is None or end is None or not valid_span(len(text), start, end):
        return f'<div class="text">{escape(text)}</div>'
    return (
        f'<div class="text">{escape(text[:start])}'
        f'<mark id="cited" tabindex="-1">{escape(text[start:end])}</mark>'
        f"{escape(text[end:])}</div>"
    )


def _page(title: str, content: str, script: bool) -> str:
    tail = f"<script>{SCROLL_SCRIPT}</script>" if script else ""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main>{content}</main>{tail}</body></html>\n"
    )


def render_document_page(
    doc_id: str,
    title: str,
    text: str,
    published: str,
    source: str,
    start: int | None,
    end: int | None,
) -> str:
    """Render a document as a standalone HTML page, with ``text[start:end]`` highlighted.

    Args:
        doc_id: Id of the document, shown for reference.
        title: Document title.
        text: Full document text; shown verbatim with its line breaks.
        published: Publication date as the source gives it, or empty.
        source: Where the document comes from (a URL becomes a link), or empty.
        start: Start offset of the cited span, or None for no highlight.
        end: End offset (exclusive) of the cited span, or None for no highlight.

    Returns:
        The page. A span that is missing one end, empty or out of range is not
        highlighted and a notice says so; the document is shown in full either way.
    """
    highlighted = valid_span(len(text), start, end)
    jump = '<a class="jump" href="#cited">Jump to the cited passage</a>' if highlighted else ""
    content = (
        f"<header><h1>{escape(title or doc_id)}</h1>"
        f'<p class="meta">{_meta_html(doc_id, published, source)}</p></header>'
        f"{_notice_html(len(text), start, end)}{jump}{_body_html(text, start, end)}"
    )
    return _page(f"{title or doc_id} · Source document", content, script=highlighted)


def render_missing_page(doc_id: str) -> str:
    """Render the page for a document id that the index does not know."""
    content = (
        "<header><h1>Document not found</h1></header>"
        f'<p class="notice" role="note">No document has the id <code>{escape(doc_id)}</code>. '
        "It may have been removed or re-ingested under another id; ask the question again "
        "to get fresh citations.</p>"
    )
    return _page("Document not found", content, script=False)

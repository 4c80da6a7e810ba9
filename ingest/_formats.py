"""HTML, PDF and DOCX: the formats read through a third-party library.

This is the only module that imports BeautifulSoup, pypdf and python-docx. Each
parser turns library failures into :class:`~assistant.errors.BadDocument` with a
hint on how to fix the file; it never returns a document without text.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterator
from datetime import datetime

import docx
import pypdf
from bs4 import BeautifulSoup
from bs4.element import NavigableString, PreformattedString, Tag
from docx.table import Table
from docx.text.paragraph import Paragraph

from assistant.errors import BadDocument
from assistant.types import MetadataValue
from ingest._text import Parsed, normalize_newlines, one_line, reject_empty_or_binary, title_from_stem

_DROPPED_TAGS = (
    "script", "style", "noscript", "template", "nav", "header", "footer",
    "aside", "form", "button", "svg", "iframe", "head",
)  # fmt: skip
_BLOCK_TAGS = frozenset(
    "address article blockquote caption dd details div dl dt fieldset figcaption figure h1 h2 h3 h4 h5 h6"
    " hr li main ol p section summary table tbody td tfoot th thead tr ul".split()
)
_DATE_META = frozenset({"date", "article:published_time", "dc.date", "dcterms.date"})
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_LINE_BREAK = "\x00"  # stands for <br> while whitespace is collapsed; input text never has NUL


def parse_html(data: bytes, stem: str) -> Parsed:
    """Read an HTML page: the main text as paragraphs, title and date from the head.

    Raises:
        BadDocument: The file is empty, binary, or has no visible text.
    """
    reject_empty_or_binary(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # bs4 warns about XHTML and URL-like input; both parse fine
        soup = BeautifulSoup(_html_markup(data), "lxml")
    title = _html_title(soup) or title_from_stem(stem)
    metadata: dict[str, MetadataValue] = {}
    published = source = ""
    for meta in soup.find_all("meta"):
        key = str(meta.get("name") or meta.get("property") or "").lower()
        content = one_line(meta.get("content"))
        if key in _DATE_META and content and not published:
            published = content
        elif key == "author" and content:
            metadata["author"] = content
    canonical = soup.find("link", rel="canonical")
    if isinstance(canonical, Tag):
        source = one_line(canonical.get("href"))
    scope = soup.find("main") or soup.find(role="main") or soup.body or soup
    if not isinstance(scope, Tag):
        raise BadDocument("the page has no visible text")
    for dropped in scope.find_all(_DROPPED_TAGS):
        dropped.decompose()
    try:
        text = "\n\n".join(_html_paragraphs(scope))
    except RecursionError as exc:
        raise BadDocument("the HTML is nested too deeply to read; simplify or convert it to text") from exc
    if not text.strip():
        raise BadDocument("the page has no visible text")
    return Parsed(text, title, published, source, metadata)


def _html_markup(data: bytes) -> str | bytes:
    """Prefer strict UTF-8; otherwise let BeautifulSoup follow the page's declared charset."""
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return data


def _html_title(soup: BeautifulSoup) -> str:
    for tag_name in ("title", "h1"):
        tag = soup.find(tag_name)
        if isinstance(tag, Tag) and tag.get_text().strip():
            return " ".join(tag.get_text().split())
    return ""


def _html_paragraphs(scope: Tag) -> list[str]:
    """Visible text; each block element is its own paragraph, ``<br>`` a line break."""
    paragraphs: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        collapsed = _HTML_SPACE.sub(" ", "".join(pending))
        lines = (line.strip(" ") for line in collapsed.split(_LINE_BREAK))
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
        pending.clear()

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, PreformattedString):  # comments, doctypes, CDATA
                continue
            if isinstance(child, NavigableString):
                pending.append(str(child))
            elif isinstance(child, Tag) and child.name == "br":
                pending.append(_LINE_BREAK)
            elif isinstance(child, Tag) and child.name == "pre":
                flush()
                preformatted = normalize_newlines(child.get_text()).strip("\n")
                if preformatted.strip():
                    paragraphs.append(preformatted)
            elif isinstance(child, Tag) and child.name in _BLOCK_TAGS:
                flush()
                walk(child)
                flush()
            elif isinstance(child, Tag):
                walk(child)

    walk(scope)
    flush()
    return paragraphs


def parse_pdf(data: bytes, stem: str) -> Parsed:
    """Read a PDF's text layer, pages joined by blank lines.

    Raises:
        BadDocument: Broken or password-protected PDF, or one without a text layer.
    """
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise BadDocument("the PDF is password-protected; save an unprotected copy and ingest that")
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        info = reader.metadata
        title = one_line(info.title) if info else ""
        created = _pdf_created(info)
        author = one_line(info.author) if info else ""
    except BadDocument:
        raise
    except pypdf.errors.DependencyError as exc:
        raise BadDocument(f"the PDF is encrypted in a way that needs an extra package ({exc})") from exc
    except Exception as exc:  # pypdf raises many exception types on malformed input
        raise BadDocument(f"not a readable PDF ({exc}); re-export or re-download it") from exc
    text = "\n\n".join(page for page in pages if page)
    if not text:
        raise BadDocument("the PDF has no text layer (scanned pages?): run OCR first, e.g. ocrmypdf")
    metadata: dict[str, MetadataValue] = {"pages": len(pages)}
    if author:
        metadata["author"] = author
    return Parsed(text, title or title_from_stem(stem), created, "", metadata)


def _pdf_created(info: pypdf.DocumentInformation | None) -> str:
    """The creation day in ISO form; an unreadable date is no date."""
    if info is None:
        return ""
    try:
        created = info.creation_date
    except ValueError:
        return ""
    return created.date().isoformat() if isinstance(created, datetime) else ""


def parse_docx(data: bytes, stem: str) -> Parsed:
    """Read a Word document: paragraphs and table cells, in order, joined by blank lines.

    Raises:
        BadDocument: The file is not a valid ``.docx`` or has no text.
    """
    try:
        document = docx.Document(io.BytesIO(data))
        paragraphs = [text for text in _docx_texts(document.iter_inner_content()) if text.strip()]
        properties = document.core_properties
        title, created, author = one_line(properties.title), properties.created, one_line(properties.author)
    except Exception as exc:  # zipfile, lxml and python-docx all raise their own types
        raise BadDocument(
            f"not a readable .docx file ({exc}); if it is an old .doc, save it as .docx in Word"
        ) from exc
    text = normalize_newlines("\n\n".join(paragraphs))
    if not text.strip():
        raise BadDocument("the Word document has no text")
    metadata: dict[str, MetadataValue] = {"author": author} if author else {}
    published = created.date().isoformat() if isinstance(created, datetime) else ""
    return Parsed(text, title or title_from_stem(stem), published, "", metadata)


def _docx_texts(blocks: Iterator[Paragraph | Table]) -> Iterator[str]:
    """Paragraph texts in reading order, descending into table cells once each."""
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.text
            continue
        seen: set[object] = set()  # holding the elements keeps lxml from handing out new proxies
        for row in block.rows:
            for cell in row.cells:
                if cell._tc in seen:  # a merged cell is repeated across the grid
                    continue
                seen.add(cell._tc)
                yield from _docx_texts(cell.iter_inner_content())

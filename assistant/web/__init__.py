"""The browser front end: the embeddable chat widget, its demo page and the document view.

The widget (``static/widget.js``) talks only to the public HTTP API; this package just
serves it, the demo page that hosts it, and the HTML page a citation links to.
"""

from __future__ import annotations

from assistant.web._routes import mount_web
from assistant.web.document_view import render_document_page, render_missing_page

__all__ = ["mount_web", "render_document_page", "render_missing_page"]

"""The assistant's exceptions, translated to HTTP, Slack or exit codes only at the edges.

Tree::

    BriefingError
    ├── InputError            the caller sent something unusable (HTTP 4xx)
    │   ├── QuestionTooLong   (413)
    │   ├── EmptyQuestion     (422)
    │   ├── HistoryTooLong    (413)
    │   ├── UnsupportedFormat (415)
    │   ├── UploadTooLarge    a request body over the configured size (413)
    │   └── BadDocument       a file that cannot be read, parsed or is empty
    ├── AccessDenied          the API refused the caller
    │   ├── Unauthorized      no key, or a key that is not configured (401)
    │   ├── Forbidden         the key lacks the scope or the Origin is not allowed (403)
    │   └── RateLimited       too many requests; ``retry_after`` seconds to wait (429)
    ├── NotFound              an unknown document id (404)
    ├── IndexUnavailable      the Chroma store cannot be reached or opened (503)
    └── AnswererUnavailable   the configured LLM failed (the extractive answer is used instead)

Messages say what went wrong and how to fix it; they never carry a stack trace.
"""

from __future__ import annotations


class BriefingError(Exception):
    """Base of every error the assistant raises on purpose."""

    status_code = 500
    code = "internal_error"


class InputError(BriefingError):
    """The request or file cannot be used as given."""

    status_code = 422
    code = "invalid_input"


class QuestionTooLong(InputError):
    """The question is longer than the configured limit."""

    status_code = 413
    code = "question_too_long"


class EmptyQuestion(InputError):
    """The question has no words in it."""

    code = "empty_question"


class HistoryTooLong(InputError):
    """The conversation history has more turns than allowed."""

    status_code = 413
    code = "history_too_long"


class UnsupportedFormat(InputError):
    """A file type ingest cannot read."""

    status_code = 415
    code = "unsupported_media_type"


class UploadTooLarge(InputError):
    """A request body larger than the configured limit."""

    status_code = 413
    code = "payload_too_large"


class BadDocument(InputError):
    """A file that is unreadable, empty, binary or malformed."""

    code = "bad_document"


class AccessDenied(BriefingError):
    """The API refused the caller (authentication, authorization or rate limit)."""

    status_code = 403
    code = "forbidden"


class Unauthorized(AccessDenied):
    """No API key, or one the service does not know."""

    status_code = 401
    code = "unauthorized"


class Forbidden(AccessDenied):
    """The key is valid but lacks the scope, or is not allowed from this Origin."""

    status_code = 403
    code = "forbidden"


class RateLimited(AccessDenied):
    """Too many requests from one key or one address."""

    status_code = 429
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int) -> None:
        """Say what was exceeded and after how many whole seconds to try again."""
        super().__init__(message)
        self.retry_after = retry_after


class NotFound(BriefingError):
    """No document with that id."""

    status_code = 404
    code = "not_found"


class IndexUnavailable(BriefingError):
    """The index cannot be opened or the Chroma server cannot be reached."""

    status_code = 503
    code = "index_unavailable"


class AnswererUnavailable(BriefingError):
    """The configured language model failed or timed out."""

    status_code = 503
    code = "answerer_unavailable"

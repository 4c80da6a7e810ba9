"""Schemathesis against the app's own OpenAPI schema: no 5xx, and responses match the schema.

The app runs open (no keys) so that generated requests reach the routes, with a rate limit
high enough not to get in the way. The stream and the HTML document view are left out:
their bodies are not JSON, and the stream has its own tests. The schema is loaded when the
module is imported (schemathesis parametrizes from it); the index is filled by a fixture.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from assistant.api import create_app
from assistant.briefing import Briefing
from assistant.settings import Settings
from ingest.loaders import load_bytes
from ingest.pipeline import Indexer
from tests.api_support import TEXTS

_ROOT = Path(tempfile.mkdtemp(prefix="briefing-fuzz-"))
atexit.register(shutil.rmtree, _ROOT, ignore_errors=True)  # also when collected but not run
_BRIEFING = Briefing(Settings(index_dir=_ROOT / "idx", embedder="fake", rate_limit_per_minute=100_000))
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(_BRIEFING.settings, _BRIEFING)).exclude(
    path_regex=r"^/(v1/ask/stream|documents/|slack/)"
)


@pytest.fixture(scope="module", autouse=True)
def _indexed() -> Iterator[None]:
    docs = [doc for name, text in TEXTS.items() for doc in load_bytes(name, text.encode()).documents]
    Indexer(_BRIEFING.store, _BRIEFING.embedder).index(docs)
    _BRIEFING.retriever.invalidate()
    yield


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])

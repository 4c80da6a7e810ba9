"""Sentence vectors kept beside the index, so an answer embeds no sentence at question time.

Answers compare the question with the sentences of the passages retrieved; embedding
them was the largest part of an answer's time (about 20 ms for 6 sentences on 2 cores).
Once a document is committed, ``Indexer.embed_sentences`` embeds each of its sentences
on its own, as answering does, and stores the vectors here by document, version and span.

Derived data in a local SQLite file, like the snapshot cache: a row of another version is
never read (the key has the committed content hash), a sentence without a row is embedded
when asked, as before, and a file that cannot be read is set aside and answers go on
without it. Each replica keeps its own: against a Chroma server, documents this process
ingested or received have vectors here, the others are embedded when asked.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import numpy as np

log = logging.getLogger(__name__)
FILE_NAME = "sentence-vectors.sqlite3"
_BUSY = re.compile(r"\b(?:locked|busy)\b", re.IGNORECASE)
"""What a lock held by another process looks like: passing, unlike a broken file."""
T = TypeVar("T")
Key = tuple[str, str, int, int]
"""(document id, version, start, end): a sentence of one version of a document."""
_SCHEMA = """CREATE TABLE IF NOT EXISTS vectors (
    doc TEXT NOT NULL, ver TEXT NOT NULL, start INTEGER NOT NULL, stop INTEGER NOT NULL,
    vec BLOB NOT NULL, PRIMARY KEY (doc, ver, start, stop)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS done (doc TEXT PRIMARY KEY, ver TEXT NOT NULL) WITHOUT ROWID"""
LOOKUP = "SELECT vec FROM vectors WHERE doc = ? AND ver = ? AND start = ? AND stop = ?"
"""One key, found through the primary key (0.02 ms; a row-value ``IN`` list scans the table)."""


def version_of(content_hash: str) -> str:
    """The version part of a key: as the passages' ids in the store name it."""
    return content_hash[:16]


def as_stored(vectors: np.ndarray) -> np.ndarray:
    """``vectors`` rounded as the file keeps them (float16), read back as float32.

    A sentence embedded at question time then scores exactly as its stored vector would.
    """
    return np.asarray(vectors, dtype=np.float16).astype(np.float32)


class SentenceVectors:
    """Float16 unit vectors by sentence, in ``<index_dir>/sentence-vectors.sqlite3``."""

    def __init__(self, path: Path, timeout: float = 30.0) -> None:
        """Open lazily: nothing is created until the first write or read.

        ``timeout``: how long to wait for another process's lock before answering without.
        """
        self.path = path
        self._timeout = timeout
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._broken = False

    def _connect(self) -> sqlite3.Connection | None:
        if self._conn is None and not self._broken:
            conn: sqlite3.Connection | None = None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, check_same_thread=False, timeout=self._timeout)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(_SCHEMA)
                self._conn = conn
            except (sqlite3.Error, OSError) as exc:
                if conn is not None:
                    conn.close()  # a busy file is opened anew next time; a broken one never again
                self._failed(exc)
        return self._conn

    def _failed(self, exc: Exception) -> None:
        """Stop using an unreadable file: answers embed their sentences instead.

        A lock another process holds past the timeout only passes: the file is used again next time.
        """
        if isinstance(exc, sqlite3.OperationalError) and _BUSY.search(str(exc)):
            log.warning("sentence vectors busy; sentences are embedded this time",
                        extra={"path": str(self.path), "error": str(exc)})
            return
        log.warning("sentence vectors unavailable; sentences are embedded when asked",
                    extra={"path": str(self.path), "error": str(exc)})
        self._broken, self._conn = True, None

    def _use(self, work: Callable[[sqlite3.Connection], T], nothing: T, create: bool = False) -> T:
        """``work`` on the open file, or ``nothing`` when there is none or it cannot be read."""
        if not create and self._conn is None and not self.path.exists():
            return nothing  # a reader creates no file
        with self._lock:
            conn = self._connect()
            if conn is None:
                return nothing
            try:
                return work(conn)
            except sqlite3.Error as exc:
                self._failed(exc)
                return nothing

    def put(self, doc_id: str, version: str, spans: Sequence[tuple[int, int]], vectors: np.ndarray) -> None:
        """Store all of one version's sentence vectors (``vectors[i]`` for ``spans[i]``)."""
        rows = [
            (doc_id, version, start, stop, np.asarray(vec, dtype=np.float16).tobytes())
            for (start, stop), vec in zip(spans, vectors, strict=True)
        ]

        def write(conn: sqlite3.Connection) -> None:
            with conn:
                conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?, ?)", rows)
                conn.execute("INSERT OR REPLACE INTO done VALUES (?, ?)", (doc_id, version))

        self._use(write, None, create=True)

    def get(self, keys: Sequence[Key]) -> dict[Key, np.ndarray]:
        """The stored vectors among ``keys`` (float32); missing keys are left out."""

        def read(conn: sqlite3.Connection) -> dict[Key, np.ndarray]:
            out: dict[Key, np.ndarray] = {}
            for key in dict.fromkeys(keys):
                row = conn.execute(LOOKUP, key).fetchone()
                if row is not None:
                    out[key] = np.frombuffer(row[0], dtype=np.float16).astype(np.float32)
            return out

        return self._use(read, {}) if keys else {}

    def versions(self) -> dict[str, str]:
        """Document id -> the version whose sentences are all stored."""
        return self._use(lambda conn: dict(conn.execute("SELECT doc, ver FROM done").fetchall()), {})

    def sweep(self, doc_id: str, keep: str | None) -> None:
        """Delete a document's vectors of any version but ``keep`` (all when None)."""

        def delete(conn: sqlite3.Connection) -> None:
            with conn:
                for table in ("vectors", "done"):
                    if keep is None:
                        conn.execute(f"DELETE FROM {table} WHERE doc = ?", (doc_id,))  # noqa: S608 - fixed names
                    else:
                        conn.execute(f"DELETE FROM {table} WHERE doc = ? AND ver != ?", (doc_id, keep))  # noqa: S608

        self._use(delete, None)

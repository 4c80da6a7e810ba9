"""A local, rebuildable copy of the retrieval snapshot, so a restart does not re-read the index.

Reading 100k passages from Chroma and tokenizing them for BM25 takes about 20 s; reading
this cache takes about 1 s. It is derived data, never the source of truth: a file is named
after the store's generation stamp (and a fingerprint of the tokenizer code) and used only
while the store still reports that generation, so anything ingested since, or an upgrade
that tokenizes differently, makes it stale and it is rebuilt from Chroma.
Plain arrays and JSON, no pickle: loading it runs no code. Each replica keeps its own.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from assistant.lexical import BM25Index
from assistant.types import DocumentInfo, Passage

if TYPE_CHECKING:
    from assistant.retrieval import Snapshot

log = logging.getLogger(__name__)
FORMAT = 1
UNUSED_DAYS = 7
"""Another code version's copy that nothing has read for this long is removed."""


def _lexical_fingerprint() -> str:
    """Changes whenever the tokenizer or BM25 code does, so an upgrade never reuses old weights."""
    from assistant import lexical

    return hashlib.sha256(Path(lexical.__file__).read_bytes()).hexdigest()[:12]


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)


def _stem(directory: Path, collection: str, generation: str) -> Path:
    return directory / f"snapshot-v{FORMAT}-{_lexical_fingerprint()}-{_safe(f'{collection}-{generation}')}"


def save(snap: Snapshot, directory: Path, collection: str) -> None:
    """Write ``snap`` (atomically) and remove the copies that are stale (see :func:`_remove_stale`)."""
    assert snap.lexical is not None
    directory.mkdir(parents=True, exist_ok=True)
    stem = _stem(directory, collection, snap.generation)
    doc_index = {d: i for i, d in enumerate(snap.documents)}
    weights = snap.lexical.weights
    meta = {
        "generation": snap.generation,
        "documents": [info.model_dump(mode="json") for info in snap.documents.values()],
        "ids": snap.ids,
        "texts": [p.text for p in snap.passages],
        "vocabulary": list(snap.lexical.vocabulary),
    }
    tmp_json, tmp_npz = stem.with_suffix(".json.tmp"), stem.with_suffix(".npz.tmp")
    tmp_json.write_text(json.dumps(meta), encoding="utf-8")
    with tmp_npz.open("wb") as out:
        np.savez(
            out,
            doc=np.asarray([doc_index[p.document_id] for p in snap.passages], dtype=np.int64),
            start=np.asarray([p.start for p in snap.passages], dtype=np.int64),
            end=np.asarray([p.end for p in snap.passages], dtype=np.int64),
            data=weights.data,
            indices=weights.indices,
            indptr=weights.indptr,
            shape=np.asarray(weights.shape, dtype=np.int64),
            idf=snap.lexical.idf_array,
        )
    os.replace(tmp_npz, stem.with_suffix(".npz"))
    os.replace(tmp_json, stem.with_suffix(".json"))  # last: a .json means a complete pair
    _remove_stale(directory, collection, stem)


def _remove_stale(directory: Path, collection: str, kept: Path) -> None:
    """Remove this version's copies of older generations, and other versions' unused copies.

    Another version of the code (a rolling upgrade, a second checkout on the same index)
    tokenizes differently and keeps its own copy: it is removed only once nothing has read
    it for ``UNUSED_DAYS``, so two versions never delete each other's copy at every start.
    """
    safe = _safe(collection)
    ours = f"snapshot-v{FORMAT}-{_lexical_fingerprint()}-{safe}-"
    unused_since = time.time() - UNUSED_DAYS * 86_400
    for old in directory.glob(f"snapshot-v*-*-{safe}-*"):
        if old.name.startswith(kept.name):
            continue
        try:
            last_read = old.with_suffix(".json").stat().st_mtime  # a pair goes by its .json's time
        except OSError:
            last_read = 0.0
        if old.name.startswith(ours) or last_read < unused_since:
            old.unlink(missing_ok=True)


def read(directory: Path, collection: str, generation: str) -> Snapshot | None:
    """The cached snapshot of ``generation``, or None when there is none (or it is unreadable)."""
    from assistant.retrieval import Snapshot

    stem = _stem(directory, collection, generation)
    try:
        meta = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
        arrays = np.load(stem.with_suffix(".npz"), allow_pickle=False)
        if meta["generation"] != generation:
            return None
        documents = [DocumentInfo.model_validate(d) for d in meta["documents"]]
        doc, start, end = arrays["doc"], arrays["start"], arrays["end"]
        passages = [
            Passage.model_construct(document_id=documents[d].id, start=int(s), end=int(e), text=t)
            for d, s, e, t in zip(doc.tolist(), start.tolist(), end.tolist(), meta["texts"], strict=True)
        ]
        shape = tuple(int(x) for x in arrays["shape"])
        weights = sparse.csc_matrix((arrays["data"], arrays["indices"], arrays["indptr"]), shape=shape)
        lexical = BM25Index.from_parts(weights, meta["vocabulary"], arrays["idf"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        log.warning("snapshot cache unreadable, rebuilding from the index", extra={"error": str(exc)})
        return None
    snap = Snapshot(generation=generation, documents={d.id: d for d in documents}, lexical=lexical)
    snap.index_passages(meta["ids"], passages)
    with contextlib.suppress(OSError):  # marks the copy as in use (see _remove_stale)
        os.utime(stem.with_suffix(".json"))
    return snap

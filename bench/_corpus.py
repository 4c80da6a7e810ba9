"""Shared by the benchmarks: the scale corpus as ``Document`` records, and query sets.

Records are turned into documents in memory; nothing is written into the repository.
Importing this module puts the repository root on ``sys.path`` so the scripts run
as ``python bench/<name>.py`` without installing the package.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant.types import Document  # noqa: E402

CORPUS = Path(os.environ.get("BRIEFING_BENCH_CORPUS", "/work/shared/corpus/scale"))
UNGDC = CORPUS / "ungdc_sessions70-79_2015-2024.jsonl.gz"
WH = CORPUS / "wh_statements-releases_2021-2024.jsonl.gz"
GOLD = [ROOT / "tests" / "gold" / "dev.jsonl", ROOT / "tests" / "gold" / "holdout.jsonl"]
_SENTENCE = re.compile(r"[^.!?]{60,400}[.!?]")


def _records(path: Path) -> Iterator[dict[str, object]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def ungdc_documents() -> Iterator[Document]:
    """UN General Debate statements 2015-2024, in file order."""
    for rec in _records(UNGDC):
        paragraphs = [str(p) for p in rec["paragraphs"]]  # type: ignore[attr-defined]
        yield Document(
            id=f"ungdc/{rec['id']}",
            title=f"UN General Debate {rec['year']}: {rec['iso3']}",
            text="\n".join(paragraphs),
            source="UN General Debate Corpus",
            published=str(rec["year"]),
            metadata={"collection": "ungdc", "iso3": str(rec["iso3"]), "year": int(rec["year"])},  # type: ignore[call-overload]
        )


def wh_documents() -> Iterator[Document]:
    """White House statements and releases 2021-2024, in file order."""
    for rec in _records(WH):
        paragraphs = [str(p) for p in rec["paragraphs"]]  # type: ignore[attr-defined]
        date = str(rec["date"])
        yield Document(
            id=f"wh/{rec['id']}",
            title=str(rec["title"]),
            text="\n".join(paragraphs),
            source=str(rec["source_url"]),
            published=date,
            metadata={"collection": "wh", "category": str(rec["category"]), "year": int(date[:4])},
        )


def first_documents(limit_chars: int, max_docs: int | None = None) -> list[Document]:
    """The first UNGDC speeches until ``limit_chars`` characters (or ``max_docs`` documents)."""
    out: list[Document] = []
    total = 0
    for doc in ungdc_documents():
        if total >= limit_chars or (max_docs is not None and len(out) >= max_docs):
            break
        out.append(doc)
        total += len(doc.text)
    return out


def gold_questions() -> list[str]:
    """The real questions of the evaluation gold files."""
    questions: list[str] = []
    for path in GOLD:
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    questions.append(str(json.loads(line)["question"]))
    return questions


def sample_sentences(docs: list[Document], n: int, seed: int = 7) -> list[tuple[str, str]]:
    """``n`` sentences ``(document id, sentence)`` drawn from different documents, reproducibly."""
    rng = random.Random(seed)
    picked: list[tuple[str, str]] = []
    order = list(range(len(docs)))
    rng.shuffle(order)
    for i in order:
        sentences = [s.strip() for s in _SENTENCE.findall(docs[i].text) if len(s.split()) >= 12]
        if sentences:
            picked.append((docs[i].id, rng.choice(sentences)))
        if len(picked) == n:
            break
    return picked


def drop_words(sentence: str, seed: int, drop: int = 3) -> str:
    """The sentence minus ``drop`` words (never the first), as a near-verbatim query."""
    rng = random.Random(seed)
    words = sentence.split()
    gone = set(rng.sample(range(1, len(words)), min(drop, len(words) - 1)))
    return " ".join(w for i, w in enumerate(words) if i not in gone)


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def dir_size(path: Path) -> int:
    """Bytes of all files under ``path``."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def peak_rss_mb() -> float:
    """Peak resident set size of this process, in MiB (VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

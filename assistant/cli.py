"""The ``briefing`` command: ingest, search, ask, serve, eval and the Slack bot.

An adapter only: every command builds one :class:`~assistant.briefing.Briefing` from
settings read once and calls its methods. Errors from the exception tree become
``error: <message>`` on stderr and an exit code (2 for bad input, 1 otherwise); a
traceback is never shown for them.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from assistant.briefing import Briefing
from assistant.errors import BriefingError, InputError
from assistant.settings import Settings, get_settings
from assistant.types import Answer, Evidence

log = logging.getLogger(__name__)
_TEXT_WIDTH = 240


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def _shorten(text: str, width: int = _TEXT_WIDTH) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _scalar_choices(value: str) -> str | list[Any]:
    """A filter value as typed, plus its number or boolean reading (front matter may hold either)."""
    if value.lower() in ("true", "false"):
        return [value, value.lower() == "true"]
    try:
        return [value, int(value)]
    except ValueError:
        pass
    try:
        return [value, float(value)]
    except ValueError:
        return value


def parse_filters(pairs: Sequence[str] | None) -> dict[str, Any]:
    """``key=value`` pairs as a filter dict; a repeated key accepts any of its values.

    Raises:
        InputError: A pair has no ``=`` or an empty key.
    """
    filters: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InputError(f"filters are key=value, e.g. --filter published_from=2022; got {pair!r}")
        if key in ("published_from", "published_to"):
            filters[key] = value
            continue
        choices = _scalar_choices(value)
        old = filters.get(key, [])
        filters[key] = [*old, *(choices if isinstance(choices, list) else [choices])]
    return filters


# -- commands ---------------------------------------------------------------------------
def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """Ingest files and folders; exit 1 when any file failed."""
    from ingest.pipeline import Indexer, ingest_paths

    briefing = Briefing(settings)
    indexer = Indexer(briefing.store, briefing.embedder, settings.passage_tokens)
    summary = ingest_paths(indexer, [Path(p) for p in args.paths], prune=args.prune)
    _out(summary.line())
    for note in summary.notes:
        _err(f"note: {note}")
    for failure in summary.failures:
        _err(f"{failure.path}: {failure.reason}")
    started = time.perf_counter()
    if args.sentence_vectors and (sentences := indexer.embed_sentences()):
        _out(f"{sentences} sentences embedded for answers in {time.perf_counter() - started:.1f} s")
    if any(summary.count(o) for o in ("added", "updated", "removed")):
        # Read the new index once here, so the service's next start finds the snapshot cached.
        started = time.perf_counter()
        briefing.retriever.invalidate()
        passages = len(briefing.retriever.snapshot().ids)
        _out(f"retrieval snapshot of {passages} passages cached in {time.perf_counter() - started:.1f} s")
    return 1 if summary.failures else 0


def _evidence_line(rank: int, ev: Evidence) -> str:
    p = ev.passage
    return (
        f"{rank:>2}. {ev.document.title}  [{p.document_id} {p.start}:{p.end}]  score {ev.score:.4f}\n"
        f"    {_shorten(p.text)}"
    )


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    """Print the ranked passages for a query."""
    results = Briefing(settings).search(args.query, args.k, parse_filters(args.filter))
    if args.json:
        _out(json.dumps([ev.model_dump() for ev in results], ensure_ascii=False, indent=2))
    elif not results:
        _out("no passages found (is the index empty? run `briefing ingest PATH`)")
    else:
        for rank, ev in enumerate(results, 1):
            _out(_evidence_line(rank, ev))
    return 0


def format_answer(answer: Answer) -> str:
    """An answer for a terminal: the text, numbered sources, then conflicts."""
    lines = [answer.answer, ""]
    if answer.citations:
        lines.append("Sources:")
        for c in answer.citations:
            date = f", {c.published}" if c.published else ""
            lines.append(f"  [{c.n}] {c.title}{date} ({c.document_id} {c.start}:{c.end})")
            lines.append(f"      “{_shorten(c.quote)}”")
    if answer.near_misses:
        lines.append("Closest passages (they do not answer):")
        for c in answer.near_misses:
            lines.append(f"  - {c.title} ({c.document_id} {c.start}:{c.end}): “{_shorten(c.quote, 160)}”")
    for conflict in answer.conflicts:
        lines.append(f"Conflict ({conflict.kind}): {conflict.topic}")
        for pos in conflict.positions:
            marks = "".join(f"[{n}]" for n in pos.citations)
            value = f" = {pos.value}" if pos.value else ""
            lines.append(f"  - {pos.holder} {pos.stance}{value}: {pos.summary} {marks}")
    for note in answer.notes:
        lines.append(f"note: {note}")
    return "\n".join(lines).rstrip()


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    """Answer a question and print the briefing."""
    answer = Briefing(settings).ask(args.question, None, parse_filters(args.filter), debug=args.debug)
    if args.json:
        _out(json.dumps(answer.model_dump(), ensure_ascii=False, indent=2))
    else:
        _out(format_answer(answer))
        if answer.retrieval:
            _out("\nRetrieval (debug):")
            for row in answer.retrieval:
                _out(f"  {json.dumps(row, ensure_ascii=False, default=str)}")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Run the HTTP service with uvicorn."""
    import uvicorn

    from assistant.api import create_app

    app = create_app(settings, fill_sentences=True)
    uvicorn.run(app, host=args.host, port=args.port, log_config=None, access_log=False)
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    """Score the answers against a gold file."""
    from assistant.eval import GoldFileError, evaluate
    from assistant.eval_report import format_report

    briefing = Briefing(settings)
    if args.index_from:
        from ingest.pipeline import Indexer, ingest_paths

        indexer = Indexer(briefing.store, briefing.embedder, settings.passage_tokens)
        summary = ingest_paths(indexer, [Path(args.index_from)])
        indexer.embed_sentences()
        _err(f"index: {summary.line()}")
        briefing.retriever.invalidate()
    try:
        report = evaluate(briefing, Path(args.gold))
    except GoldFileError as exc:
        _err(f"error: {exc}")
        return 2
    _out(report.model_dump_json(indent=2) if args.json else format_report(report))
    return 0


def cmd_slack(args: argparse.Namespace, settings: Settings) -> int:
    """Run the Slack bot over Socket Mode."""
    from assistant.slack import run_socket_mode

    run_socket_mode(settings, Briefing(settings).ask)
    return 0


# -- wiring -----------------------------------------------------------------------------
Command = Callable[[argparse.Namespace, Settings], int]


def _add_filter(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--filter",
        action="append",
        metavar="KEY=VALUE",
        help="metadata filter (repeatable); published_from / published_to take YYYY[-MM[-DD]]",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="briefing", description="Cited briefings from your documents.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest", help="index files and folders (idempotent)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--prune", action="store_true", help="remove indexed documents whose files are gone")
    p.add_argument(
        "--no-sentence-vectors", dest="sentence_vectors", action="store_false",
        help="do not embed each sentence for answers now (faster ingest; `briefing serve` stores them "
        "in the background, and answers embed what they read meanwhile)",
    )
    p.set_defaults(func=cmd_ingest)
    p = sub.add_parser("search", help="show the ranked passages for a query")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=None, help="number of passages")
    _add_filter(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)
    p = sub.add_parser("ask", help="answer a question with citations")
    p.add_argument("question")
    _add_filter(p)
    p.add_argument("--json", action="store_true")
    p.add_argument("--debug", action="store_true", help="include the ranked evidence")
    p.set_defaults(func=cmd_ask)
    p = sub.add_parser("serve", help="run the HTTP API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("eval", help="score answers against a gold JSONL file")
    p.add_argument("gold", metavar="GOLD.jsonl")
    p.add_argument("--json", action="store_true")
    p.add_argument("--index-from", metavar="PATH", help="ingest PATH first (idempotent)")
    p.set_defaults(func=cmd_eval)
    p = sub.add_parser("slack", help="run the Slack bot over Socket Mode")
    p.set_defaults(func=cmd_slack)
    return parser


def configure_logging(command: str, settings: Settings) -> None:
    """The service logs JSON lines at ``BRIEFING_LOG_LEVEL``; one-shot commands log warnings only."""
    if command in ("serve", "slack"):
        from assistant.api.logs import configure_logging as configure_service_logging

        configure_service_logging(settings)
        return
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )


def main(argv: Sequence[str] | None = None, settings: Settings | None = None) -> int:
    """Run the ``briefing`` command; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    settings = settings or get_settings()
    configure_logging(args.command, settings)
    func: Command = args.func
    try:
        return func(args, settings)
    except InputError as exc:
        _err(f"error: {exc}")
        return 2
    except BriefingError as exc:
        _err(f"error: {exc}")
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

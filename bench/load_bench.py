"""Load benchmark of the HTTP service: concurrent /v1/ask, idle and during a large upload.

Starts ``briefing serve`` on 127.0.0.1 (a subprocess, real MiniLM model, an index of the
seeds in a temporary folder), waits for ``/readyz``, then runs ``--clients`` async clients
asking a fixed list of questions (the gold files' questions) for ``--seconds``:

1. idle;
2. while ``--statements`` White House statements are uploaded as one JSONL file to
   ``POST /v1/documents`` (embedded and indexed by the same server).

Reports requests/s, p50/p95 latency and errors per phase, and how long the upload took.
Every loop is bounded by the phase deadline; nothing leaves 127.0.0.1.

    .venv/bin/python bench/load_bench.py [--clients 8] [--seconds 30] [--statements 200] [--out load.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _corpus import ROOT, gold_questions, percentile, wh_documents  # noqa: E402

ADMIN_KEY = "bench-admin-key-0123456789"


@dataclass
class Phase:
    name: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict[str, object]:
        ok = len(self.latencies)
        return {
            "phase": self.name,
            "requests": ok + sum(self.errors.values()),
            "ok": ok,
            "errors": dict(self.errors),
            "rps": round(ok / self.seconds, 2) if self.seconds else 0.0,
            "p50_ms": round(percentile(self.latencies, 50) * 1000, 1),
            "p95_ms": round(percentile(self.latencies, 95) * 1000, 1),
            "max_ms": round(max(self.latencies, default=0.0) * 1000, 1),
        }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(index_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "BRIEFING_INDEX_DIR": str(index_dir),
        "BRIEFING_API_KEYS": f"{ADMIN_KEY}:admin",
        "BRIEFING_RATE_LIMIT_PER_MINUTE": "1000000",
        "BRIEFING_LOG_LEVEL": "WARNING",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "PYTHONPATH": str(ROOT),
    }


def start_server(index_dir: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = server_env(index_dir)
    cli = [sys.executable, "-m", "assistant.cli"]
    subprocess.run([*cli, "ingest", str(ROOT / "seeds")], env=env, check=True, cwd=ROOT)
    return subprocess.Popen(
        [*cli, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def wait_ready(base: str, process: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        try:
            if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the server was not ready in time")


async def client_loop(
    http: httpx.AsyncClient, questions: list[str], offset: int, phase: Phase, end: float
) -> None:
    n = offset
    while time.monotonic() < end:
        question = questions[n % len(questions)]
        n += 1
        started = time.monotonic()
        try:
            response = await http.post("/v1/ask", json={"question": question})
        except httpx.HTTPError as exc:
            phase.errors[type(exc).__name__] = phase.errors.get(type(exc).__name__, 0) + 1
            continue
        if response.status_code == 200:
            phase.latencies.append(time.monotonic() - started)
        else:
            phase.errors[str(response.status_code)] = phase.errors.get(str(response.status_code), 0) + 1


async def run_phase(base: str, name: str, clients: int, seconds: float, questions: list[str]) -> Phase:
    phase = Phase(name)
    headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120) as http:
        started = time.monotonic()
        end = started + seconds
        await asyncio.gather(*(client_loop(http, questions, i * 7, phase, end) for i in range(clients)))
        phase.seconds = time.monotonic() - started
    return phase


async def warm_up(base: str, clients: int, questions: list[str]) -> None:
    """Ask every question once, so that the idle phase does not measure cold caches."""
    headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=300) as http:
        for lo in range(0, len(questions), clients):
            await asyncio.gather(
                *(http.post("/v1/ask", json={"question": q}) for q in questions[lo : lo + clients])
            )


def statements_jsonl(count: int) -> tuple[bytes, int]:
    lines = []
    chars = 0
    for doc in islice(wh_documents(), count):
        chars += len(doc.text)
        record = {
            "id": doc.id,
            "title": doc.title,
            "text": doc.text,
            "source": doc.source,
            "published": doc.published,
            "metadata": dict(doc.metadata),
        }
        lines.append(json.dumps(record, ensure_ascii=False))
    return "\n".join(lines).encode(), chars


async def upload(base: str, data: bytes) -> dict[str, object]:
    headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
    started = time.monotonic()
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=900) as http:
        response = await http.post("/v1/documents", files={"files": ("wh.jsonl", data, "application/jsonl")})
    body = response.json()
    outcomes: dict[str, int] = {}
    for item in body.get("documents", []):
        outcomes[item["outcome"]] = outcomes.get(item["outcome"], 0) + 1
    return {
        "status": response.status_code,
        "seconds": round(time.monotonic() - started, 1),
        "outcomes": outcomes,
    }


async def under_upload(
    base: str, args: argparse.Namespace, questions: list[str], data: bytes
) -> tuple[Phase, dict]:
    upload_task = asyncio.create_task(upload(base, data))
    await asyncio.sleep(0.5)  # the upload is being embedded while the clients ask
    phase = await run_phase(base, "during upload", args.clients, args.seconds, questions)
    return phase, await upload_task


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--statements", type=int, default=200)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    questions = gold_questions()
    data, chars = statements_jsonl(args.statements)
    with tempfile.TemporaryDirectory(prefix="briefing-load-") as tmp:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        process = start_server(Path(tmp) / "idx", port, Path(tmp) / "server.log")
        try:
            wait_ready(base, process)
            asyncio.run(warm_up(base, args.clients, questions))
            idle = asyncio.run(run_phase(base, "idle", args.clients, args.seconds, questions))
            busy, uploaded = asyncio.run(under_upload(base, args, questions, data))
        finally:
            process.terminate()
            process.wait(timeout=30)
    report = {
        "clients": args.clients,
        "seconds_per_phase": args.seconds,
        "questions": len(questions),
        "upload": {"statements": args.statements, "bytes": len(data), "chars": chars, **uploaded},
        "phases": [idle.summary(), busy.summary()],
        "cpus": os.cpu_count(),
    }
    print(json.dumps(report, indent=2))
    if args.out:
        args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

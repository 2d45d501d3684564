"""Latency of a turn over REST: p50/p95 for N sequential and N concurrent turns.

    .venv/bin/python benchmarks/latency.py [--turns 60] [--concurrency 8] [--url URL]
                                           [--capabilities]

Without --url it starts its own action server and Rasa server (newest model, a temporary
SQLite tracker store), measures, and stops them. Messages rotate through the six
languages; --capabilities uses capability questions (financing, partners, parks, ...).
Prints figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BASICS = [
    "Hello, what can you do?", "你好，你能做什么？", "Здравствуйте, что вы умеете?",
    "مرحبا، ماذا يمكنك أن تفعل؟", "Hola, ¿qué puedes hacer?", "Bonjour, que savez-vous faire ?",
]
CAPABILITIES = [
    "Which financing can a textile company get for exporting to Kenya?",
    "我们是电子产品企业，越南有哪些工业园区适合我们？",
    "Где крупные китайские компании строили заводы в автомобильной отрасли?",
    "ما هي مخاطر الاستثمار في مصر؟",
    "Busco socios y distribuidores de maquinaria en Kazajistán",
    "Quels financements pour une PME agroalimentaire au Sénégal ?",
]


def turn(url: str, text: str, sender: str) -> float:
    body = json.dumps({"sender": sender, "message": text}).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=300) as reply:
        reply.read()
    return (time.perf_counter() - start) * 1000


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]
    return (f"n={len(samples):>4}  p50={statistics.median(ordered):7.1f} ms  "
            f"p95={p95:7.1f} ms  max={ordered[-1]:7.1f} ms")


def measure(url: str, turns: int, concurrency: int, messages: list[str]) -> None:
    for i in range(3):  # warm-up: first parses load lazily initialised components
        turn(url, messages[i % len(messages)], f"warmup-{uuid.uuid4().hex}")
    sequential = [turn(url, messages[i % len(messages)], f"seq-{uuid.uuid4().hex}")
                  for i in range(turns)]
    print(f"sequential  {percentiles(sequential)}")
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        concurrent = list(pool.map(
            lambda i: turn(url, messages[i % len(messages)], f"con-{uuid.uuid4().hex}"),
            range(turns)))
    elapsed = time.perf_counter() - started
    print(f"concurrent  {percentiles(concurrent)}  (concurrency {concurrency}, "
          f"{turns / elapsed:.1f} turns/s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--url", help="an already running REST webhook")
    parser.add_argument("--capabilities", action="store_true",
                        help="capability questions instead of greetings")
    args = parser.parse_args()
    messages = CAPABILITIES if args.capabilities else BASICS
    kind = "capability questions" if args.capabilities else "greetings"
    print(f"Latency of one turn over REST ({kind}, six languages)")
    if args.url:
        measure(args.url, args.turns, args.concurrency, messages)
        return 0
    from bot import cli
    from tests.conftest import start_assistant

    with tempfile.TemporaryDirectory() as folder:
        assistant, processes = start_assistant(Path(folder))
        try:
            measure(assistant.webhook, args.turns, args.concurrency, messages)
        finally:
            cli.stop_servers(processes)
    return 0


if __name__ == "__main__":
    sys.exit(main())

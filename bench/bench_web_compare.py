"""Compare now under load: `POST /api/compare` of 10 and 50 fictional articles, the app served by uvicorn.

For each request: its status and seconds; the worker's peak resident memory (sampled from /proc); the
server process's own resident memory; and the slowest of the `GET /api/health` requests sent every 0.2 s
while the comparison runs (the event loop must keep answering: the analysis runs in the worker process).
The budget is the app's default (120 s, 4 GB): a request past it is answered 503 and the worker stopped.

Texts: the harbor-fire example extended with reworded paragraphs (bench_compare.fictional_story), ~600 and
~3,000 words per article. Run from the repo root: .venv/bin/python bench/bench_web_compare.py
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_compare  # noqa: E402
from storydiff.web.app import create_app  # noqa: E402
from storydiff.web.server import server_config  # noqa: E402
from storydiff.web.worker import resident_bytes  # noqa: E402

CASES = ((10, 600), (50, 600), (50, 3000))


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def articles(n: int, words: int) -> list[dict[str, str]]:
    bench_compare.TARGET_WORDS = words
    return [
        {"text": a.text, "source": a.source, "title": a.title or ""} for a in bench_compare.fictional_story(n)
    ]


def main() -> int:
    import uvicorn

    app = create_app(None)
    worker = app.state.web.worker
    port = _port()
    server = uvicorn.Server(server_config(app, "127.0.0.1", port, log_level="error"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    print(
        f"{'articles':>8} {'words':>6} {'status':>6} {'seconds':>8} {'worker peak MB':>15} {'server MB':>10} {'slowest health':>15}"
    )
    for n, words in CASES:
        body = {"articles": articles(n, words)}
        answer: dict[str, object] = {}
        peak = 0
        health: list[float] = []

        def post(body: dict[str, object] = body, answer: dict[str, object] = answer) -> None:
            started = time.perf_counter()
            response = httpx.post(f"{base}/api/compare", json=body, timeout=600)
            answer.update(status=response.status_code, seconds=time.perf_counter() - started)

        thread = threading.Thread(target=post)
        thread.start()
        while thread.is_alive():
            process = worker._process
            if process is not None and process.pid:
                peak = max(peak, resident_bytes(process.pid) or 0)
            started = time.perf_counter()
            httpx.get(f"{base}/api/health", timeout=60)
            health.append(time.perf_counter() - started)
            time.sleep(0.2)
        thread.join()
        own = resident_bytes(os.getpid()) or 0
        print(
            f"{n:>8} {words:>6} {answer['status']:>6} {answer['seconds']:>8.1f} {peak / 2**20:>15.0f} "
            f"{own / 2**20:>10.0f} {max(health, default=0) * 1000:>12.0f} ms"
        )
    server.should_exit = True
    worker.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

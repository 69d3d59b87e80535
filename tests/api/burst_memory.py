"""Memory of one server under 16 parallel worst-case requests (a measurement, not a test).

    python tests/api/burst_memory.py STORE.db [PARALLEL] [ROUNDS]

Serves STORE.db with `bomay serve` on a free 127.0.0.1 port, waits until it answers and
its indexes are warm, then sends PARALLEL (default 16) requests at once, ROUNDS (default
3) times, from the heaviest kinds the API has: the subtree and snapshot of the whole
structure, a diff of everything (all refused above the unit cap), and the biggest trees
under the cap (the largest province's subtree and snapshot, a diff under it), gzip and not.
It samples the server's resident memory every 10 ms and prints one JSON line: RSS before,
peak during, after, statuses, and seconds. Figures in docs/reliability.md.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main(store: str, parallel: int = 16, rounds: int = 3) -> dict:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOMAY_")}
    proc = subprocess.Popen([sys.executable, "-m", "api.cli", "--store", store, "serve",
                             "--port", str(port)], env=env | {"BOMAY_TOKEN": "x" * 32},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                if httpx.get(base + "/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.5)
            if proc.poll() is not None:
                raise SystemExit("the server stopped")
        with httpx.Client(base_url=base, timeout=600) as http:
            at = "2020-06-01"
            roots = http.get("/snapshot", params={"at": at, "depth": 0, "limit": 1000}).json()
            top = roots["items"][0]["unit"]["id"]
            provinces = http.get(f"/units/{top}/children", params={"at": at,
                                                                 "limit": 1000}).json()["items"]
            # The biggest child subtree under the cap: the worst answer still given.
            sizes = {}
            for p in provinces[:80]:
                r = http.get("/stats", params={"at": at, "root": p["id"]})
                sizes[p["id"]] = r.json()["units"] if r.status_code == 200 else 0
            big = max(sizes, key=sizes.get)
            http.get(f"/units/{big}/subtree", params={"at": at})  # warm
        heavy = [f"/units/{top}/subtree?at={at}", f"/snapshot?at={at}",
                 f"/diff?from=2000&to={at}", f"/units/{big}/subtree?at={at}",
                 f"/snapshot?at={at}&root={big}", f"/diff?from=2000&to={at}&root={big}"]
        time.sleep(2)
        before = rss_mb(proc.pid)
        peak = [before]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak.append(rss_mb(proc.pid))
                time.sleep(0.01)

        sampler = threading.Thread(target=sample)
        sampler.start()
        statuses: Counter[int] = Counter()
        started = time.perf_counter()

        def ask(i: int) -> tuple[int, int]:
            headers = {"accept-encoding": "gzip" if i % 2 else "identity"}
            with httpx.Client(base_url=base, timeout=600) as http:
                r = http.get(heavy[i % len(heavy)], headers=headers)
                return r.status_code, len(r.content)

        biggest = 0
        with ThreadPoolExecutor(parallel) as pool:
            for _ in range(rounds):
                for status, size in pool.map(ask, range(parallel)):
                    statuses[status] += 1
                    biggest = max(biggest, size)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        result = {"store": store, "parallel": parallel, "rounds": rounds,
                  "biggest_tree_under_cap": big, "its_units": sizes[big],
                  "rss_before_mb": round(before), "rss_peak_mb": round(max(peak)),
                  "rss_after_mb": round(rss_mb(proc.pid)), "statuses": dict(statuses),
                  "largest_answer_bytes": biggest, "seconds": round(seconds, 1)}
        print(json.dumps(result))
        return result
    finally:
        proc.terminate()
        proc.wait(timeout=60)


if __name__ == "__main__":
    main(sys.argv[1], *(int(a) for a in sys.argv[2:]))

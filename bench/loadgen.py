"""HTTP load on loopback: wrk when installed (Debian's `wrk`), else a Python equivalent.

Both keep `connections` keep-alive connections busy for `duration` seconds, rotating
through a fixed list of paths, and report requests/s, latency median and p99, and
the count of non-2xx answers.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench.stats import summarise_ns

_UNIT = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def tool() -> str:
    return "wrk" if shutil.which("wrk") else "python-asyncio"


def run(base: str, paths: list[str], duration: float, connections: int) -> dict:
    if shutil.which("wrk"):
        return _wrk(base, paths, duration, connections)
    return asyncio.run(_python(base, paths, duration, connections))


def _lua(paths: list[str]) -> str:
    items = ",\n".join('  "' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
    return ("local paths = {\n" + items + "\n}\n"
            "local n = #paths\n"
            "local i = 0\n"
            "request = function()\n"
            "  i = (i % n) + 1\n"
            "  return wrk.format(\"GET\", paths[i])\n"
            "end\n")


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not m:
        raise ValueError(f"unexpected wrk duration {text!r}")
    return float(m[1]) * _UNIT[m[2]]


def _wrk(base: str, paths: list[str], duration: float, connections: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "paths.lua"
        script.write_text(_lua(paths))
        cmd = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, int(round(duration)))}s", "--latency",
               "--timeout", "30s", "-s", str(script), base]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in ([\d.]+\w+)", out)
    dist = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", out, re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    if not rps:
        raise RuntimeError(f"could not read wrk's output:\n{out}")
    pct = {k: (_ms(dist[k]) if k in dist else None) for k in ("50", "90", "99")}
    return {"requests_per_s": float(rps[1]), "requests": int(total[1]) if total else None,
            "median_ms": pct["50"], "p90_ms": pct["90"], "p99_ms": pct["99"],
            "non_2xx": int(non2xx[1]) if non2xx else 0,
            "socket_errors": errors[0] if errors else None}


async def _python(base: str, paths: list[str], duration: float, connections: int) -> dict:
    m = re.match(r"http://([^:/]+):(\d+)", base)
    host, port = m[1], int(m[2])
    latencies: list[int] = []
    bad = [0]
    start = time.perf_counter()
    deadline = start + duration

    async def worker(offset: int) -> None:
        reader, writer = await asyncio.open_connection(host, port)
        i = offset
        try:
            while time.perf_counter() < deadline:
                path = paths[i % len(paths)]
                i += 1
                t = time.perf_counter_ns()
                writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
                status = await reader.readline()
                length, chunked = 0, False
                while True:
                    line = await reader.readline()
                    if line in (b"\r\n", b""):
                        break
                    name, _, value = line.decode("latin-1").partition(":")
                    name = name.strip().lower()
                    if name == "content-length":
                        length = int(value)
                    elif name == "transfer-encoding" and "chunked" in value:
                        chunked = True
                if chunked:
                    while True:
                        size = int((await reader.readline()).strip() or b"0", 16)
                        await reader.readexactly(size + 2)
                        if size == 0:
                            break
                elif length:
                    await reader.readexactly(length)
                latencies.append(time.perf_counter_ns() - t)
                if not status.split(b" ")[1].startswith(b"2"):
                    bad[0] += 1
        finally:
            writer.close()

    await asyncio.gather(*(worker(k * 7919) for k in range(connections)))
    elapsed = time.perf_counter() - start
    summary = summarise_ns(latencies)
    xs = sorted(latencies)
    return {"requests_per_s": round(len(latencies) / elapsed, 1), "requests": len(latencies),
            "median_ms": summary.get("median_ms"),
            "p90_ms": round(xs[int(0.9 * (len(xs) - 1))] / 1e6, 4) if xs else None,
            "p99_ms": summary.get("p99_ms"), "non_2xx": bad[0], "socket_errors": None}

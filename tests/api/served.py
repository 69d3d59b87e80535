"""A real `bomay serve` process for the tests that need one (real HTTP, real processes):
a free port, an environment without the caller's BOMAY_ settings, and the wait until it
answers /health."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(token: str, **extra: str) -> dict[str, str]:
    """This process's environment without its BOMAY_ settings, with a write token."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("BOMAY_")},
            "BOMAY_TOKEN": token, **extra}


def serve(store: Path, *options: str, env: dict[str, str], log: Path,
          timeout: float = 120) -> tuple[subprocess.Popen, str]:
    """Start `bomay --store STORE serve --port P OPTIONS` and wait until it answers;
    (the process, its base URL). Its output goes to `log`, shown if it does not start."""
    port = free_port()
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "api.cli", "--store", str(store),
                                 "serve", "--port", str(port), *options], env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(base + "/health", timeout=5).status_code == 200:
                return proc, base
        except httpx.TransportError:
            pass
        assert proc.poll() is None, log.read_text(errors="replace")[-5000:]
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.2)

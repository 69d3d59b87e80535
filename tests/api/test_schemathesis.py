"""The OpenAPI document tells the truth: schemathesis (all checks, with a write token)
against `bomay serve` over a copy of the bundled dataset, bounded (20 examples per
operation by default; BOMAY_SCHEMATHESIS_EXAMPLES to change it). Any failure fails."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

TOKEN = "schemathesis-token-0123456789abcdef"
CONFIG = Path(__file__).with_name("schemathesis.toml")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_schemathesis_finds_nothing(tmp_path):
    schemathesis = Path(sys.executable).with_name("schemathesis")
    assert schemathesis.exists(), "schemathesis is a test dependency (pip install -e '.[test]')"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOMAY_")}
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "--store", str(tmp_path / "seed.db"), "serve",
         "--port", str(port)], env=env | {"BOMAY_TOKEN": TOKEN},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(base + "/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, server.stderr.read()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        examples = os.environ.get("BOMAY_SCHEMATHESIS_EXAMPLES", "20")
        run = subprocess.run(
            [str(schemathesis), "--config-file", str(CONFIG), "run", base + "/openapi.json", "--checks", "all",
             "--max-examples", examples, "--seed", "1", "--no-color",
             "--request-timeout", "60", "--header", f"Authorization: Bearer {TOKEN}",
             "--report-dir", str(tmp_path / "report")],
            capture_output=True, text=True, timeout=900, env=env, cwd=tmp_path)
        failures = run.stdout[run.stdout.find("FAILURES"):] if "FAILURES" in run.stdout \
            else run.stdout[-3000:]
        assert run.returncode == 0, failures[:20000]
        assert " passed" in run.stdout or "No issues found" in run.stdout, run.stdout[-2000:]
        # Nothing the fuzzer sent made the server fail.
        assert server.poll() is None
    finally:
        server.terminate()
        server.communicate(timeout=15)

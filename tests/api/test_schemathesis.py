"""The OpenAPI document tells the truth: schemathesis (all checks, with a write token)
against `bomay serve` over a copy of the bundled dataset, bounded (20 examples per
operation by default; BOMAY_SCHEMATHESIS_EXAMPLES to change it). Any failure fails."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.api.served import clean_env, serve

TOKEN = "schemathesis-token-0123456789abcdef"
CONFIG = Path(__file__).with_name("schemathesis.toml")


def test_schemathesis_finds_nothing(tmp_path):
    schemathesis = Path(sys.executable).with_name("schemathesis")
    assert schemathesis.exists(), "schemathesis is a test dependency (pip install -e '.[test]')"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOMAY_")}
    server, base = serve(tmp_path / "seed.db", env=clean_env(TOKEN),
                         log=tmp_path / "server.log", timeout=90)
    try:
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

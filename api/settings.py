"""Settings of the web app (a plain dataclass; the CLI and tests build it).

Tokens are `{name: secret}`: the name is what the change log records for a write, the
secret what a client sends as `Authorization: Bearer <secret>`. An app with no write
token refuses every write (a library default that cannot be left open by mistake);
`bomay serve` always configures one (BOMAY_TOKEN, --tokens FILE, or a generated one).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from graph.errors import BomayError
from graph.scenarios.service import ScenarioLimits


def _bundled_dataset() -> Path:
    """`data/seed` of a source checkout (or an editable install); in an installed wheel,
    the copy pyproject's data-files put under `{prefix}/share/bomay/seed`."""
    checkout = Path(__file__).resolve().parent.parent / "data" / "seed"
    if checkout.is_dir():
        return checkout
    import site
    import sys
    for prefix in (sys.prefix, sys.base_prefix, site.getuserbase()):
        installed = Path(prefix) / "share" / "bomay" / "seed"
        if installed.is_dir():
            return installed
    return checkout  # missing: `bomay serve` says which folder it looked for


BUNDLED_DATASET = _bundled_dataset()

#: Hosts that only this machine can reach: binding anything else prints a warning.
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


@dataclass(frozen=True)
class Settings:
    title: str = "bomay"
    #: The date used when a request gives no `at` (None: today's date at request time).
    default_at: str | None = None
    seed_dir: Path = BUNDLED_DATASET
    #: Write tokens, {name: secret}; empty: every write is refused.
    tokens: Mapping[str, str] = field(default_factory=dict)
    #: Read tokens, {name: secret}; empty: reads are open. A write token also reads.
    read_tokens: Mapping[str, str] = field(default_factory=dict)
    #: Refuse every write whatever the token.
    read_only: bool = False
    #: Origins allowed by CORS; empty: no CORS header at all.
    cors_origins: tuple[str, ...] = ()
    #: Request bodies above this many bytes are refused (413).
    max_body_bytes: int = 1_000_000
    #: Tree answers (subtree, snapshot, diff) above this many units are refused.
    max_units: int = 20_000
    #: Bodies from this many bytes up are gzipped for clients that accept it.
    gzip_min_bytes: int = 1000
    #: Operations per scenario and per request (422 above): `bomay serve
    #: --max-operations/--max-operations-per-request`, else BOMAY_SCENARIO_MAX_OPERATIONS
    #: and BOMAY_SCENARIO_MAX_OPERATIONS_PER_REQUEST, else 500 and 100.
    scenario_limits: ScenarioLimits = field(default_factory=ScenarioLimits.from_env)


def read_tokens_file(path: Path) -> dict[str, str]:
    """`name secret` per line (blank lines and `#` comments skipped) -> {name: secret}."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BomayError(f"cannot read the tokens file {path}: {exc.strerror}") from None
    tokens: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 2:
            raise BomayError(f"{path}:{number}: expected `name secret`, got {len(parts)} "
                             "field(s)")
        name, secret = parts
        if len(secret) < 16:
            raise BomayError(f"{path}:{number}: the secret of {name!r} is shorter than 16 "
                             "characters")
        if name in tokens:
            raise BomayError(f"{path}:{number}: the name {name!r} is given twice")
        tokens[name] = secret
    if not tokens:
        raise BomayError(f"the tokens file {path} holds no token")
    return tokens


def tokens_from(env: Mapping[str, str] | None = None, tokens_file: Path | None = None,
                read_tokens_path: Path | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """The write and read tokens a server is configured with: BOMAY_TOKEN and/or a tokens
    file for writes, BOMAY_READ_TOKEN and/or a read tokens file for reads."""
    env = os.environ if env is None else env
    write: dict[str, str] = {}
    if env.get("BOMAY_TOKEN"):
        write["BOMAY_TOKEN"] = env["BOMAY_TOKEN"]
    if tokens_file is not None:
        write |= read_tokens_file(tokens_file)
    read: dict[str, str] = {}
    if env.get("BOMAY_READ_TOKEN"):
        read["BOMAY_READ_TOKEN"] = env["BOMAY_READ_TOKEN"]
    if read_tokens_path is not None:
        read |= read_tokens_file(read_tokens_path)
    return write, read


def generated_token() -> str:
    """A fresh random write token (URL-safe, 32 bytes of randomness)."""
    return secrets.token_urlsafe(32)

"""Settings of the web app (a plain dataclass; the CLI and tests build it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

BUNDLED_DATASET = Path(__file__).resolve().parent.parent / "data" / "seed"


@dataclass(frozen=True)
class Settings:
    title: str = "bomay"
    #: The date used when a request gives no `at` (None: today's date at request time).
    default_at: str | None = None
    seed_dir: Path = BUNDLED_DATASET

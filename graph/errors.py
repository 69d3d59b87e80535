"""The one error hierarchy of bomay.

Every error a user can cause is a `BomayError`; the API turns it into one
problem+json shape and the CLI into one readable message, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import field as dataclass_field  # in Problem, whose `field` is a column
from typing import Any, Iterable, Mapping


class BomayError(Exception):
    """Root of every error bomay reports to a user."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, *, errors: list[dict[str, Any]] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []


class NotFound(BomayError):
    status = 404
    title = "Not found"


class InvalidParameter(BomayError):
    status = 422
    title = "Invalid parameter"


class Conflict(BomayError):
    status = 409
    title = "Conflict"


class StoreError(BomayError):
    status = 500
    title = "Store error"


class StoreBusy(StoreError):
    """The store is locked by another writer (another process loading or committing) for
    longer than the store waits; the same request may succeed a moment later."""

    status = 503
    title = "Store busy"
    #: Seconds a client should wait before retrying (the API's Retry-After).
    retry_after = 2


@dataclass(frozen=True, slots=True)
class Problem:
    """One validation problem in an input folder: where (file, line, column, field),
    what was found and what was expected; for a name that gives no single unit (a plan's
    mapping table), the units it could be (`candidates`: id, name, kind, area, as the
    scenario's 409 gives them) and the nearest names (`nearest`) when none has it."""

    file: str
    line: int | None
    field: str | None
    message: str
    value: str | None = None
    column: int | None = None
    # Compared, not hashed (a dict is not hashable): a problem with candidates can be in a set.
    candidates: tuple[dict[str, Any], ...] | None = dataclass_field(default=None, hash=False)
    nearest: tuple[str, ...] | None = dataclass_field(default=None, hash=False)

    def location(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        where = f" [{self.field}]" if self.field else ""
        value = f" (got {self.value!r})" if self.value not in (None, "") else ""
        return f"{self.location()}:{where} {self.message}{value}"

    def as_dict(self) -> dict[str, Any]:
        """The problem as an item of problem+json `errors` (and of `bomay check --json`):
        `candidates` and `nearest` only when the problem has them."""
        out: dict[str, Any] = {"file": self.file, "line": self.line, "column": self.column,
                               "field": self.field, "message": self.message,
                               "value": self.value}
        if self.candidates:
            out["candidates"] = [dict(c) for c in self.candidates]
        if self.nearest:
            out["nearest"] = list(self.nearest)
        return out


class ValidationFailed(BomayError):
    """A dataset was refused; `problems` lists every problem found, all at once."""

    status = 422
    title = "Invalid dataset"

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        n = len(self.problems)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} found; nothing was changed",
                         errors=[p.as_dict() for p in self.problems])


@dataclass
class ProblemCollector:
    """Gathers problems so that a validation pass reports all of them, not the first."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, file: str, line: int | None, field: str | None, message: str,
            value: str | None = None, column: int | None = None, *,
            candidates: Iterable[Mapping[str, Any]] | None = None,
            nearest: Iterable[str] | None = None) -> None:
        self.problems.append(Problem(
            file, line, field, message, value, column,
            tuple(dict(c) for c in candidates) if candidates else None,
            tuple(nearest) if nearest else None))

    def raise_if_any(self) -> None:
        if self.problems:
            raise ValidationFailed(self.problems)

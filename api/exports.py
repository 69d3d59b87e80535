"""What `bomay export` and `GET /export` share: the formats on offer (the open formats of
`graph.formats` and the data contract's CSV folder of `loaders.export`), the state to
export (the baseline or a saved scenario's) and the CSV folder as one zip file."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import zipfile
from pathlib import Path
from typing import BinaryIO, Iterator

from graph import formats
from graph.errors import InvalidParameter
from graph.store import GraphReader, GraphStore
from loaders.export import write_dataset

#: format -> (media type, file extension, description); csv is a folder (a zip over HTTP).
EXPORTS: dict[str, tuple[str, str, str]] = {
    "csv": ("application/zip", ".zip", "the data contract's CSV files (loads back with "
            "`bomay load`); a folder from the CLI, a zip over HTTP"),
    **{f.name: (f.media_type, f.extension, f.description) for f in formats.FORMATS.values()},
}


def check_format(fmt: str, field: str = "format") -> str:
    if fmt not in EXPORTS:
        raise InvalidParameter(f"{field}: unknown format {fmt!r}; expected one of "
                               + ", ".join(EXPORTS),
                               errors=[{"field": field, "value": fmt,
                                        "message": "expected one of " + ", ".join(EXPORTS)}])
    return fmt


#: An absolute http(s) address or a URN prefix, without the characters an IRI cannot hold.
BASE_PATTERN = r'^(https?://|urn:)[^\s<>"{}|\\^`]*$'


def check_base(base: str, field: str = "base") -> str:
    """The base of the RDF IRIs: an absolute http(s) address or a URN prefix."""
    if not re.match(BASE_PATTERN, base):
        raise InvalidParameter(f"{field}: expected an absolute http(s) address or a urn: "
                               f"prefix (got {base!r})",
                               errors=[{"field": field, "value": base,
                                        "message": "an absolute IRI prefix"}])
    return base


def scenario_state(store: GraphStore, scenario_id: str) -> GraphReader:
    """A saved scenario's state over the current baseline (a GraphReader; the baseline
    once the scenario is committed), through the scenario service and its cache."""
    from graph.scenarios.service import ScenarioService
    return ScenarioService(store).reader(scenario_id)


def write_csv_folder(reader: GraphReader, folder: Path, at: dt.date | None = None) -> dict[str, int]:
    return write_dataset(formats.dataset_of(reader, at), folder)


def write_csv_zip(reader: GraphReader, out: BinaryIO, at: dt.date | None = None) -> None:
    """The CSV folder as a zip file (each CSV at the zip's top level, the plans in `plans/`)."""
    with tempfile.TemporaryDirectory(prefix="bomay-export-") as tmp:
        write_csv_folder(reader, Path(tmp), at)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(Path(tmp).rglob("*")):  # plans/*.yaml in their folder
                if path.is_file():
                    zf.write(path, path.relative_to(tmp).as_posix())


def write_export(reader: GraphReader, fmt: str, out: BinaryIO, *, at: dt.date | None = None,
                 base: str = formats.DEFAULT_BASE) -> None:
    """Write `reader` in `fmt` to `out` (csv: a zip of the folder)."""
    if check_format(fmt) == "csv":
        write_csv_zip(reader, out, at)
    else:
        formats.write(reader, fmt, out, at=at, base=check_base(base))


def failure_note(fmt: str, sent: int, exc: BaseException) -> bytes:
    """The end of a streamed document (`export_chunks`) whose writing failed after `sent`
    bytes were sent: comment lines that say so, then a line that is no statement of the
    format (`!!` opens none in N-Triples or Turtle), so that a parser stops there with an
    error instead of loading part of the graph as if it were the whole. Each chunk ends
    where a document may (the note is never inside a statement)."""
    mark = formats.FORMATS[fmt].comment or "#"
    reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
    return (f"\n{mark} bomay: EXPORT FAILED after {sent} bytes ({reason}).\n"
            f"{mark} This file is INCOMPLETE: do not use it; export again, and see the "
            f"server's log.\n"
            "!! bomay export failed: incomplete file !!\n").encode("utf-8")


def export_chunks(reader: GraphReader, fmt: str, *, at: dt.date | None = None,
                  base: str = formats.DEFAULT_BASE) -> Iterator[bytes] | None:
    """`reader` in `fmt` as the bytes of its parts, for a format written in parts (N-Triples,
    Turtle: `formats.chunks`), else None (write it whole with `write_export`)."""
    if check_format(fmt) == "csv":
        return None
    return formats.chunks(reader, fmt, at=at, base=check_base(base))

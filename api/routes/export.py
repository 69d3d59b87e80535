"""`GET /export?format=FORMAT[&scenario=ID][&at=DATE][&base=IRI]`: the baseline or a
scenario's state in an open format, or the data contract's CSV files as a zip.

The document is written first (into a spooled temporary file: memory up to 8 MB, disk
beyond), then streamed in chunks: an error (an unknown scenario, one that no longer
applies) is a problem+json answer, never a cut-off download. A format written in parts
(N-Triples, Turtle: `formats.chunks`) is sent as it is made instead, once what it covers
is read and its first part made (an error until then is still a problem): a national
export starts at once instead of after minutes, in the memory of one part.

Nothing in the data can fail a later part (every term is valid by construction:
`graph.formats.rdf`); should one fail all the same (a bug, memory), the failure is logged
(`bomay.export`), the body ends with a note that the file is incomplete and a line no
parser accepts (`failure_note`), and the connection is closed before the chunked answer's
end, which an HTTP client reports as an incomplete transfer (docs/export.md). The failure
is logged once: the server's own report of the exception that closes the connection is
dropped (`log_each_failure_once`, installed by `api.app.create_app`).
"""

from __future__ import annotations

import logging
import tempfile
from typing import Iterator

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from api.deps import DATE_SCHEMA, get_store, parse_date_param
from api.exports import BASE_PATTERN, EXPORTS, check_format, export_chunks, failure_note, \
    scenario_state, write_export

router = APIRouter(tags=["export"])
log = logging.getLogger("bomay.export")

_CHUNK = 64 * 1024
_SPOOL = 8 << 20


class ExportAborted(Exception):
    """A streamed export failed after its answer began: raised to the server so that it
    closes the connection without the chunked answer's last chunk (a client then sees
    an incomplete transfer, not a whole file); the failure itself is logged first."""


class _AbortLoggedOnce(logging.Filter):
    """Drops the server's own report of an ExportAborted (uvicorn's `Exception in ASGI
    application` and its 80-line traceback, on `uvicorn.error`): the failure was logged
    once already (`bomay.export`: what failed, after how many bytes, with the cause's
    traceback), and ExportAborted is only the way to close the connection. Any other
    exception the server reports is kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, ExportAborted)


def log_each_failure_once() -> None:
    """Install `_AbortLoggedOnce` on the server's error logger (once per process; a logger's
    filters survive uvicorn's logging configuration, made after the app)."""
    server_log = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _AbortLoggedOnce) for f in server_log.filters):
        server_log.addFilter(_AbortLoggedOnce())


def _guarded(first: bytes, parts: Iterator[bytes], fmt: str, what: str) -> Iterator[bytes]:
    """`first`, then `parts`; if making a part fails, the failure note (`failure_note`)
    and ExportAborted instead of an answer that ends as if it were whole."""
    sent = len(first)
    yield first
    try:
        for part in parts:
            yield part
            sent += len(part)
    except Exception as exc:
        log.error("export %s (%s) failed after %d bytes had been sent: the answer ends "
                  "with a failure note and its connection is closed", what, fmt, sent,
                  exc_info=exc)
        yield failure_note(fmt, sent, exc)
        raise ExportAborted(f"export {what} ({fmt}) failed after {sent} bytes") from None


def _chunks(spool) -> Iterator[bytes]:
    try:
        while chunk := spool.read(_CHUNK):
            yield chunk
    finally:
        spool.close()


@router.get("/export", summary="The whole graph (or a scenario's state, or one day of it) in "
            "W3C ORG Turtle / JSON-LD / N-Triples, Popolo JSON, GraphML, GEXF, or the CSV files (zip)",
            response_class=StreamingResponse,
            responses={200: {"description": "The export, as a download.",
                             "content": {mt.split(";")[0]: {} for mt, _, _ in EXPORTS.values()}}})
def export(request: Request,
           format: str = Query(..., description="; ".join(f"`{k}`: {v[2]}"
                                                            for k, v in EXPORTS.items()),
                               examples=["turtle"],
                               json_schema_extra={"enum": list(EXPORTS)}),
           scenario: str | None = Query(None, description="A saved scenario's id: its state "
                                        "instead of the baseline."),
           at: str | None = Query(None, description="Only the structure on this date "
                                  "(YYYY-MM-DD); default: the whole history.",
                                  examples=["2018-08-07"], **DATE_SCHEMA),
           base: str | None = Query(None, max_length=500, description="Base of the RDF IRIs "
                                    "(default: this server's address, so that "
                                    "`{base}units/{id}` is the unit's own page in the API).",
                                    json_schema_extra={"pattern": "^$|" + BASE_PATTERN})):
    fmt = check_format(format)
    day = parse_date_param("at", at)
    store = get_store(request)
    reader = store if scenario is None else scenario_state(store, scenario)
    iri_base = base.strip() if base and base.strip() else str(request.base_url)
    media_type, extension, _ = EXPORTS[fmt]
    name = "bomay" + (f"-{scenario}" if scenario else "") + (f"-{day}" if day else "")
    # A scenario id is a slug of letters, digits and dashes; keep the header safe anyway.
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in name) + extension
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    parts = export_chunks(reader, fmt, at=day, base=iri_base)
    if parts is not None:
        first = next(parts, b"")  # made here: an error so far is a problem, not a cut file
        return StreamingResponse(_guarded(first, parts, fmt, name), media_type=media_type,
                                 headers=disposition)
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL)
    try:
        write_export(reader, fmt, spool, at=day, base=iri_base)
    except BaseException:
        spool.close()
        raise
    size = spool.tell()
    spool.seek(0)
    return StreamingResponse(_chunks(spool), media_type=media_type,
                             headers={**disposition, "Content-Length": str(size)})

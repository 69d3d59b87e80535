"""`/problems/{name}`: what each problem `type` of bomay's problem+json answers means.

Every error answer's `type` is `/problems/<name>` on the serving host (RFC 9457: a URI
reference that describes the problem); this route is that description, in JSON, or in a
small HTML page for a browser.
"""

from __future__ import annotations

import html

from fastapi import APIRouter, Path, Request
from starlette.responses import HTMLResponse, Response

from api.responses import OrjsonResponse
from graph.errors import NotFound

router = APIRouter(tags=["service"])

#: name -> (status, title, what it means, what to do)
PROBLEMS: dict[str, tuple[int, str, str, str]] = {
    "bad-request": (400, "Bad request", "The request cannot be read as it is.",
                    "Check the request against the API description at /docs."),
    "unauthorized": (401, "Unauthorized", "A write needs a bearer token and none (or an "
                     "unknown one) was sent.", "Send `Authorization: Bearer <token>`."),
    "forbidden": (403, "Forbidden", "The token is known but may not do this.",
                  "Use a token allowed to write."),
    "not-found": (404, "Not found", "No unit, event, document, person or scenario has this "
                  "id (or no route has this address).",
                  "Search with /search?q=..., or list with /units, /events, /documents, "
                  "/people, /scenarios."),
    "method-not-allowed": (405, "Method not allowed", "The address exists but not for this "
                           "method.", "Use a method the `Allow` header lists."),
    "conflict": (409, "Conflict", "The request contradicts the stored state: the baseline "
                 "changed since a scenario was made, an operation no longer applies, or an id "
                 "is already taken.", "Read the current state, then retry against it."),
    "content-too-large": (413, "Content too large", "The request body is larger than the "
                          "server accepts.", "Send fewer operations at a time."),
    "unsupported-media-type": (415, "Unsupported media type", "A write's body must be JSON.",
                               "Send `Content-Type: application/json`."),
    "invalid-parameter": (422, "Invalid parameter", "A parameter or body field has a value "
                          "that is not allowed; `errors` names each field, the value found "
                          "and what was expected.", "Correct the fields listed in `errors`."),
    "invalid-dataset": (422, "Invalid dataset", "A dataset (a folder of CSV files, a "
                        "scenario's result) breaks the data contract; `errors` lists every "
                        "problem with its file, line and field.",
                        "Correct the rows listed; see docs/data-format.md."),
    "store-error": (500, "Store error", "The store could not be read or written.",
                    "Retry; if it persists, check the store (see the README)."),
    "service-unavailable": (503, "Service unavailable", "The store is busy (another process "
                            "is writing) or its server is down.",
                            "Retry after the seconds given by `Retry-After`."),
    "internal-error": (500, "Internal error", "Something unexpected failed in bomay; the "
                       "answer names the kind of failure, never a trace.",
                       "Report it with the request that caused it."),
    "error": (400, "Error", "An error without a more precise type.",
              "Read `detail`."),
}


def _doc(name: str) -> dict[str, object]:
    status, title, meaning, todo = PROBLEMS[name]
    return {"type": f"/problems/{name}", "title": title, "status": status,
            "description": meaning, "what_to_do": todo}


def _wants_html(request: Request) -> bool:
    """A browser's Accept (text/html before any application/json) gets the HTML page."""
    accept = request.headers.get("accept", "")
    if "text/html" not in accept:
        return False
    return "application/json" not in accept or (
        accept.index("text/html") < accept.index("application/json"))


@router.get("/problems", summary="Every problem type bomay answers with")
def problems(request: Request) -> Response:
    return OrjsonResponse({"items": [_doc(n) for n in PROBLEMS], "total": len(PROBLEMS)})


@router.get("/problems/{name}", summary="What a problem type means and what to do about it")
def problem(request: Request, name: str = Path(examples=["invalid-parameter"])) -> Response:
    if name not in PROBLEMS:
        raise NotFound(f"no problem type {name!r}; the types are listed at /problems")
    doc = _doc(name)
    if _wants_html(request):
        e = {k: html.escape(str(v)) for k, v in doc.items()}
        return HTMLResponse(f"<!doctype html><html lang=en><meta charset=utf-8><title>"
                            f"{e['title']}</title><h1>{e['title']} ({e['status']})</h1>"
                            f"<p>{e['description']}</p><p><b>What to do:</b> "
                            f"{e['what_to_do']}</p><p><a href=/problems>All problem "
                            f"types</a></p></html>")
    return OrjsonResponse(doc)

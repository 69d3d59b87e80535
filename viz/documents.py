"""The basis documents of an event as a page shows them: "code — title", and a link to
the document's page when the record holds a web address (`graph.web_address`: a store
written before that rule may hold other text there, shown as nothing to follow)."""

from __future__ import annotations

from typing import Any, Iterable

from graph.store import GraphReader
from graph.web_address import is_web_address


def basis_refs(reader: GraphReader, doc_ids: Iterable[str]) -> list[dict[str, Any]]:
    """One `{"id", "code", "text", "url"}` per document id (`url` None when there is nothing to
    link to; an id with no document row is shown as the id)."""
    out = []
    for doc_id in doc_ids:
        doc = reader.get_document(doc_id)
        if doc is None:
            out.append({"id": doc_id, "code": doc_id, "text": doc_id, "url": None})
            continue
        out.append({"id": doc_id, "code": doc.code, "text": f"{doc.code} — {doc.title}",
                    "url": doc.url if is_web_address(doc.url) else None})
    return out

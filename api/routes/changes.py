"""`GET /changes`: the change log of the baseline — every load and commit, newest first,
with when, which token (or CLI user) made it, and the revisions before and after."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from api.deps import get_store
from api.responses import json_read
from graph.store import GraphStore

router = APIRouter(tags=["service"])


class ChangeOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    seq: int = Field(description="Increasing with each write.")
    when: str = Field(description="ISO 8601, UTC, to the second.")
    action: str = Field(description="load, commit or replace.")
    what: str = Field(description="The folder loaded, the scenario committed.")
    who: str = Field(description="The name of the API token, or the CLI user.")
    previous_revision: str
    revision: str


class ChangeList(BaseModel):
    model_config = ConfigDict(extra="allow")
    items: list[ChangeOut]
    limit: int
    offset: int
    more: bool = Field(description="Whether older changes follow (ask with a larger offset).")
    revision: Optional[str] = Field(None, description="The store's current revision.")


@router.get("/changes", summary="Who changed the baseline: every load and commit, newest first",
            response_model=ChangeList)
def changes(request: Request,
            limit: int = Query(100, ge=1, le=1000, description="At most this many."),
            offset: int = Query(0, ge=0, le=10_000_000, description="Skip this many first."),
            store: GraphStore = Depends(get_store)):
    found = store.changes(limit=limit + 1, offset=offset)
    body = {"items": [c.as_dict() for c in found[:limit]], "limit": limit, "offset": offset,
            "more": len(found) > limit, "revision": store.revision}
    return json_read(request, body, store.revision)

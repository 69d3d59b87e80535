"""Unit reads (the query issue extends this module)."""

import datetime as dt

from fastapi import APIRouter, Depends, Path, Request

from api.deps import get_store, parse_date_param
from api.responses import json_read
from graph.errors import NotFound
from graph.store import GraphStore

router = APIRouter(tags=["units"])


@router.get("/units/{unit_id}", summary="One unit")
def get_unit(request: Request, unit_id: str = Path(examples=["mc-to-chuc-noi-vu"]),
             at: str | None = None, store: GraphStore = Depends(get_store)):
    when: dt.date | None = parse_date_param("at", at)
    unit = store.get_unit(unit_id)
    if unit is None:
        raise NotFound(f"no unit with id {unit_id!r}")
    if when is not None and not unit.valid_at(when):
        raise NotFound(f"unit {unit_id!r} did not exist on {when.isoformat()}: it existed "
                       f"from {unit.valid_from or 'an unknown date'} to "
                       f"{unit.valid_to or 'now'} (valid_to exclusive)")
    body = unit.as_dict() | {"parent": store.parent(unit_id, when)}
    return json_read(request, body, store.revision)

"""`/health`: liveness and what the store holds; `/changes` (api/routes/changes.py) is
mounted with it, the other service route."""

from fastapi import APIRouter, Depends

from api.deps import get_store
from api.routes import changes
from graph.store import GraphStore

router = APIRouter(tags=["service"])
router.include_router(changes.router)


@router.get("/health", summary="Liveness and the store's revision")
def health(store: GraphStore = Depends(get_store)) -> dict:
    return {"status": "ok", "revision": store.revision, "counts": store.dataset().counts()}

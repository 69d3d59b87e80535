"""`/health`: liveness and what the store holds."""

from fastapi import APIRouter, Depends

from api.deps import get_store
from graph.store import GraphStore

router = APIRouter(tags=["service"])


@router.get("/health", summary="Liveness and the store's revision")
def health(store: GraphStore = Depends(get_store)) -> dict:
    return {"status": "ok", "revision": store.revision, "counts": store.dataset().counts()}

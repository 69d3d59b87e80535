"""`create_app(store, settings)`: the FastAPI application over one GraphStore.

Routes are grouped in `api.routes.*` modules; each module exposes `router`. They
reach the store through `api.deps`.
"""

from __future__ import annotations

from fastapi import FastAPI

from api.problems import install_problem_handlers
from api.responses import OrjsonResponse
from api.routes import ROUTERS
from api.settings import Settings
from graph.store import GraphStore

VERSION = "0.1.0"


def create_app(store: GraphStore, settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(title=settings.title, version=VERSION,
                  description="A knowledge graph of organisational structure: the structure on "
                              "any date, lineage, history, search and merge scenarios.",
                  default_response_class=OrjsonResponse)
    app.state.store = store
    app.state.settings = settings
    install_problem_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    return app

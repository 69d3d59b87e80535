"""`create_app(store, settings)`: the FastAPI application over one GraphStore.

Routes are grouped in `api.routes.*` modules; each module exposes `router`. They
reach the store through `api.deps`.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from api.problems import install_problem_handlers
from api.responses import OrjsonResponse
from api.routes import ROUTERS
from api.settings import Settings
from graph.store import GraphStore

VERSION = "0.1.0"


def create_app(store: GraphStore, settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    # FastAPIOffline serves Swagger UI from the package: /docs makes no CDN request. ReDoc is
    # off: its bundle still fetches a logo from cdn.redoc.ly.
    app: FastAPI = FastAPIOffline(title=settings.title, version=VERSION, redoc_url=None,
                  description="A knowledge graph of organisational structure: the structure on "
                              "any date, lineage, history, search and merge scenarios.",
                  default_response_class=OrjsonResponse)
    app.state.store = store
    app.state.settings = settings
    install_problem_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    return app

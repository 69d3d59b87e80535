"""`create_app(store, settings)`: the FastAPI application over one GraphStore.

Routes are grouped in `api.routes.*` modules; each module exposes `router`. They
reach the store through `api.deps`. In front of them: the edge middleware of
`api.security` (tokens, body bounds, JSON only, security headers, HEAD), gzip, and CORS
when origins are configured. The OpenAPI document is completed by `api.openapi`
(problem+json answers, every status a route can give, the bearer scheme of writes).
"""

from __future__ import annotations

from importlib import metadata as _metadata

from fastapi import Depends, FastAPI
from fastapi_offline import FastAPIOffline
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware

from api.openapi import install_openapi
from api.csv_answers import install_listing_answers
from api.known_query import known_query_parameters
from api.problems import install_problem_handlers
from api.responses import OrjsonResponse
from api.routes import ROUTERS
from api.routes.export import log_each_failure_once
from api.security import EdgeMiddleware
from api.settings import Settings
from graph.store import GraphStore

#: The one version source is pyproject.toml, read from the installed package's metadata.
VERSION = _metadata.version("bomay")


def create_app(store: GraphStore, settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    # FastAPIOffline serves Swagger UI from the package: /docs makes no CDN request. ReDoc is
    # off: its bundle still fetches a logo from cdn.redoc.ly.
    app: FastAPI = FastAPIOffline(title=settings.title, version=VERSION, redoc_url=None,
                  description="A knowledge graph of organisational structure: the structure on "
                              "any date, lineage, history, search and merge scenarios.\n\n"
                              "Writes (POST, PUT, PATCH, DELETE) need `Authorization: Bearer "
                              "<token>` and a JSON body; errors are `application/problem+json`.",
                  default_response_class=OrjsonResponse,
                  # an unknown query parameter is a 422 naming it, never silently ignored
                  dependencies=[Depends(known_query_parameters)])
    app.state.store = store
    app.state.settings = settings
    install_problem_handlers(app)
    log_each_failure_once()  # a late export failure is logged by bomay.export alone
    for router in ROUTERS:
        app.include_router(router)
    install_listing_answers(app)  # CSV and next links on listings (innermost)
    install_openapi(app, settings)
    # Added innermost first: CORS (when configured) answers preflights before the edge.
    app.add_middleware(GZipMiddleware, minimum_size=settings.gzip_min_bytes)
    app.add_middleware(EdgeMiddleware, settings=settings)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
                           allow_headers=["Authorization", "Content-Type", "If-None-Match"],
                           expose_headers=["ETag", "Retry-After"])
    return app

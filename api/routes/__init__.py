"""The API's routers, in the order they are mounted."""

from api.routes import export, health, pages, queries, scenarios, units

ROUTERS = [health.router, units.router, queries.router, scenarios.router, export.router,
           pages.router]

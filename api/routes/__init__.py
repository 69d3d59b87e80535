"""The API's routers, in the order they are mounted."""

from api.routes import export, health, listings, pages, problem_docs, queries, scenarios, units

ROUTERS = [health.router, units.router, queries.router, listings.router, scenarios.router,
           export.router, problem_docs.router, pages.router]

"""The API's routers, in the order they are mounted."""

from api.routes import health, units

ROUTERS = [health.router, units.router]

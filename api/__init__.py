"""bomay's edge: the FastAPI app factory, its routes and schemas, and the CLI."""

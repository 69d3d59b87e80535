"""`bomay` viz commands (added to `api.cli.app` on import)."""

from api.cli import app, err, open_store, out  # noqa: F401

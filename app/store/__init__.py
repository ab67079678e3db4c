"""The SQLite store: connection, schema migrations, transactions, the audit chain."""

from .db import connect, write_transaction
from .schema import migrate, schema_version

__all__ = ["connect", "migrate", "schema_version", "write_transaction"]

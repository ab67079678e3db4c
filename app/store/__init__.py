"""The SQLite store: connection, schema migrations, transactions, the audit chain."""

from .db import connect, row_id, write_transaction
from .schema import migrate, schema_version

__all__ = ["connect", "migrate", "row_id", "schema_version", "write_transaction"]

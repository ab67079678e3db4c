"""gunicorn settings for the service (the README's run command uses these)."""

import os
import sys
from pathlib import Path

from gunicorn.glogging import Logger

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from app.edge.access_log import logged_path  # noqa: E402

bind = f"{os.environ.get('UNION_BIND', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
# Threads, not many processes: SQLite takes one writer at a time anyway, and threads
# share one live-tally cache per round. Two workers keep the hall alive if one stalls.
workers = int(os.environ.get("UNION_WORKERS", "2"))
threads = int(os.environ.get("UNION_THREADS", "16"))
worker_class = "gthread"
timeout = 60
# Tablets send a ballot every few seconds over one connection: keep it open between them,
# so that a reused connection is not closed under a request (a reset the tablet would
# have to resend).
keepalive = 30
accesslog = "-"
# Access lines show method, path and status only: no query strings, no bodies, and no
# time of day; the path is the route's pattern (`/api/ballots/<string:code>`), never the
# serial, person id or token in it (app/edge/access_log.py): nothing in the log names
# a ballot or a person (R10).
access_log_format = '"%(m)s %(U)s" %(s)s %(M)sms'


class RedactingLogger(Logger):
    """gunicorn's logger with the request path redacted in the access log."""

    def atoms(self, resp, req, environ, request_time):  # type: ignore[no-untyped-def]
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = logged_path(environ, atoms["U"])
        return atoms


logger_class = RedactingLogger

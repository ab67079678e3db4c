"""Access-log lines that name no ballot and no person (R10).

Request paths carry serials (`/api/ballots/K7Q2M-9XD3A`), person ids
(`/attendance/117`), enrollment tokens and print-job ids. In the order a log keeps them,
next to check-ins, they could help pair a delegate with a ballot. So the access log
(scripts/gunicorn.conf.py) writes the route's pattern instead of the path
(`/api/rounds/<int:round_id>/ballots/<string:serial>/resolve`), which `remember_route`
leaves in the WSGI environ; a request that matched no route has its path redacted: every
segment that is not a plain lower-case word becomes `*`.
"""

from __future__ import annotations

import re

from flask import request

ROUTE_KEY = "union.route"

_WORD = re.compile(r"^[a-z][a-z._-]{0,39}$")
# A typed serial may come in lower case and without digits: never keep one.
_SERIAL_LIKE = re.compile(r"^[0-9a-z]{5}-[0-9a-z]{5}$", re.IGNORECASE)


def remember_route() -> None:
    """Before each request: leave the matched route's pattern for the access log."""
    if request.url_rule is not None:
        request.environ[ROUTE_KEY] = request.url_rule.rule


def logged_path(environ: dict, path: str) -> str:
    """What the access log shows for a request: its route pattern, else the redacted path."""
    return environ.get(ROUTE_KEY) or redact_path(path)


def redact_path(path: str) -> str:
    """`path` with every segment that could identify a ballot or a person replaced by `*`."""
    parts = path.split("/")
    return "/".join(part if part == "" or (_WORD.match(part) and not _SERIAL_LIKE.match(part))
                    else "*" for part in parts)

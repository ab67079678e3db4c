"""gunicorn settings for the service (the README's run command uses these)."""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
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
# Access lines show method, path and status only: no query strings, no bodies, so no
# serial or name is ever written to the log next to anything that identifies a person.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(M)sms'

"""gunicorn, the production server on Linux: `gunicorn -c gunicorn.conf.py`.

gthread workers (threads share a process's engine pool; a slow photo upload holds one
thread, not a process), explicit limits and timeouts. Put a reverse proxy (nginx, a load
balancer) in front: it holds slow clients and terminates TLS. Each setting can be changed
with an environment variable (below) or on the command line (`--workers 8`).
Several app servers need CHALKMARK_DATABASE_URL on PostgreSQL, CHALKMARK_REDIS_URL (jobs,
rate limits, sessions) and the same CHALKMARK_SECRET_KEY, VAPID key and badge keys.
"""

import os

wsgi_app = "server:create_app()"
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
worker_class = "gthread"
# One process per core is a good start: Python runs one thread at a time per process.
workers = int(os.environ.get("GUNICORN_WORKERS", str(os.cpu_count() or 2)))
threads = int(os.environ.get("CHALKMARK_SERVE_THREADS", "8"))
# Connections one worker holds open at once (idle keep-alive ones included).
worker_connections = int(os.environ.get("CHALKMARK_SERVE_CONNECTION_LIMIT", "1000"))
backlog = int(os.environ.get("CHALKMARK_SERVE_BACKLOG", "2048"))
# A request running longer than this restarts its worker (uploads are chunked, so no
# single request should come close); idle keep-alive connections close after `keepalive`.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = int(os.environ.get("CHALKMARK_SERVE_CHANNEL_TIMEOUT", "30"))
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = 10_000
max_requests_jitter = 1_000
# Our request log (server/ops/requestlog.py) is the access log: one JSON line per request.
accesslog = None
errorlog = "-"
loglevel = "info"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server) -> None:
    """Refuse to start, as `chalkmark serve` does, if an issuer lost its badge key."""
    from server import create_app
    from server.badges.cli import refuse_without_keys

    app = create_app()
    with app.app_context():
        refuse_without_keys()
    app.extensions["db_engine"].dispose()


def post_worker_init(worker) -> None:
    from server.config import _flag
    from server.ops.requestlog import configure

    configure(_flag("REQUEST_LOG", True))

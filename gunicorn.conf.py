"""gunicorn settings, read from the environment: `gunicorn site_ordre.wsgi` picks this file up."""

import multiprocessing
import os

# Listen on HOST:PORT; HOST=0.0.0.0 behind a load balancer on another machine.
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Load the app once before forking: faster worker start, shared memory.
preload_app = True
# Recycle workers now and then so slow leaks never build up, but rarely: a new worker costs about
# 0.4 s of CPU before it is warm (connections, templates, translations, URL resolvers). At 1000 a
# worker serving cached pages (1000+ requests/s each) restarted every second and a page-cache hit
# cost 0.90 ms of server CPU instead of 0.53 (docs/deployment.md, "Worker recycling"). At 50,000
# that cost is under 0.01 ms a request, a busy worker restarts every minute or two and a quiet one
# about once a day; the jitter (10 %) keeps the workers from restarting together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
# ACCESS_LOG=off turns the access log off (e.g. when the proxy in front keeps one).
accesslog = None if os.environ.get("ACCESS_LOG", "-").lower() in ("off", "0", "") else os.environ.get("ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "warning").lower()
# The proxies whose X-Forwarded-* headers are trusted (the load balancer's addresses).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Heartbeat files in memory, not on a possibly slow disk (gunicorn's own advice for containers).
if os.path.isdir("/dev/shm"):  # noqa: S108
    worker_tmp_dir = "/dev/shm"  # noqa: S108

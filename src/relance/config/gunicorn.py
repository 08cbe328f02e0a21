"""Gunicorn's configuration (`gunicorn -c python:relance.config.gunicorn`, or `relance serve`).

Every value comes from the environment (docs/deploy.md). The defaults suit a small machine:
pages spend part of their time waiting on PostgreSQL, so each process serves several
requests at once with threads (gthread) rather than needing many processes' memory.
"""

import os

from relance.config.env import env_int

wsgi_app = "relance.config.wsgi:application"
bind = [address.strip() for address in os.environ.get("RELANCE_BIND", "127.0.0.1:8000").split(",")]

# WEB_CONCURRENCY is the usual name (Heroku, gunicorn's own default); one process per core.
workers = env_int("WEB_CONCURRENCY", os.cpu_count() or 1, minimum=1)
worker_class = "gthread"
threads = env_int("WEB_THREADS", 4, minimum=1)
# Loaded once in the master, then forked: less memory, and a broken release fails at once.
preload_app = True
# A request longer than this is killed and its worker replaced (exports stream within it).
timeout = env_int("WEB_TIMEOUT", 120, minimum=1)
graceful_timeout = 30
keepalive = 5
# Workers are recycled now and then, so that slow growth of memory never piles up.
max_requests = 2000
max_requests_jitter = 200
# No control socket (gunicorn 25+, in the home directory): nothing uses it, and two
# servers on one machine (a deployment and `make bench`) would fight over its path.
control_socket_disable = True
# Heartbeat files in memory: a slow disk never makes the master kill a healthy worker.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Access log on stdout, with the time taken in ms (%(M)s); errors on stderr. The logger
# writes callback tokens and secret query parameters as [redacted] (config/logging.py).
logger_class = "relance.config.logging.GunicornLogger"
accesslog = os.environ.get("WEB_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("WEB_LOG_LEVEL", "info")
access_log_format = '%(h)s - %(u)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
# Behind a reverse proxy on another address, list it so that X-Forwarded-* are believed
# (gunicorn reads FORWARDED_ALLOW_IPS itself; the default trusts 127.0.0.1 only).

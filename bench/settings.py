"""The application's settings plus a middleware that reports each request's queries and server time.

Used only by `make bench` (bench/run.py); the application never loads it.
"""

from __future__ import annotations

from send_tracker.settings import *  # noqa: F403
from send_tracker.settings import MIDDLEWARE

# Outermost, so the time and the queries include every other middleware (sessions, authentication, messages).
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]

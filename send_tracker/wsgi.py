"""WSGI entry point, used by gunicorn."""

import gc
import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application
from django.template.loader import get_template
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_tracker.settings")

try:
    application = get_wsgi_application()
except ImproperlyConfigured as exc:
    # Refuse to start with one clear sentence naming the setting, not a stack trace.
    sys.exit(f"Configuration error: {exc}")

# Load every view module (through the URLconf) and compile the base template while the worker starts, not in
# its first request: a new worker's first request took 0.7-1.4 s, mostly importing views and their libraries
# (spreadsheets, calendars, QR codes), and showed as the slowest requests of any page measured first.
get_resolver().url_patterns  # noqa: B018 (imports the URLconf and everything it includes)
get_template("base.html")

# Everything loaded so far lives as long as the worker: move it out of the garbage collector's reach. Otherwise
# each full collection walks all of Django and its libraries again, about 200 ms in the middle of a request.
gc.freeze()

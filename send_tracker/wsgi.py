"""WSGI entry point, used by gunicorn."""

import gc
import os
import sys
from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application
from django.template.loader import get_template
from django.urls import get_resolver, reverse

from send_tracker.working_days import load_bank_holidays

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_tracker.settings")

try:
    application = get_wsgi_application()
except ImproperlyConfigured as exc:
    # Refuse to start with one clear sentence naming the setting, not a stack trace.
    sys.exit(f"Configuration error: {exc}")

# Prepare everything a worker would otherwise do in its first requests, while it starts: it showed as the slowest
# requests of every page measured (bench/README.md). A new worker's first request took 0.7-1.4 s importing the
# views and their libraries (spreadsheets, calendars, QR codes); after that, the first request to each page still
# took twice as long as the next: the URL names' reverse table (about 50 ms), the bank-holiday calendar (about
# 150 ms) and compiling the page's templates (all 80 of them take about 60 ms).
get_resolver().url_patterns  # noqa: B018 (imports the URLconf and everything it includes)
reverse("home")
load_bank_holidays(range(date.today().year - 2, date.today().year + 3))
for template in sorted((settings.BASE_DIR / "templates").rglob("*.html")):
    get_template(str(template.relative_to(settings.BASE_DIR / "templates")))

# Everything loaded so far lives as long as the worker: move it out of the garbage collector's reach. Otherwise
# each full collection walks all of Django and its libraries again, about 200 ms in the middle of a request.
gc.freeze()

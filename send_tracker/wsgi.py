"""WSGI entry point, used by gunicorn."""

import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_tracker.settings")

try:
    application = get_wsgi_application()
except ImproperlyConfigured as exc:
    # Refuse to start with one clear sentence naming the setting, not a stack trace.
    sys.exit(f"Configuration error: {exc}")

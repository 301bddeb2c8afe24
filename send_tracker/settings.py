"""SEND Tracker settings.

Everything that differs between a laptop, CI and production comes from environment variables, each listed with
a one-line comment in `.env.example`. A malformed value stops start-up with a message naming the variable, so a
typo in a deployment never turns into a silently wrong setting.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean, refusing anything that is not clearly true or false."""
    raw = env.str(name, default=None)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (got {raw!r}).")


def env_int(name: str, default: int) -> int:
    raw = env.str(name, default=None)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (got {raw!r}).") from None


def env_url(name: str, default: str, schemes: tuple[str, ...]) -> str:
    raw = env.str(name, default=default).strip()
    parts = urlsplit(raw)
    if parts.scheme not in schemes or not (parts.netloc or parts.path):
        raise ImproperlyConfigured(
            f"{name} must be a URL starting with {' or '.join(s + '://' for s in schemes)} (got {raw!r})."
        )
    return raw


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "insecure-development-key-only-used-when-debug-is-on"

# Old keys still accepted for sessions and password-reset links while a new SECRET_KEY beds in (docs/operations.md).
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000", ("http", "https")).rstrip("/")
CSRF_TRUSTED_ORIGINS = [SITE_URL]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "simple_history",
    "django_tables2",
    "django_filters",
    "crispy_forms",
    "crispy_forms_gds",
    "rest_framework",
    "drf_spectacular",
    "accounts",
    "inspections",
    "actions",
    "reminders",
    "dashboards",
    "api",
    "calendars",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.sessions.IdleTimeoutMiddleware",
    # Marks request.user as verified when the session passed a second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Plan managers and administrators must enrol and use a second factor before anything else.
    "accounts.two_factor.TwoFactorPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Records who made each change in the audit history.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns a locked-out sign-in into the lockout page; keep it last.
    "axes.middleware.AxesMiddleware",
]

# The lockout backend comes first so a locked-out username and address never reach the password check.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "send_tracker.urls"
WSGI_APPLICATION = "send_tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "send_tracker.context_processors.service",
                "send_tracker.context_processors.navigation",
            ],
        },
    },
]

# Database: PostgreSQL 15 or later, nothing else (the queries use arrays, unnest and ArraySubquery). The default is
# the local server every development machine runs, with trust authentication; `make run` creates the database.
_database_url = env.str("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/send_tracker").strip()
# Only the scheme is echoed back: the rest of the URL may hold a password.
_database_scheme = urlsplit(_database_url).scheme
if _database_scheme not in ("postgres", "postgresql", "pgsql"):
    raise ImproperlyConfigured(
        f"DATABASE_URL must point at PostgreSQL (got a {_database_scheme or 'scheme-less'} URL): SEND Tracker needs "
        "PostgreSQL 15 or later. Set DATABASE_URL=postgres://user:password@host:5432/database in the environment "
        "or in .env."
    )
try:
    DATABASES = {"default": env.db_url_config(_database_url)}
except (ImproperlyConfigured, KeyError, ValueError) as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL SEND Tracker understands: {exc}") from None
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", 60)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
# Officers land on "My actions", everyone else on the home page (actions.views.after_sign_in).
LOGIN_REDIRECT_URL = "after_sign_in"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
# static/vendor/ is built from npm packages by scripts/build_assets.py and is not committed.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Evidence files live outside the static root and are only ever served through an access-checked view,
# never from a public URL (so there is no MEDIA_URL).
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = None

# Email: with no EMAIL_HOST, messages are written as files under var/mail/ so reminders work out of the box.
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# Without a timeout a stalled mail server would hold a worker forever.
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SEND Tracker <no-reply@send-tracker.invalid>")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="demo-password")

# Celery. With no REDIS_URL, kombu's filesystem transport under var/ needs no server, so `make run` needs no
# Redis. Settings: https://docs.celeryq.dev/en/stable/userguide/configuration.html
# The delivery ledger (reminders.models.Delivery) is the truth about what is owed; the broker only carries
# wake-up calls, so every setting below aims at "a crash redelivers, a redelivery is harmless".
REDIS_URL = env.str("REDIS_URL", default="")
# Redis has no real acks: an unacknowledged task comes back after this many seconds. Every time limit and
# retry delay below stays under it, or Redis would hand a task to a second worker while the first still holds
# it.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
if REDIS_URL:
    REDIS_URL = env_url("REDIS_URL", "", ("redis", "rediss"))
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
else:
    _queue_dir = VAR_DIR / "celery" / "queue"
    _queue_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        # Broadcast (control) messages too, or kombu writes a control/ folder into the working directory.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
# Results are never read: the delivery ledger in the database is the record of what was sent.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
# No results are stored, so beat need not schedule its nightly result clean-up task.
CELERY_RESULT_EXPIRES = None
# JSON only, so a message on the broker can never carry executable pickles.
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
# Acknowledge a task only when it has finished, so a worker that dies mid-task leaves the message to be
# redelivered. Safe because every task is idempotent: a delivery is claimed in the ledger before it is sent.
CELERY_TASK_ACKS_LATE = True
# A pool process killed by SIGKILL or the OOM killer would otherwise have its task acked and lost; requeue it.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Reserve one message at a time: with late acks, prefetched messages would sit behind a slow send, and a dead
# worker would strand several of them until the visibility timeout.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A stalled send is killed well before Redis would redeliver it (visibility timeout), so one send never runs
# twice at once. The soft limit lets the task record the failure first. EMAIL_TIMEOUT (30 s) normally fires
# earlier.
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", min(300, CELERY_VISIBILITY_TIMEOUT // 4))
CELERY_TASK_SOFT_TIME_LIMIT = max(1, CELERY_TASK_TIME_LIMIT - max(1, CELERY_TASK_TIME_LIMIT // 5))
# If the broker connection drops, stop running tasks: their messages will be redelivered anyway, and running
# on would risk a second copy running elsewhere.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Beat keeps its last-run times under var/ (or the container's working directory). Run exactly one beat.
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {
    # The daily sweep at 07:00 London time, before the working day starts (CELERY_TIMEZONE is Europe/London).
    "reminders-sweep": {"task": "reminders.tasks.sweep", "schedule": crontab(hour=7, minute=0)},
    # Boards and advisers read the weekly digest at the start of the week.
    "reminders-weekly-digest": {
        "task": "reminders.tasks.weekly_digest",
        "schedule": crontab(hour=8, minute=0, day_of_week="mon"),
    },
    # Re-enqueues rows a lost message left pending and settles rows a dead worker left sending; often enough
    # that a Redis flush delays reminders by minutes, not a day.
    "reminders-reaper": {"task": "reminders.tasks.reap", "schedule": crontab(minute="*/5")},
    # Board packs due today go to each area's chair, by the schedules administrators set in the admin.
    "dashboards-board-packs": {"task": "dashboards.tasks.board_packs_send_due", "schedule": crontab(hour=7, minute=30)},
}
# Delivery retries (reminders.services): exponential backoff with jitter from BASE, capped at MAX seconds,
# which must stay below the visibility timeout since a waiting retry is an unacknowledged message.
REMINDER_RETRY_BASE_SECONDS = env_int("REMINDER_RETRY_BASE_SECONDS", 60)
REMINDER_RETRY_MAX_SECONDS = min(env_int("REMINDER_RETRY_MAX_SECONDS", 600), CELERY_VISIBILITY_TIMEOUT // 2)
# Attempts per delivery (transient failures) before it is recorded as failed.
REMINDER_MAX_ATTEMPTS = env_int("REMINDER_MAX_ATTEMPTS", 8)
# A row "sending" for longer than the hard time limit plus a margin belongs to a dead worker and is sent
# again.
REMINDER_SENDING_STALE_SECONDS = env_int("REMINDER_SENDING_STALE_SECONDS", CELERY_TASK_TIME_LIMIT + 60)
# A row still pending this long after it was due to be sent lost its broker message; the reaper enqueues it
# again.
REMINDER_PENDING_GRACE_SECONDS = env_int("REMINDER_PENDING_GRACE_SECONDS", 600)
# Ledger rows per queue message: a worker sends them one by one over one mail connection.
REMINDER_BATCH_SIZE = env_int("REMINDER_BATCH_SIZE", 250)
# GOV.UK Notify (when NOTIFY_API_KEY is set): the email template whose subject is ((subject)) and body ((body)).
NOTIFY_EMAIL_TEMPLATE_ID = env.str("NOTIFY_EMAIL_TEMPLATE_ID", default="")
if REMINDER_SENDING_STALE_SECONDS <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("REMINDER_SENDING_STALE_SECONDS must be longer than CELERY_TASK_TIME_LIMIT.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every layout step of a board pack at INFO, and django-axes its version at every start-up
    # (its sign-in failure and lockout messages, from other loggers, stay at INFO).
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes.apps": {"level": "WARNING"},
    },
}

DJANGO_TABLES2_TEMPLATE = "tables/govuk_table.html"

API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", default="1000/hour").strip()
if not re.fullmatch(r"\d+/(second|minute|hour|day)", API_THROTTLE_RATE):
    raise ImproperlyConfigured(f"API_THROTTLE_RATE must look like 1000/hour (got {API_THROTTLE_RATE!r}).")

# REST API (/api/v1/): https://www.django-rest-framework.org/api-guide/settings/
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    # Per token (or per signed-in user in the browser), counted in the default cache: use a shared cache
    # (Redis) when more than one web process serves the API, or each process keeps its own count.
    "DEFAULT_THROTTLE_RATES": {"api": API_THROTTLE_RATE},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SEND Tracker API",
    "DESCRIPTION": "Local areas' SEND inspections, findings, improvement plans, actions, progress updates "
    "and measures, limited to the areas the caller can see.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ActionStatusEnum": "actions.models.Action.Status",
        "RagEnum": "actions.models.Action.Rag",
        "SettableRagEnum": "api.serializers.RAG_SETTABLE",
        "PlanStatusEnum": "actions.models.ActionPlan.Status",
    },
}
# Forms render as GOV.UK Design System components (error summary, date inputs, hints).
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Sign-in protection (django-axes). Lock a username only from the address it was guessed from, so one person's
# mistakes never lock out a whole council behind one NAT address; the lock lifts by itself after the cool-off.
# https://django-axes.readthedocs.io/en/latest/4_configuration.html
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lock lasts 15 minutes from the lockout, as the lockout page says, however often someone tries meanwhile.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "accounts.backends.client_ip"
# How many reverse proxies in front of the application append to X-Forwarded-For. 0 trusts only REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Sessions end after 30 minutes without a request: accounts.sessions.IdleTimeoutMiddleware pushes the expiry on
# (at most once a minute, rather than a write on every request with SESSION_SAVE_EVERY_REQUEST).
SESSION_COOKIE_AGE = 30 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Two-factor authentication (django-otp). The issuer is the name shown in the person's authenticator app.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="SEND Tracker")
# The admin never shows an authenticator's secret or QR code: with it, whoever can open the admin could copy
# another person's second factor.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Password reset links last one hour.
PASSWORD_RESET_TIMEOUT = 60 * 60

# Content Security Policy (django-csp 4): only this site's own files; no inline script or style anywhere.
# GOV.UK Frontend needs nothing else: its fonts, images and scripts are served from our static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Production (DEBUG off and an https SITE_URL): cookies only over HTTPS, redirect plain HTTP, and HSTS.
# Behind a TLS-terminating proxy, the proxy must set X-Forwarded-Proto.
PRODUCTION_HTTPS = SITE_URL.startswith("https://") and not DEBUG
if PRODUCTION_HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # The health check is called over plain HTTP from inside the deployment.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)

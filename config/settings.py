"""Settings for Seller–Leader Spectrum, driven by environment variables.

Safe defaults are for development on one machine. Production sets
DJANGO_ENV=production, which refuses to start without DJANGO_SECRET_KEY and
DJANGO_ALLOWED_HOSTS, and never runs with DEBUG on by accident.
"""

import os
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.database import database

BASE_DIR = Path(__file__).resolve().parent.parent
# The site's templates and static files: templates/ and static/ beside the
# packages in the checkout; inside the assessments package in an installed
# wheel, which has only packages (setup.py copies them there).
APP_DIR = BASE_DIR / "assessments"
SITE_FILES = BASE_DIR if (BASE_DIR / "templates").is_dir() else APP_DIR
TEMPLATES_DIR = SITE_FILES / "templates"


def env(name: str, default: str = "") -> str:
    """A variable's value; unset and empty both mean the default."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in env(name, default).split(",") if part.strip()]


ENVIRONMENT = env("DJANGO_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DJANGO_DEBUG", default=False) and not PRODUCTION

SECRET_KEY = env("DJANGO_SECRET_KEY")
if PRODUCTION and (len(SECRET_KEY) < 40 or "change-me" in SECRET_KEY):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set when DJANGO_ENV=production: at least 40 random "
        "characters, not the example's placeholder."
    )
if not SECRET_KEY:
    # Development only: a fixed key is fine because nothing real is signed with it.
    SECRET_KEY = "dev-insecure-0b7c1a4e9f2d4c6b8a3e5f7d9c1b3a5e"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    # The task engine: django.tasks' queue in the database, and its worker
    # (manage.py db_worker); crontask's scheduler (manage.py crontask)
    # enqueues the periodic jobs (docs/operations.md).
    "django_tasks_db",
    "crontask",
    "ratelimits",
    "assessments",
]

MIDDLEWARE = [
    # First, so every log line of a request, redirects and refusals included,
    # carries its id.
    "assessments.middleware.RequestId",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the cookie the switcher sets, else the browser's
    # Accept-Language; it sets Content-Language and Vary on the response.
    # Django's LocaleMiddleware without its search for a language in the path.
    "assessments.preferences.middleware.Locale",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in person's saved language and time zone win over the browser's.
    "assessments.preferences.middleware.Preferences",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # After CSP, so the page it renders carries the nonce of the header.
    "assessments.middleware.MethodNotAllowedPage",
    # Last, as django-axes asks: it turns a locked-out sign-in into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Listed first, so that ours beat the admin's registration templates.
        "DIRS": [TEMPLATES_DIR],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "assessments.context_processors.article",
                "assessments.context_processors.languages",
                "assessments.context_processors.roles",
            ],
            # Django's url tag, with constant addresses worked out once; templates
            # load "translations" and "addresses" for i18n and static alike
            # (assessments/templatetags/; docs/performance.md).
            "builtins": ["assessments.templatetags.addresses"],
        },
    },
]

# SQLite in the project folder unless DATABASE_URL (for example
# postgres://postgres@127.0.0.1:5432/spectrum) or POSTGRES_HOST and its parts
# say otherwise; persistent connections, or psycopg's pool with
# DJANGO_DB_POOL_SIZE (config/database.py, docs/operations.md).
DATABASES = {"default": database(os.environ, sqlite_path=BASE_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # Counts failed sign-ins in the database, so a lockout holds across
    # every gunicorn worker and app server.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend (permissions read in one query), which refuses
    # staff passwords when DJANGO_STAFF_PASSWORD_SIGN_IN is off.
    "assessments.accounts.backends.PasswordBackend",
    # Whom single sign-on signed in: it checks no password, and is named in
    # their session (assessments/accounts/sso.py).
    "assessments.accounts.backends.SingleSignOnBackend",
]
# Five failures for one username from one address lock that pair out for 15
# minutes: a cool-off, never a permanent lock that an attacker could use to
# shut someone out.
AXES_FAILURE_LIMIT = int(env("DJANGO_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("DJANGO_AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Participants stay signed in for two weeks; HR admins and managers, who can
# read other people's data, for eight hours (set at sign-in).
SESSION_COOKIE_AGE = 14 * 24 * 3600
STAFF_SESSION_AGE = int(env("DJANGO_STAFF_SESSION_SECONDS", str(8 * 3600)))

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:history"
LOGOUT_REDIRECT_URL = "taking:home"

# Single sign-on for staff (superusers, HR admins, managers) through the
# organisation's OpenID Connect provider (docs/operations.md). Off until an
# issuer and a client are set. Roles stay with the product: the provider
# says who someone is (a verified email address), never what they may do.
OIDC_ISSUER = env("DJANGO_OIDC_ISSUER")
OIDC_CLIENT_ID = env("DJANGO_OIDC_CLIENT_ID")
OIDC_CLIENT_SECRET = env("DJANGO_OIDC_CLIENT_SECRET")
OIDC_SCOPES = env("DJANGO_OIDC_SCOPES", "openid email profile")
OIDC_PROVIDER_NAME = env("DJANGO_OIDC_PROVIDER_NAME", "single sign-on")
# The claim that says the address is the person's: Entra ID sends no
# email_verified, but its optional claim xms_edov (docs/operations.md).
OIDC_EMAIL_VERIFIED_CLAIM = env("DJANGO_OIDC_EMAIL_VERIFIED_CLAIM", "email_verified")
SSO_ENABLED = bool(OIDC_ISSUER or OIDC_CLIENT_ID or OIDC_CLIENT_SECRET)
if SSO_ENABLED and not (OIDC_ISSUER and OIDC_CLIENT_ID and OIDC_CLIENT_SECRET):
    raise ImproperlyConfigured(
        "Single sign-on needs DJANGO_OIDC_ISSUER, DJANGO_OIDC_CLIENT_ID and "
        "DJANGO_OIDC_CLIENT_SECRET, all three."
    )
if SSO_ENABLED and "openid" not in OIDC_SCOPES.split():
    raise ImproperlyConfigured("DJANGO_OIDC_SCOPES must include openid.")
if SSO_ENABLED and PRODUCTION and not OIDC_ISSUER.startswith("https://"):
    raise ImproperlyConfigured("DJANGO_OIDC_ISSUER must be an https:// address in production.")
# Off: staff sign in only through single sign-on, and their passwords are
# refused everywhere (the sign-in page, the admin's); participants keep theirs.
STAFF_PASSWORD_SIGN_IN = env_bool("DJANGO_STAFF_PASSWORD_SIGN_IN", default=True)
if not STAFF_PASSWORD_SIGN_IN and not SSO_ENABLED:
    raise ImproperlyConfigured(
        "DJANGO_STAFF_PASSWORD_SIGN_IN=false leaves staff no way in without single sign-on: "
        "set DJANGO_OIDC_ISSUER, DJANGO_OIDC_CLIENT_ID and DJANGO_OIDC_CLIENT_SECRET too."
    )

# The organisation's language: pages for a browser that asks for none this
# site speaks, and the emails of people who never chose one.
LANGUAGE_CODE = env("DJANGO_LANGUAGE_CODE", "en")
# The languages the whole product speaks: every page, email and the default
# bank. A bank version may offer fewer (BankVersion.languages).
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"DJANGO_LANGUAGE_CODE={LANGUAGE_CODE!r} is not one of the site's languages: "
        + ", ".join(code for code, _name in LANGUAGES)
    )
LOCALE_PATHS = [APP_DIR / "locale"]
# Dates, times and numbers by the reader's language: English keeps the
# product's day-month-year (config/formats/en), German takes Django's.
FORMAT_MODULE_PATH = ["config.formats"]
# The organisation's time zone: emails, participants' pages and HR pages of
# staff who chose none show times in it. Times are stored in UTC.
TIME_ZONE = env("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic gathers the files and where npm put its packages: the
# checkout's by default; the image, whose app is an installed wheel, names its own.
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
NODE_MODULES = Path(env("DJANGO_NODE_MODULES", str(BASE_DIR / "node_modules")))
# Third-party front-end files come from npm at set-up (package.json) and are
# served by the app itself: no CDN sees who takes the assessment. In a wheel
# the site's own are in assessments/static, which the app finder finds.
STATICFILES_DIRS = [
    *([BASE_DIR / "static"] if SITE_FILES == BASE_DIR else []),
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist" / "css"),
    ("vendor/plotly", NODE_MODULES / "plotly.js-basic-dist-min"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed names let browsers cache plotly.js for a year; compressed
        # copies (gzip and brotli) keep the first load small.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
WHITENOISE_MAX_AGE = 3600

# Per-process memory is enough: cached dashboards are keyed by the version
# of their figures, so no server ever reads a stale one, whatever the others
# have seen. Nothing that must be shared between servers lives here.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Requests per hour, counted in the database so that every worker and
# server shares one count (ratelimits/limits.py); 0 turns a limit off. Each
# join or reset request can put an email in someone's mailbox, so those are
# tight per address. Per client they allow a workshop room behind one NAT
# address: starting is an anonymous POST that writes a row, and one room may
# start a few hundred in an hour.
RATE_LIMITS = {
    "join-email": int(env("DJANGO_RATE_JOIN_PER_EMAIL", "3")),
    "join-client": int(env("DJANGO_RATE_JOIN_PER_CLIENT", "60")),
    "reset-email": int(env("DJANGO_RATE_RESET_PER_EMAIL", "3")),
    "reset-client": int(env("DJANGO_RATE_RESET_PER_CLIENT", "20")),
    # Each PDF of a result is a browser render of a second or so.
    "pdf-client": int(env("DJANGO_RATE_PDF_PER_CLIENT", "120")),
    "start-client": int(env("DJANGO_RATE_START_PER_CLIENT", "300")),
}

# The Chromium that prints results as PDF (assessments/taking/pdf.py);
# without it the download answers 503 and points to the browser's Print.
PDF_CHROMIUM_PATH = env("PDF_CHROMIUM_PATH", "/usr/bin/chromium")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# A submission of every answer is a few kilobytes; anything much larger is
# not a person answering questions.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(env("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", str(64 * 1024)))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# Email goes to the console in development unless DJANGO_EMAIL_HOST names an
# SMTP server; production always uses SMTP (a local relay by default).
if env("DJANGO_EMAIL_HOST") or PRODUCTION:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("DJANGO_EMAIL_HOST", "localhost"),
                "port": int(env("DJANGO_EMAIL_PORT", "587")),
                "username": env("DJANGO_EMAIL_HOST_USER"),
                "password": env("DJANGO_EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", default=True),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
# Where the accessibility statement asks people to report a barrier; without
# one it points them to the HR team that invited them.
ACCESSIBILITY_CONTACT = env("DJANGO_ACCESSIBILITY_CONTACT", "")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "Seller–Leader Spectrum <noreply@localhost>")

# Background work: Django's tasks framework with the queue in the database
# (SQLite or PostgreSQL, no broker), run by `manage.py db_worker`; the
# periodic jobs are enqueued by `manage.py crontask` (assessments/tasks.py,
# docs/operations.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# How long a worker's claim on a batch of emails lasts without progress
# before another worker may take its emails; each email sent renews it.
OUTBOX_LEASE_SECONDS = int(env("DJANGO_OUTBOX_LEASE_SECONDS", "300"))
# Tries of one email before it is shown as failed, with the wait before
# each retry.
OUTBOX_RETRY_DELAYS = [timedelta(minutes=m) for m in (1, 5, 30, 120)]
# The address of the site in links that emails sent by the engine carry
# (scheduled reminders): there is no request to take it from. In
# production, https:// and the first name of DJANGO_ALLOWED_HOSTS unless set.
_named_hosts = [h for h in ALLOWED_HOSTS if h and not h.startswith(".") and "*" not in h]
SITE_URL = env(
    "DJANGO_SITE_URL",
    (f"https://{_named_hosts[0]}" if _named_hosts else "")
    if PRODUCTION
    else "http://127.0.0.1:8000",
).rstrip("/")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = int(env("DJANGO_SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
BEHIND_TLS_PROXY = env_bool("DJANGO_BEHIND_TLS_PROXY")
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies of ours add themselves to X-Forwarded-For. Behind the TLS
# proxy every request comes from its address, which would put all clients in
# one count, so it defaults to 1 there (the proxy must append the address it
# saw, or the client could name any address); 0 counts by REMOTE_ADDR alone.
RATE_LIMIT_TRUSTED_PROXIES = int(env("DJANGO_TRUSTED_PROXIES", "1" if BEHIND_TLS_PROXY else "0"))
# The health check comes from inside the container, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Every script is a static file, so no inline script is allowed. plotly.js
# writes inline style attributes when it draws, hence 'unsafe-inline' for
# styles only.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# One JSON object per line in production, for log collectors; readable
# lines in development. DJANGO_LOG_FORMAT overrides either. Every line logged
# while a request is handled carries its id (assessments.middleware.RequestId);
# gunicorn's access lines carry it too (config/gunicorn.py).
LOG_FORMAT = env("DJANGO_LOG_FORMAT", "json" if PRODUCTION else "plain")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be json or plain, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
            "defaults": {"request_id": "-"},
        },
        "json": {"()": "config.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    # The scheduler's own bookkeeping (a line every five seconds); what it
    # enqueues shows in the worker's lines.
    "loggers": {"apscheduler": {"level": "WARNING"}},
}

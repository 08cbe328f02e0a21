"""One settings file, driven by the environment, with safe defaults for the demo.

DEBUG defaults to on so that `make demo` works with nothing set; production sets DEBUG=false
and then must give SECRET_KEY and ALLOWED_HOSTS.
"""

import os
from datetime import timedelta
from pathlib import Path

import csp.constants
from django.core.exceptions import ImproperlyConfigured

from relance.config import env

SRC_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(os.environ.get("RELANCE_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("RELANCE_VAR", BASE_DIR / "var")).resolve()

DEBUG = env.env_bool("DEBUG", True)
SECRET_KEY = env.secret_key(DEBUG, VAR_DIR)
SECRET_KEY_FALLBACKS = env.env_list("SECRET_KEY_FALLBACKS", [])
ALLOWED_HOSTS = env.env_list(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "testserver"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS: required when DEBUG is off")
CSRF_TRUSTED_ORIGINS = env.env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "anymail",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "auditlog",
    "relance.core",
    "relance.countries",
    "relance.accounts",
    "relance.customers",
    "relance.ledger",
    "relance.banking",
    "relance.templating",
    "relance.scenarios",
    "relance.segments",
    "relance.engine",
    "relance.agenda",
    "relance.activity",
    "relance.delivery",
    "relance.configuration",
    "relance.analytics",
    "relance.insights",
    "relance.alerts",
    "relance.webhooks",
    "relance.demo",
    "relance.audit",
    "relance.portal",
    "relance.payments",
    "relance.assistant",
    "relance.inbound",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Records the logged-in user as the actor of the audit trail's entries (relance.audit).
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A NUL character in a parameter answers 400 (PostgreSQL refuses it: a 500 otherwise).
    "relance.core.middleware.RefuseNulMiddleware",
    # A session that still owes its second factor (or its enrolment) reaches nothing else.
    "relance.accounts.middleware.TwoFactorMiddleware",
    # Last, as django-axes asks: it turns a lockout into the login page saying when to retry.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "relance.config.urls"
WSGI_APPLICATION = "relance.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "relance.agenda.context_processors.unhandled_responses",
            ],
        },
    },
]

DATABASES = {"default": env.database(f"sqlite:///{VAR_DIR / 'relance.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        # WAL lets pages read while an import writes; the timeout waits out short write locks.
        {"timeout": 30, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    if str(DATABASES["default"]["NAME"]).startswith(str(VAR_DIR)):
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Covering indexes (INCLUDE) serve PostgreSQL; SQLite builds them without those columns.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The JIT compiles the aggregate sorts of the customer list for seconds and saves nothing.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked username or address
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes, docs/accounts.md): a username is locked after
# AXES_FAILURE_LIMIT failures, an address after AXES_IP_FAILURE_LIMIT failures whatever the
# usernames (an office behind one address is not locked by one person's typos), both for
# AXES_COOLOFF_MINUTES after the last failure. `relance unlock` lifts a lock at once.
AXES_FAILURE_LIMIT = env.env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_IP_FAILURE_LIMIT = env.env_int("AXES_IP_FAILURE_LIMIT", 20, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env.env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # order read by accounts/lockout.py
AXES_HANDLER = "relance.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "relance.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout do not push its end further: the page can say when to retry.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
# Behind a reverse proxy, the client's address is the one it appends to X-Forwarded-For;
# without one, X-Forwarded-For is ignored (anyone can write it).
AXES_IPWARE_PROXY_COUNT = env.env_int("TRUSTED_PROXY_COUNT", 0) or None
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Two-factor authentication (django-otp): the issuer names the account in the
# authenticator app.
OTP_TOTP_ISSUER = os.environ.get("OTP_ISSUER", "Relance")
RECOVERY_CODE_COUNT = 10

# Audit trail (relance.audit): a foreign key is logged as the name of what it pointed to then.
AUDITLOG_USE_FK_STRING_REPRESENTATION = True

LANGUAGE_CODE = "en"
# Endonyms, untranslated: the switcher names each language as its readers do. The same list
# as relance.core.choices.Language (a test checks it).
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("it", "Italiano"),
    ("nl", "Nederlands"),
    ("pt", "Português"),
    ("pt-br", "Português (Brasil)"),
    ("pl", "Polski"),
    ("ro", "Română"),
    ("hr", "Hrvatski"),
    ("sv", "Svenska"),
    ("tr", "Türkçe"),
    ("ja", "日本語"),
    ("zh-hans", "简体中文"),
]
LOCALE_PATHS = [SRC_DIR / "locale"]
# One short and one long date form per language (relance/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["relance.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end packages come from npm at install time (`make install`), never copied into the repo.
NODE_MODULES = Path(os.environ.get("RELANCE_NODE_MODULES", SRC_DIR.parent.parent / "node_modules"))
STATICFILES_DIRS = [
    SRC_DIR / "static",
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/jodit", NODE_MODULES / "jodit" / "es2021"),
    ("vendor/tom-select", NODE_MODULES / "tom-select" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
# The assistant's fitted model (relance.assistant.model): trained on first use when missing.
ASSISTANT_MODEL_PATH = Path(
    os.environ.get("RELANCE_ASSISTANT_MODEL", VAR_DIR / "assistant" / "model.joblib")
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # STATIC_MANIFEST=true (production, docs/deploy.md): hashed names, cached for ever by
    # browsers; every page then needs `collectstatic` to have run with it.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.env_bool("STATIC_MANIFEST", False)
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

EMAIL = env.email("console://")
# django-anymail: the provider's settings from EMAIL_URL (anymail+<esp>://…) and the basic
# auth its tracking webhooks must send; /anymail/<esp>/tracking/ answers, for that provider
# only, when that secret is set (delivery/webhooks.py).
ANYMAIL = {**EMAIL.pop("ANYMAIL", {})}
ANYMAIL.update(env.anymail_webhooks(EMAIL["EMAIL_BACKEND"], ANYMAIL))
locals().update(EMAIL)
del EMAIL
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "relance@localhost")
# The customer's page (docs/portal.md): the address its links start with, and the posts a
# link or an address may make per window before the page answers 429.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
PORTAL_POST_RATE = os.environ.get("PORTAL_POST_RATE", "20/h")

# Online payment from the customer's page (docs/payments.md): offered only with a secret key;
# the webhook refuses every event without its signing secret. STRIPE_API_BASE: tests' fake.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "").strip()
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "").strip()
STRIPE_API_BASE = (
    os.environ.get("STRIPE_API_BASE", "").strip().rstrip("/") or "https://api.stripe.com"
)
if not STRIPE_API_BASE.startswith(("https://", "http://")):
    raise ImproperlyConfigured("STRIPE_API_BASE: expected an https:// address")

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS_CACHE_URL = os.environ.get("CACHE_URL", "")
if REDIS_CACHE_URL:
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_CACHE_URL,
    }

# Processes planning one `relance run` on PostgreSQL (0: one per core). SQLite has a
# single writer: its runs stay in one process.
ENGINE_PROCESSES = env.env_int("RELANCE_ENGINE_PROCESSES", 0)
# The niceness of background work (the engine's planning processes, the Celery worker and
# beat of `relance serve`): on a machine that also serves pages, they yield the processor
# to people waiting on a page (0: same priority).
BACKGROUND_NICE = env.env_int("RELANCE_BACKGROUND_NICE", 10, minimum=0)

# A bank statement of up to this many credit lines is matched within the upload's request;
# a longer one in the background, its page showing the phase (docs/bank.md, "Measured").
BANK_SYNC_IMPORT_LINES = env.env_int("RELANCE_BANK_SYNC_IMPORT_LINES", 30)

# Mail server sessions a batch of emails is handed over on at once, on PostgreSQL
# (delivery/services.py): each in a thread with its own database connection; the server's
# answers are waited for in parallel. After a crash, at most this many groups of 20
# messages were in flight; those that never left are lost, reported as not confirmed
# (docs/engine.md, "The outbox").
SMTP_SESSIONS = env.env_int("RELANCE_SMTP_SESSIONS", 2, minimum=1)

# The send tick (engine/sendtick.py): every this many minutes, the due automatic actions
# (confirmed, retried) leave within each entity's sending hours. With a broker Celery beat
# runs it; without one, a thread started with the server does (`SEND_TICK_IN_PROCESS`).
SEND_TICK_MINUTES = env.env_int("RELANCE_SEND_TICK_MINUTES", 5, minimum=1)
SEND_TICK_IN_PROCESS = env.env_bool("RELANCE_SEND_TICK_IN_PROCESS", True)

# Celery: without a broker every task runs eagerly in process, so the demo needs nothing else.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Chords (a run's rounds, engine/tasks.py) need a result backend: the broker's Redis.
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or CELERY_BROKER_URL or None
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # a task whose worker died is delivered again
# Redis hands an unacknowledged task to another worker after this many seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"

# The API (docs/api.md): personal tokens for programs, the session for the browser (the
# Swagger UI); errors as RFC 9457 problem+json; cursor pagination; a rate limit per token.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "relance.accounts.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "relance.accounts.api.permissions.CanEditOrReadOnly",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["relance.accounts.api.authentication.ApiTokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_token": os.environ.get("API_RATE_LIMIT", "1200/minute")},
    "DEFAULT_PAGINATION_CLASS": "relance.core.api.pagination.IdCursorPagination",
    "DEFAULT_FILTER_BACKENDS": ["relance.core.api.filters.UserFilterBackend"],
    "EXCEPTION_HANDLER": "relance.core.api.problems.problem_exception_handler",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Relance API",
    "VERSION": "0.1.0",
    # The schema and its Swagger UI are for logged-in users (config/urls.py), and the UI comes
    # from this installation (drf-spectacular-sidecar), never from a CDN.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge from the online validator (swagger.io) either.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "ENUM_NAME_OVERRIDES": {
        "StepChannelEnum": "relance.scenarios.choices.StepChannel",
        "ResponseChannelEnum": "relance.agenda.choices.ResponseChannel",
    },
}

DJANGO_TABLES2_TEMPLATE = "relance/table.html"

if not DEBUG:
    SESSION_COOKIE_SECURE = env.env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# HTTPS (docs/deploy.md, "Security settings"): off unless set, since a redirect or HSTS on a
# site not yet served over HTTPS locks its users out; production sets all of them.
SECURE_SSL_REDIRECT = env.env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env.env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env.env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = env.proxy_ssl_header()
# /healthz answers the load balancer over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]

# Content-Security-Policy (django-csp): scripts only from this site or with the page's
# nonce, never inline or eval'd (htmx's eval is off: base.html); styles may be inline, for
# Jodit, Bootstrap's components and the Swagger UI set style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.constants.SELF],
        "script-src": [csp.constants.SELF, csp.constants.NONCE],
        "style-src": [csp.constants.SELF, csp.constants.UNSAFE_INLINE],
        # Images in the email templates may come from the company's site (a logo).
        "img-src": [csp.constants.SELF, "data:", "https:"],
        "font-src": [csp.constants.SELF, "data:"],
        "connect-src": [csp.constants.SELF],
        "frame-src": [csp.constants.SELF],
        "frame-ancestors": [csp.constants.SELF],
        "object-src": [csp.constants.NONE],
        "base-uri": [csp.constants.SELF],
        "form-action": [csp.constants.SELF],
    },
}
# The customer's page posts "Pay by card", then redirects to Stripe: browsers hold that
# redirect to form-action (docs/payments.md).
if STRIPE_SECRET_KEY:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append("https://checkout.stripe.com")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Callback tokens and other secrets in URLs never reach a log line (config/logging.py).
    "filters": {"redact": {"()": "relance.config.logging.RedactSecrets"}},
    "formatters": {
        "server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact"]},
        "server": {"class": "logging.StreamHandler", "formatter": "server", "filters": ["redact"]},
    },
    "loggers": {
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
        "django.request": {"filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

"""ZEL settings, read from the environment (django-environ).

Every variable has a default that works for `make run` (SQLite, eager Celery, console e-mail),
except in production mode (ZEL_ENV=production) where missing secrets stop start-up.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

ZEL_ENV = env.str("ZEL_ENV", default="development")
PRODUCTION = ZEL_ENV == "production"
# Demo mode (`make run`): the login page lists the demo accounts with one-click sign-in and fills the
# demo TOTP code. Never in production: the system check zel.E001 refuses it (zel/checks.py).
ZEL_DEMO_MODE = env.bool("ZEL_DEMO_MODE", default=False)
# The accounts the login page offers in demo mode (README lists them, with their roles).
ZEL_DEMO_ACCOUNTS = env.list("ZEL_DEMO_ACCOUNTS", default=[
    "travailleur", "psychologue", "responsable", "copil", "copil-presidente", "contentieux", "huissier",
    "financeur", "admin"])
# The demo runs with DEBUG off, like production, so that visitors see ZEL's own French 403/404/500
# pages and never Django's English debug pages (model names, URL patterns). DEBUG=true still works.
DEBUG = env.bool("DEBUG", default=not PRODUCTION and not ZEL_DEMO_MODE)

if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("ZEL_ENV=production refuses DEBUG=True.")
if DEBUG or (ZEL_DEMO_MODE and not PRODUCTION):
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
else:
    try:
        SECRET_KEY = env.str("SECRET_KEY")
    except ImproperlyConfigured as exc:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.") from exc

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Reverse proxies (addresses or networks, e.g. 10.0.0.5,172.18.0.0/16) whose X-Forwarded-For header is
# believed: the access log and the login lockout then record the client's address, not the proxy's.
# Empty (the default): the header is ignored, REMOTE_ADDR is the client.
ZEL_TRUSTED_PROXIES = env.list("ZEL_TRUSTED_PROXIES", default=[])

INSTALLED_APPS = [
    # The admin site requires a verified second factor (accounts.admin_site.ZelAdminSite).
    "accounts.apps.ZelAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "django_celery_beat",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "phonenumber_field",
    "accounts",
    "zel.apps.ZelConfig",
    "households",
    "support",
    "copil",
    "litigation",
    "reports",
    # Transactional outbox of background tasks (zel/outbox): dispatched on commit and by a beat sweep.
    "zel.outbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads a GET parameter: NUL and other control characters are stripped.
    "zel.middleware.QueryStringCleaningMiddleware",
    # Outside the others on the way out: no middleware after it may loosen a download's caching.
    "zel.middleware.DownloadNoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "zel.middleware.AdminCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zel.locale.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "zel.middleware.IdleSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "zel.middleware.OTPRequiredMiddleware",
    "zel.middleware.DatabaseOutageMiddleware",
    # Last, as django-axes requires: turns a locked-out login attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zel.urls"
WSGI_APPLICATION = "zel.wsgi.application"

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
                "zel.context_processors.navigation",
                "support.context_processors.offline",
            ],
            "builtins": ["zel.templatetags.zel_format", "zel.templatetags.zel_forms", "zel.templatetags.zel_nav"],
        },
    },
]

# Database: SQLite file by default (development and demos only), PostgreSQL through DATABASE_URL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("ZEL_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if not env.bool("ZEL_PG_JIT", default=False):
        # JIT compilation costs 50-150 ms on the list counts (measured, docs/benchmarks.md) and
        # never pays back on short OLTP queries: off for the application's connections.
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# Scale-out (docs/scaling.md): a read replica that report computations may read from (only through
# zel.db_router.reading_from_replica(); every other read stays on the primary).
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {**env.db("DATABASE_REPLICA_URL"),
                            "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
                            "CONN_HEALTH_CHECKS": True,
                            "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
                            "TEST": {"MIRROR": "default"}}
    DATABASE_ROUTERS = ["zel.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses any attempt on a locked-out account before the password is even checked.
    "accounts.backends.LockoutBackend",
    "accounts.backends.ZelModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.LettersAndDigitsValidator"},
]
SESSION_COOKIE_AGE = env.int("ZEL_SESSION_AGE", default=60 * 60 * 4)
SESSION_SAVE_EVERY_REQUEST = False
# Stateless web tier (docs/scaling.md): sessions in the database (default) or in a shared Redis
# cache, so any gunicorn replica serves any request. "cache" and "cached_db" need ZEL_CACHE_URL.
ZEL_CACHE_URL = env.str("ZEL_CACHE_URL", default="")
if ZEL_CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": ZEL_CACHE_URL,
                          "KEY_PREFIX": "zel"}}
SESSION_BACKENDS = {"db": "django.contrib.sessions.backends.db",
                    "cache": "django.contrib.sessions.backends.cache",
                    "cached_db": "django.contrib.sessions.backends.cached_db"}
ZEL_SESSION_BACKEND = env.str("ZEL_SESSION_BACKEND", default="db")
if ZEL_SESSION_BACKEND not in SESSION_BACKENDS:
    raise ImproperlyConfigured(f"ZEL_SESSION_BACKEND must be one of {', '.join(SESSION_BACKENDS)}.")
if ZEL_SESSION_BACKEND != "db" and not ZEL_CACHE_URL:
    # A per-process memory cache would log users out whenever another replica answers.
    raise ImproperlyConfigured(f"ZEL_SESSION_BACKEND={ZEL_SESSION_BACKEND} needs ZEL_CACHE_URL (redis://…).")
SESSION_ENGINE = SESSION_BACKENDS[ZEL_SESSION_BACKEND]
# Logged out after this much inactivity (zel.middleware.IdleSessionMiddleware); the activity stamp
# is rewritten at most once a minute, so a page view does not always cost a session write.
ZEL_SESSION_IDLE_SECONDS = env.int("ZEL_SESSION_IDLE_SECONDS", default=30 * 60)
ZEL_SESSION_TOUCH_SECONDS = 60
# Absolute cap: logged out this long after the login, however active (zel.middleware.IdleSessionMiddleware).
ZEL_SESSION_ABSOLUTE_SECONDS = env.int("ZEL_SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)

# Login lockout (django-axes): 5 failures for one user name FROM ONE CLIENT lock that pair for 15
# minutes, so that nobody can lock a colleague out from elsewhere with 5 wrong passwords; the social
# workers of one association share an outgoing address, but a lock needs the user name too.
# Above that, a ceiling per user name whatever the clients (ZEL_LOGIN_USERNAME_CEILING failures within
# the cool-off, accounts.backends.LockoutBackend) stops a distributed guess at one account.
AXES_FAILURE_LIMIT = env.int("ZEL_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("ZEL_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
ZEL_LOGIN_USERNAME_CEILING = env.int("ZEL_LOGIN_USERNAME_CEILING", default=30)
# The client's address as the access log sees it (X-Forwarded-For only from ZEL_TRUSTED_PROXIES).
AXES_CLIENT_IP_CALLABLE = "zel.audit.client_ip"
# Password reset (accounts.views.RateLimitedPasswordResetView, django-ratelimit): per address and per
# client. The counters live in the default cache: set ZEL_CACHE_URL (Redis) when several processes
# serve the site, otherwise each process counts on its own.
ZEL_PASSWORD_RESET_RATE_ADDRESS = env.str("ZEL_PASSWORD_RESET_RATE_ADDRESS", default="3/h")
ZEL_PASSWORD_RESET_RATE_CLIENT = env.str("ZEL_PASSWORD_RESET_RATE_CLIENT", default="20/h")
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_ENABLE_ADMIN = True
AXES_VERBOSE = False

# Two-factor authentication (django-otp, TOTP with backup codes). Required for these roles (and for
# the admin site); available to everybody from the profile page. ZEL_OTP_ENFORCED=false switches the
# requirement off (tests of the other apps, emergencies), never the optional enrolment.
ZEL_OTP_REQUIRED_ROLES = env.list(
    "ZEL_OTP_REQUIRED_ROLES", default=["manager", "copil_member", "funder", "administrator"])
ZEL_OTP_ENFORCED = env.bool("ZEL_OTP_ENFORCED", default=True)
OTP_TOTP_ISSUER = "ZEL"

# RGPD retention: a household file whose support ended (or was refused) more than this many years
# ago is anonymised by the daily job (households.retention), unless a procedure is still open.
# Default 2 years after the last contact: CNIL référentiel « durées de conservation » du secteur social
# et médico-social (délibération n° 2023-095 du 14 septembre 2023, JO du 15 novembre 2023), building on
# the référentiel « accompagnement social » (délibération n° 2021-028 du 11 mars 2021).
ZEL_RETENTION_YEARS = env.int("ZEL_RETENTION_YEARS", default=2)
# Key of the keyed hashes (HMAC-SHA256) kept in place of identifiers that retention erases, e.g. an
# anonymised lease's reference, so that the landlord's next rent export is recognised without the
# reference being stored (zel.pseudonym). Empty: derived from SECRET_KEY with a dedicated salt. Set it
# explicitly in production and never change it: rotating SECRET_KEY would otherwise make the monthly
# import fail again on every lease anonymised before the rotation.
ZEL_PSEUDONYM_KEY = env.str("ZEL_PSEUDONYM_KEY", default="")
# Funder organisations (codes, comma-separated) that asked for the row-level export; "*": every funder.
ZEL_ROW_EXPORT_FUNDERS = env.list("ZEL_ROW_EXPORT_FUNDERS", default=["*"])
# The live dashboard recomputes its figures in the background once they are older than this.
ZEL_DASHBOARD_MAX_AGE_MINUTES = env.int("ZEL_DASHBOARD_MAX_AGE_MINUTES", default=10)
# Connections a report (or the live dashboard) computes its figures on at once, all reading one
# snapshot (zel.lib.shared_snapshot): about the database server's cores. 0: one connection, in order.
ZEL_REPORT_CONNECTIONS = env.int("ZEL_REPORT_CONNECTIONS", default=2)
# Memory each sort or grouping of those connections may use before spilling to disk (PostgreSQL's
# work_mem, for the report's transactions only; docs/benchmarks.md: 168 s with the server's 4 MB,
# 141 s with 256 MB at 10⁶). A grouping may take twice this (hash_mem_multiplier), on each connection.
# Empty: the server's own.
ZEL_REPORT_WORK_MEM = env.str("ZEL_REPORT_WORK_MEM", default="256MB")

# Internationalisation: French first, English available.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["zel.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("ZEL_STATIC_ROOT", default=str(VAR_DIR / "static"))
STORAGES = {
    # Private files (procedure documents, PDFs) live outside the web root and are only served by
    # views that check permissions; there is deliberately no MEDIA_URL route.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and not ZEL_DEMO_MODE
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# The demo (DEBUG off, no collectstatic) has WhiteNoise serve the files straight from the apps.
WHITENOISE_USE_FINDERS = DEBUG or ZEL_DEMO_MODE
WHITENOISE_AUTOREFRESH = DEBUG or ZEL_DEMO_MODE
MEDIA_ROOT = env.path("ZEL_MEDIA_ROOT", default=str(VAR_DIR / "private"))
# Private files in an S3-compatible bucket (docs/scaling.md) when ZEL_S3_BUCKET is set: every web and
# worker replica then sees the same files. Objects stay private; views stream them after the check.


def s3_storage(getenv) -> dict:
    """The STORAGES entry of an S3-compatible bucket, from the ZEL_S3_* variables read by `getenv(name)`
    (a function, so that the tests build the same entry for a server of their own)."""
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": getenv("ZEL_S3_BUCKET"),
        "endpoint_url": getenv("ZEL_S3_ENDPOINT_URL") or None,
        "region_name": getenv("ZEL_S3_REGION") or None,
        "access_key": getenv("ZEL_S3_ACCESS_KEY_ID") or None,
        "secret_key": getenv("ZEL_S3_SECRET_ACCESS_KEY") or None,
        "location": getenv("ZEL_S3_PREFIX") or "private",
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }}


ZEL_S3_BUCKET = env.str("ZEL_S3_BUCKET", default="")
if ZEL_S3_BUCKET:
    STORAGES["default"] = s3_storage(lambda name: env.str(name, default=""))
MEDIA_URL = "/private/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ZEL <no-reply@zel.invalid>")
ZEL_SITE_URL = env.str("ZEL_SITE_URL", default="http://127.0.0.1:8000")

# E-mail provider (issue 15): EMAIL_URL (console by default) unless ZEL_EMAIL_PROVIDER names an
# anymail backend; its key comes from ZEL_EMAIL_API_KEY (and, for Mailjet, ZEL_EMAIL_API_SECRET;
# Amazon SES reads the usual AWS_* variables or the instance role).
ZEL_EMAIL_PROVIDER = env.str("ZEL_EMAIL_PROVIDER", default="").lower()
_ANYMAIL_BACKENDS = {"brevo": "anymail.backends.brevo.EmailBackend",
                     "mailjet": "anymail.backends.mailjet.EmailBackend",
                     "amazon_ses": "anymail.backends.amazon_ses.EmailBackend"}
if ZEL_EMAIL_PROVIDER:
    if ZEL_EMAIL_PROVIDER not in _ANYMAIL_BACKENDS:
        raise ImproperlyConfigured(f"ZEL_EMAIL_PROVIDER must be one of {', '.join(_ANYMAIL_BACKENDS)}.")
    EMAIL_BACKEND = _ANYMAIL_BACKENDS[ZEL_EMAIL_PROVIDER]
    ANYMAIL = {
        "brevo": {"BREVO_API_KEY": env.str("ZEL_EMAIL_API_KEY", default="")},
        "mailjet": {"MAILJET_API_KEY": env.str("ZEL_EMAIL_API_KEY", default=""),
                    "MAILJET_SECRET_KEY": env.str("ZEL_EMAIL_API_SECRET", default="")},
        "amazon_ses": {"AMAZON_SES_CLIENT_PARAMS": {"region_name": env.str("ZEL_EMAIL_REGION", default="eu-west-3")}},
    }[ZEL_EMAIL_PROVIDER]

# SMS provider (zel/lib/sms.py): "console" prints the messages, "brevo" is Brevo's transactional SMS API.
ZEL_SMS_BACKEND = env.str("ZEL_SMS_BACKEND", default="console").lower()
ZEL_SMS_API_KEY = env.str("ZEL_SMS_API_KEY", default="")
ZEL_SMS_API_URL = env.str("ZEL_SMS_API_URL", default="https://api.brevo.com/v3/transactionalSMS/sms")
ZEL_SMS_SENDER = env.str("ZEL_SMS_SENDER", default="ZEL")
# The provider calls /accompagnement/rappels/sms/?cle=<this> with delivery reports and replies ("STOP").
ZEL_SMS_WEBHOOK_SECRET = env.str("ZEL_SMS_WEBHOOK_SECRET", default="")
if ZEL_SMS_BACKEND == "brevo" and not ZEL_SMS_API_KEY:
    raise ImproperlyConfigured("ZEL_SMS_BACKEND=brevo needs ZEL_SMS_API_KEY.")

# Appointment reminders (support.reminders): hours before the appointment, sending window (Europe/Paris),
# retry delays in seconds after a provider error (then the message is marked failed).
ZEL_REMINDER_HOURS_BEFORE = env.int("ZEL_REMINDER_HOURS_BEFORE", default=48)
ZEL_REMINDER_WINDOW = (env.int("ZEL_REMINDER_WINDOW_START", default=9), env.int("ZEL_REMINDER_WINDOW_END", default=19))
# Sundays and public holidays of the département are closed; off only for a test on any day.
ZEL_REMINDER_QUIET_DAYS = env.bool("ZEL_REMINDER_QUIET_DAYS", default=True)
ZEL_REMINDER_RETRY_SECONDS = [int(x) for x in env.list("ZEL_REMINDER_RETRY_SECONDS", default=["60", "300", "1800"])]

PHONENUMBER_DEFAULT_REGION = "FR"
PHONENUMBER_DB_FORMAT = "E164"

# Celery: with no broker the tasks run eagerly, in-process (embedded default).
_BROKER = env.str("CELERY_BROKER_URL", default=env.str("REDIS_URL", default=""))
CELERY_TASK_ALWAYS_EAGER = not _BROKER
# Eager mode still builds a broker connection object: an in-memory one, rather than a default AMQP host.
CELERY_BROKER_URL = _BROKER or "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task whose worker died unacknowledged is delivered again after this delay (Redis transport).
# It must exceed the longest task (reports, minutes PDFs: minutes, not hours).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("ZEL_CELERY_VISIBILITY_TIMEOUT", default=3600)}
# `make run` passes CELERY_BROKER_URL=filesystem:// and starts one worker next to runserver
# (manage.py rundemo): a broker that needs no server, a queue made of files under var/celery/, so that
# a report request returns at once and its page follows the progress, as in production.
if CELERY_BROKER_URL.startswith("filesystem://"):
    _QUEUE_DIR = Path(env.str("ZEL_CELERY_QUEUE_DIR", default=str(VAR_DIR / "celery" / "queue")))
    _PROCESSED_DIR = _QUEUE_DIR.parent / "processed"
    for _folder in (_QUEUE_DIR, _PROCESSED_DIR):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS.update({
        "data_folder_in": str(_QUEUE_DIR), "data_folder_out": str(_QUEUE_DIR),
        "processed_folder": str(_PROCESSED_DIR), "store_processed": False})
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE: dict = {}  # each app adds its entries in zel/schedule.py

# Winter truce (CPCE L.412-6): configurable because governments have extended it before.
ZEL_TRUCE_START = env.str("ZEL_TRUCE_START", default="11-01")
ZEL_TRUCE_END = env.str("ZEL_TRUCE_END", default="03-31")
ZEL_PAGE_SIZE = 25

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("ZEL_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("ZEL_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("ZEL_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "accounts.views.csrf_failure"

# Content-Security-Policy (django-csp 4): no inline script, no inline style, nothing from elsewhere.
# The QR code of the two-factor enrolment is an SVG data: URI, hence img-src data:.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# The admin's relaxation (zel.middleware.AdminCSPMiddleware): the sha256 of each known inline script
# of the admin pages (django-celery-beat 2.9 change_periodictask_form.html). A new version changing
# the script shows up in tests/e2e/test_phone_walk.py (admin add pages without CSP violation).
ZEL_ADMIN_SCRIPT_HASHES = ["sha256-oudE0UIc/Vujzmj8kP49z5sGsJaJOew2nhDdXrZCbCM="]

from zel.schedule import BEAT_SCHEDULE  # noqa: E402

CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE

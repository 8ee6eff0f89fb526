"""Settings shared by every run mode. The environment is read here and nowhere else.

The defaults give the *embedded* mode: SQLite, kombu's filesystem broker and media under ``var/``,
so the application runs with nothing but Python. ``DATABASE_URL`` and ``REDIS_URL`` switch to
PostgreSQL and Redis. ``dev``, ``test`` and ``production`` only change defaults on top of this.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env("BRANDHUB_VAR_DIR", default=str(BASE_DIR / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)
# The PDFs' base font, made once (``manage.py prepare_fonts``) and read by every process.
PDF_FONT_DIR = Path(env("BRANDHUB_FONT_DIR", default=str(VAR_DIR / "fonts")))

SECRET_KEY = env("DJANGO_SECRET_KEY", default=None)
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # modeltranslation must come before django.contrib.admin to patch its forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "brandhub",
    "brands",
    "campaigns",
    "campaigns.publishing",
    "campaigns.tracking",
    "campaigns.notifications",
    "campaigns.results",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "brandhub.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes last: it turns a lockout raised during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "brandhub.urls"
WSGI_APPLICATION = "brandhub.wsgi.application"
AUTH_USER_MODEL = "brandhub.User"

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
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "campaigns.notifications.context_processors.notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'brandhub.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; a busy timeout instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

# --- Redis: cache and broker ----------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # Short timeouts: a Redis that stops answering (not only one that refuses connections) must not hang a page.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
else:
    # Shared between web, worker and beat processes without a server.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    CELERY_BROKER_URL = "filesystem://"
    # kombu's transport with messages renamed into place when whole (brandhub/broker.py says why).
    CELERY_BROKER_TRANSPORT = "brandhub.broker:Transport"
    # kombu's filesystem transport: in and out must be the same folder; all must exist before start.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    # The embedded mode's folders must exist before the web process, the worker or beat starts.
    for _folder in ("queue", "processed", "control"):
        (VAR_DIR / "celery" / _folder).mkdir(parents=True, exist_ok=True)

CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Publishing: beat ticks the dispatcher; an item claimed more than LATE_AFTER after its hour is marked late; one
# left in "publishing" STUCK seconds after its task was queued is queued again.
PUBLISH_TICK_SECONDS = env.int("PUBLISH_TICK_SECONDS", default=15)
PUBLISH_LATE_AFTER_SECONDS = env.int("PUBLISH_LATE_AFTER_SECONDS", default=300)
PUBLISH_STUCK_SECONDS = env.int("PUBLISH_STUCK_SECONDS", default=120)
# A manual go-live not confirmed this long after its hour is flagged to managers on the publishing desk.
PUBLISH_CONFIRM_ESCALATE_SECONDS = env.int("PUBLISH_CONFIRM_ESCALATE_SECONDS", default=1800)
# Tracking: the redirect appends raw scans to a spool file of its process; with Redis, a thread of the process
# moves them onto a Redis list within 50 ms. The flush task moves them into the database every few seconds.
TRACKING_FLUSH_SECONDS = env.int("TRACKING_FLUSH_SECONDS", default=5)
TRACKING_SPOOL_DIR = Path(env("TRACKING_SPOOL_DIR", default=str(VAR_DIR / "scans")))
TRACKING_SPOOL_DIR.mkdir(parents=True, exist_ok=True)
# A rejected brand proposal keeps its uploaded (private) images this many days, so the proposer can see what
# was refused; then the images are deleted and the proposal shows "image no longer stored".
PROPOSAL_IMAGE_RETENTION_DAYS = env.int("PROPOSAL_IMAGE_RETENTION_DAYS", default=30)
# Webhooks (brandhub.api.webhooks): beat ticks the outbox relay (events are also relayed at once after their
# commit); deliveries time out fast and are retried WEBHOOK_MAX_ATTEMPTS times in all, BASE seconds after the
# first failure and 4 times longer each time (1 min … 17 h: about 23 h), then go to the dead letter. A task not
# finished LEASE seconds after it was sent is sent again. Private, loopback and link-local addresses are refused
# unless WEBHOOK_ALLOW_PRIVATE_ADDRESSES (dev and test allow them: their receivers run on 127.0.0.1).
WEBHOOK_TICK_SECONDS = env.float("WEBHOOK_TICK_SECONDS", default=5)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=5)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=7)
WEBHOOK_RETRY_BASE_SECONDS = env.float("WEBHOOK_RETRY_BASE_SECONDS", default=60)
WEBHOOK_LEASE_SECONDS = env.float("WEBHOOK_LEASE_SECONDS", default=60)
WEBHOOK_LOG_DAYS = env.int("WEBHOOK_LOG_DAYS", default=30)
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=False)
# Empty: the default queue. Set (e.g. "webhooks") with a worker for it, so slow receivers never delay publishing.
WEBHOOK_QUEUE = env("WEBHOOK_QUEUE", default="")
# Notifications (campaigns.notifications): mailed after their commit; what is not mailed GRACE seconds after it was
# written (broker down, message lost) is sent by the sweep, which also retries failed mails RETRY_BASE seconds later,
# 4 times longer each time, MAX_ATTEMPTS in all. The daily run (digest of items due within DIGEST_DAYS and not
# approved, to staff; material reminders BRAND_DUE_DAYS ahead, to brand users) starts at DAILY_HOUR China time.
NOTIFY_SWEEP_SECONDS = env.int("NOTIFY_SWEEP_SECONDS", default=60)
NOTIFY_MAIL_GRACE_SECONDS = env.int("NOTIFY_MAIL_GRACE_SECONDS", default=60)
NOTIFY_RETRY_BASE_SECONDS = env.int("NOTIFY_RETRY_BASE_SECONDS", default=60)
NOTIFY_MAIL_MAX_ATTEMPTS = env.int("NOTIFY_MAIL_MAX_ATTEMPTS", default=6)
NOTIFY_DAILY_HOUR = env.int("NOTIFY_DAILY_HOUR", default=8)
NOTIFY_DAILY_TICK_SECONDS = env.int("NOTIFY_DAILY_TICK_SECONDS", default=900)
NOTIFY_DIGEST_DAYS = env.int("NOTIFY_DIGEST_DAYS", default=3)
NOTIFY_BRAND_DUE_DAYS = env.int("NOTIFY_BRAND_DUE_DAYS", default=3)
# Results (campaigns.results.report_mail): last month's PDF report mailed to each brand's users from the 1st at
# REPORT_MAIL_HOUR in each person's own time zone; beat looks every TICK seconds, for DAYS days after the 1st (a beat
# that was down, a brand whose results were imported on the 3rd, still get their mail then).
RESULTS_REPORT_MAIL_HOUR = env.int("RESULTS_REPORT_MAIL_HOUR", default=8)
RESULTS_REPORT_MAIL_DAYS = env.int("RESULTS_REPORT_MAIL_DAYS", default=7)
RESULTS_REPORT_MAIL_TICK_SECONDS = env.int("RESULTS_REPORT_MAIL_TICK_SECONDS", default=900)
# Beat's frequent ticks (the dispatcher, the scan flush, the outbox relay) have a queue of their own, which every
# worker reads besides the default one, taking the two in turns: a tick waits for at most one task, never behind a
# backlog (10,000 publish tasks at the Double 11 midnight), which would make it expire unrun and leave the rest of
# the due items unclaimed, the scans unflushed and the events unrelayed until the backlog drained.
CELERY_TASK_DEFAULT_QUEUE = "celery"
TICK_QUEUE = "ticks"
CELERY_TASK_QUEUES = (Queue(CELERY_TASK_DEFAULT_QUEUE), Queue(TICK_QUEUE))
CELERY_BEAT_SCHEDULE = {
    # Ticks that wait in the broker while workers are down expire: the next tick claims everything due anyway.
    "publishing-dispatch": {
        "task": "campaigns.publishing.tasks.publications_dispatch",
        "schedule": timedelta(seconds=PUBLISH_TICK_SECONDS),
        "options": {"expires": PUBLISH_TICK_SECONDS, "queue": TICK_QUEUE},
    },
    "publishing-campaigns-done": {
        "task": "campaigns.publishing.tasks.campaigns_mark_done",
        "schedule": timedelta(hours=1),
    },
    # Scans wait in Redis (or the spool folder) until this moves them into the database in batches.
    "tracking-flush": {
        "task": "campaigns.tracking.tasks.scans_flush",
        "schedule": timedelta(seconds=TRACKING_FLUSH_SECONDS),
        "options": {"expires": TRACKING_FLUSH_SECONDS, "queue": TICK_QUEUE},
    },
    # The outbox relay: relays events whose kick was lost, sends due retries, re-sends deliveries left behind.
    "webhooks-relay": {
        "task": "brandhub.api.webhooks.tasks.outbox_relay",
        "schedule": timedelta(seconds=WEBHOOK_TICK_SECONDS),
        "options": {"expires": WEBHOOK_TICK_SECONDS, "queue": WEBHOOK_QUEUE or TICK_QUEUE},
    },
    "webhooks-prune": {
        "task": "brandhub.api.webhooks.tasks.outbox_prune",
        "schedule": timedelta(hours=24),
        **({"options": {"queue": WEBHOOK_QUEUE}} if WEBHOOK_QUEUE else {}),
    },
    "notifications-sweep": {
        "task": "campaigns.notifications.tasks.notifications_sweep",
        "schedule": timedelta(seconds=NOTIFY_SWEEP_SECONDS),
        "options": {"expires": NOTIFY_SWEEP_SECONDS},
    },
    # Does something once a day (from NOTIFY_DAILY_HOUR China time); ticking often catches up after an outage.
    "notifications-daily": {
        "task": "campaigns.notifications.tasks.notifications_daily",
        "schedule": timedelta(seconds=NOTIFY_DAILY_TICK_SECONDS),
        "options": {"expires": NOTIFY_DAILY_TICK_SECONDS},
    },
    # Once a month (from the 1st, RESULTS_REPORT_MAIL_HOUR in each person's zone); ticking often catches up.
    "results-report-mails": {
        "task": "campaigns.results.tasks.report_mails_monthly",
        "schedule": timedelta(seconds=RESULTS_REPORT_MAIL_TICK_SECONDS),
        "options": {"expires": RESULTS_REPORT_MAIL_TICK_SECONDS},
    },
    # Safety net: scores are recomputed on every edit and on every rule change; this catches
    # anything written outside the services (a raw SQL fix, a restored backup).
    "brand-completeness-refresh": {
        "task": "brands.tasks.brand_completeness_refresh_all",
        "schedule": timedelta(hours=6),
    },
    "brand-proposal-images-expire": {
        "task": "brands.tasks.proposal_images_expire",
        "schedule": timedelta(hours=24),
    },
}

# --- Auth and sessions ----------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions expire after this much idle time: every request pushes the expiry forward.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=2 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lock an account+address pair out after repeated failures (django-axes).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False

# Password-reset mails: at most this many per address and per client address in each period (seconds).
# Counted in the cache; beyond a limit, or when the cache cannot be reached, no mail is sent and the page is
# the same as always (brandhub.ratelimit).
PASSWORD_RESET_LIMIT_PER_EMAIL = env.int("PASSWORD_RESET_LIMIT_PER_EMAIL", default=3)
PASSWORD_RESET_LIMIT_PER_CLIENT = env.int("PASSWORD_RESET_LIMIT_PER_CLIENT", default=10)
PASSWORD_RESET_LIMIT_PERIOD = env.int("PASSWORD_RESET_LIMIT_PERIOD", default=3600)

# --- Security headers -----------------------------------------------------------------------
# Only our own origin: this is also what keeps pages loading in China (no CDN, no foreign fonts).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("it", _("Italian")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our own number and date formats where Django's differ from what readers expect (brandhub/formats/ says which).
FORMAT_MODULE_PATH = ["brandhub.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
STAFF_TIME_ZONE = "Asia/Shanghai"
# Content a Chinese consumer or partner reads is kept in these three languages (modeltranslation).
MODELTRANSLATION_DEFAULT_LANGUAGE = "it"
MODELTRANSLATION_LANGUAGES = ("it", "en", "zh-hans")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "it"), "zh-hans": ("en", "it")}

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# plotly.js (the results charts) is served from the installed ``plotly`` package, one file only: see
# campaigns/results/finders.py.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "campaigns.results.finders.PlotlyFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Private files (creatives: ``private/``) are handed out after an access check, for this long at most: as a
# presigned S3 URL's lifetime, and as the browser's private cache lifetime for files served from disk.
PRIVATE_MEDIA_URL_SECONDS = env.int("PRIVATE_MEDIA_URL_SECONDS", default=300)
# Behind nginx, private files from disk are sent by nginx: the app answers with X-Accel-Redirect to this
# internal location, which must map to MEDIA_ROOT (see README).
MEDIA_X_ACCEL_REDIRECT = env.bool("MEDIA_X_ACCEL_REDIRECT", default=False)
MEDIA_X_ACCEL_PREFIX = env("MEDIA_X_ACCEL_PREFIX", default="/internal-media/")
# More than one web host: uploads on S3-compatible storage shared by all of them (brandhub.storage).
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
MEDIA_ORIGINS: list[str] = []  # Where pages load uploaded images from besides our own origin (CSP img-src).
if AWS_STORAGE_BUCKET_NAME:
    _endpoint = env("AWS_S3_ENDPOINT_URL", default="") or None
    _region = env("AWS_S3_REGION_NAME", default="") or None
    # Path style by default on S3-compatible servers (MinIO, Ceph …): they rarely have a host name per bucket.
    _addressing = env("AWS_S3_ADDRESSING_STYLE", default="path" if _endpoint else "") or None
    _custom_domain = env("AWS_S3_CUSTOM_DOMAIN", default="") or None
    STORAGES["default"] = {
        "BACKEND": "brandhub.storage.MediaS3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": _endpoint,
            "region_name": _region,
            "addressing_style": _addressing,
            # Unset: boto3's own chain (instance role, ~/.aws) supplies them.
            "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
            "signature_version": "s3v4",
            "custom_domain": _custom_domain,
            "public_acl": env("AWS_PUBLIC_ACL", default=""),
            "private_url_seconds": PRIVATE_MEDIA_URL_SECONDS,
        },
    }
    if _custom_domain:
        MEDIA_ORIGINS.append(f"https://{_custom_domain}")
    if _endpoint:
        _scheme, _host = _endpoint.rstrip("/").split("://", 1)
        _host = _host.split("/", 1)[0]
        MEDIA_ORIGINS.append(
            f"{_scheme}://{AWS_STORAGE_BUCKET_NAME}.{_host}" if _addressing == "virtual" else f"{_scheme}://{_host}"
        )
    else:
        MEDIA_ORIGINS.append(f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com")
        if _region:
            MEDIA_ORIGINS.append(f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{_region}.amazonaws.com")
CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] = [SELF, "data:", *MEDIA_ORIGINS]

# Uploaded images: refused above these limits before Pillow decodes any pixel.
IMAGE_MAX_BYTES = env.int("IMAGE_MAX_BYTES", default=10 * 1024 * 1024)
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=40_000_000)
# Larger uploads are spooled to disk by Django, never held whole in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
# Results' file import (platform exports are streamed to disk and read row by row: a million rows is ~100 MB).
RESULTS_IMPORT_MAX_BYTES = env.int("RESULTS_IMPORT_MAX_BYTES", default=200 * 1024 * 1024)

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="helloITA Brand Hub <noreply@helloita.example>")

# --- HTTPS (production turns these on) -------------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0)
# Behind a proxy that terminates HTTPS: trust its X-Forwarded-Proto, and take the client's address from the
# last X-Forwarded-For entry (the one our proxy added) for per-client limits.
BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None

# Absolute URLs in API documents (image renditions) start with this.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
# Printed in QR codes: a short host of our own (codes outlive a change of the console's address).
TRACKING_BASE_URL = env("TRACKING_BASE_URL", default=PUBLIC_BASE_URL)
DEMO_PASSWORD = env("DEMO_PASSWORD", default="")

# --- Partner REST API -----------------------------------------------------------------------------
API_REALM = "helloITA Brand Hub"
API_PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 200
API_RATE_LIMIT = env.int("API_RATE_LIMIT", default=600)  # requests per key ...
API_RATE_PERIOD = env.int("API_RATE_PERIOD", default=60)  # ... per this many seconds
# POST /api/v1/metrics/ reads its body itself, up to this size (not DATA_UPLOAD_MAX_MEMORY_SIZE, 5 MB): 10,000 facts
# with every field, 200-character row keys and pretty-printed JSON come to about 9 MB.
METRICS_PUSH_MAX_BYTES = env.int("METRICS_PUSH_MAX_BYTES", default=16 * 1024 * 1024)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["brandhub.api.auth.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["brandhub.api.policies.ScopePermission"],
    "DEFAULT_THROTTLE_CLASSES": ["brandhub.api.policies.ApiKeyRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "brandhub.api.policies.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "helloITA Brand Hub partner API",
    "DESCRIPTION": (
        "Brand data of the Italian Trade Agency's helloITA brand hub, the Chinese shopping calendar, the published "
        "content of its campaigns (the partner feed) and webhook endpoints, for partner platforms. Version 1: "
        "fields are only ever added within v1; anything removed or changed in meaning comes as /api/v2/, and v1 "
        "keeps running for at least 12 months after v2 is announced."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The webhook event types appear in several serializers (endpoint, event, delivery): one enum, one name.
    "ENUM_NAME_OVERRIDES": {"WebhookEventTypeEnum": "brandhub.api.webhooks.api.EVENT_TYPES"},
}
# Days before an item goes out that its material is due, when its campaign has no festival lead time.
CONTENT_DEFAULT_LEAD_DAYS = env.int("CONTENT_DEFAULT_LEAD_DAYS", default=14)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

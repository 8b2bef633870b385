"""Settings for the « Ordre de protéger » site, read from the environment.

Production-safe by default: DEBUG is off unless set, SECRET_KEY is required outside
debug, cookies are secure unless SITE_HTTPS=0. Every variable is listed in README.md.
"""

import os
from pathlib import Path

import dj_database_url

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean from the environment ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated list from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for a local run).")
    SECRET_KEY = "insecure-debug-only-key"  # noqa: S105 - only reachable with DEBUG on

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation must come before every app that has a translation.py
    "wagtail_modeltranslation",
    "wagtail_modeltranslation.makemigrations",
    "wagtail_modeltranslation.migrate",
    "home",
    "professions",
    "protection",
    "search",
    "ops",
    "blog",
    "contact",
    "translations",
    "links",
    "barometer",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "axes",
    "django_ratelimit",
]

MIDDLEWARE = [
    # Compresses HTML and JSON (whitenoise precompresses static files); Django's version pads
    # responses against BREACH. First, so that it sees the final body.
    "django.middleware.gzip.GZipMiddleware",
    # A page-cache hit returns here, before the rest; what it stores carries every header below.
    "ops.middleware.PageCacheMiddleware",
    "ops.middleware.CacheHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "ops.middleware.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Reads on the replica, and read-only mode while the primary is down (ops/database/).
    "ops.database.middleware.DatabaseModeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "translations.middleware.AdminLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Django's CSRF check; for Wagtail pages it runs once the page is known (see ops.middleware).
    "ops.middleware.PageCsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ops.middleware.CachedSiteMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last: a view that reads the replica runs outside the primary's request transaction.
    "ops.database.middleware.ReplicaViewMiddleware",
]

ROOT_URLCONF = "site_ordre.urls"
WSGI_APPLICATION = "site_ordre.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# The embedded default (SQLite file) suits a local run; production and CI set DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DATABASE_IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
# A failed request rolls back everything it wrote (no half-published page).
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "site_ordre",
            # A cache outage must not take the site down: errors are ignored and logged.
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
        # Local memory is per process: the cache generation (ops/cache/) lives in files so that a
        # publish handled by one gunicorn worker invalidates the pages cached by the others.
        "generation": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR") or str(BASE_DIR / ".cache" / "generation"),
        },
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: French first (gettext and modeltranslation default), English second.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_LANGUAGES = ("fr", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("fr",)}
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français"), ("en", "English")]
TIME_ZONE = "America/Toronto"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
MEDIA_URL = "/media/"
# Django serves uploaded files itself only for a local run (make run sets it); never in production.
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=DEBUG)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "Ordre de protéger"
WAGTAILADMIN_USER_LOGIN_FORM = "translations.admin_labels.LoginForm"  # its password label in French
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")

# E-mail goes through Django's backend: SMTP when EMAIL_HOST is set, else printed on the console
# (the quick start). Messages to the public link to SITE_BASE_URL.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Ordre de protéger <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_BASE_URL = os.environ.get("SITE_BASE_URL", WAGTAILADMIN_BASE_URL).rstrip("/")
# Wagtail's backend serves only the admin's search; the public search runs its own SQL over
# search.SearchEntry (search/query.py).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "pptx", "txt", "xlsx"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Wagtail's automatic redirects cover the active language only: translations/redirects.py does both.
WAGTAILREDIRECTS_AUTO_CREATE = False

# HTTPS is the default outside a local run; SITE_HTTPS=0 serves plain http (local run only).
SITE_HTTPS = env_bool("SITE_HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = SITE_HTTPS
CSRF_COOKIE_SECURE = SITE_HTTPS
LANGUAGE_COOKIE_SECURE = SITE_HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
if SITE_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Public comments: at most this many sends per IP address (django-ratelimit's syntax). The
# counter lives in the cache: set REDIS_URL when several processes serve the site.
BLOG_COMMENT_RATE = os.environ.get("BLOG_COMMENT_RATE", "5/10m")
# …and per form token: a cached post gives every visitor the same token, so this also bounds one
# token replayed from many addresses (a visitor stopped by it gets a fresh token of their own).
BLOG_COMMENT_TOKEN_RATE = os.environ.get("BLOG_COMMENT_TOKEN_RATE", "5/10m")
# The same text (ignoring case, accents, spacing and punctuation) on the same post is refused for this long.
BLOG_COMMENT_DUPLICATE_HOURS = int(os.environ.get("BLOG_COMMENT_DUPLICATE_HOURS", "24"))
# The contact form (contact/): the same defences as comments, and how long messages are kept.
CONTACT_RATE = os.environ.get("CONTACT_RATE", "5/h")
CONTACT_TOKEN_RATE = os.environ.get("CONTACT_TOKEN_RATE", "10/10m")
CONTACT_DUPLICATE_HOURS = int(os.environ.get("CONTACT_DUPLICATE_HOURS", "24"))
CONTACT_MESSAGE_DAYS = int(os.environ.get("CONTACT_MESSAGE_DAYS", "180"))
# A commenter's address (given only to be told of the team's reply) is deleted once used, or after
# this many days if nobody replied (manage.py process_comment_emails, from cron).
BLOG_COMMENT_EMAIL_DAYS = int(os.environ.get("BLOG_COMMENT_EMAIL_DAYS", "90"))
# The trust barometer: votes one address may send (django-ratelimit's syntax), counted in the cache
# under a keyed hash of the address that changes every day (barometer.views.address_key).
BAROMETER_VOTE_RATE = os.environ.get("BAROMETER_VOTE_RATE", "5/h")
# Behind a reverse proxy every visitor shares the proxy's REMOTE_ADDR: name the header it sets.
RATELIMIT_IP_META_KEY = os.environ.get("RATELIMIT_IP_META_KEY") or None
# security.W003 looks for Django's CSRF middleware by name; ours is a subclass that runs the same
# check (ops.middleware.PageCsrfViewMiddleware).
SILENCED_SYSTEM_CHECKS = ["security.W003"]
if not REDIS_URL:
    # The local-memory cache counts per process; fine for one process (local run, tests).
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003", "django_ratelimit.W001"]

# The link checker (`manage.py check_links`, run by cron): deep links (register, syndic) are shown
# only when their last check passed within LINK_CHECK_MAX_AGE_DAYS. LINK_CHECK_ALLOWED_HOSTS, when
# set, limits the hosts it may fetch (the tests allow 127.0.0.1 only). It never fetches an internal
# address (loopback, private, link-local…) unless the host is named in LINK_CHECK_INTERNAL_HOSTS
# (tests, local runs; empty in production). LINK_CHECK_TIMEOUT bounds each request as a whole
# (DNS, connect, TLS, headers); at most LINK_CHECK_MAX_BYTES are read from one answer.
LINK_CHECK_MAX_AGE_DAYS = int(os.environ.get("LINK_CHECK_MAX_AGE_DAYS", "7"))
LINK_CHECK_TIMEOUT = float(os.environ.get("LINK_CHECK_TIMEOUT", "10"))
LINK_CHECK_HOST_DELAY = float(os.environ.get("LINK_CHECK_HOST_DELAY", "2"))
LINK_CHECK_ALLOWED_HOSTS = [host.lower() for host in env_list("LINK_CHECK_ALLOWED_HOSTS")]
LINK_CHECK_INTERNAL_HOSTS = [host.lower() for host in env_list("LINK_CHECK_INTERNAL_HOSTS")]
LINK_CHECK_MAX_BYTES = int(os.environ.get("LINK_CHECK_MAX_BYTES", "262144"))
LINK_CHECK_USER_AGENT = f"OrdreDeProteger-LinkCheck/1.0 (+{WAGTAILADMIN_BASE_URL})"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Production: caching, security headers, faults, scale-out (docs/deployment.md) ---------------

if REDIS_URL:
    # Sessions read from Redis, written through to the database: shared by every app server
    # and not lost if Redis goes down.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Anonymous page views and menu fragments, invalidated at once by any publish (ops/cache/).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# Shared caches (Varnish, a CDN): how long they may keep an anonymous page (purged on publish),
# serve it stale while fetching a fresh copy, and serve it stale when the site is down.
CDN_CACHE_SECONDS = int(os.environ.get("CDN_CACHE_SECONDS", "300"))
CDN_STALE_WHILE_REVALIDATE_SECONDS = 60
CDN_STALE_IF_ERROR_SECONDS = 86400

SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if DATABASE_IS_POSTGRES:
    # Fail fast when the database is unreachable: /healthz and the 503 page answer within seconds.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(
        os.environ.get("DATABASE_CONNECT_TIMEOUT", "5")
    )

# Read replica: anonymous GET/HEAD reads go to it, everything else to the primary. While the primary
# is unreachable the site is read-only (from the replica); the failure is remembered this long.
DATABASE_PRIMARY_RETRY_SECONDS = float(os.environ.get("DATABASE_PRIMARY_RETRY_SECONDS", "5"))
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if DATABASES["replica"]["ENGINE"].endswith("postgresql"):
        # A replica that does not answer is skipped quickly (reads go to the primary).
        DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = int(
            os.environ.get("DATABASE_REPLICA_CONNECT_TIMEOUT", "2")
        )
    DATABASE_ROUTERS = ["ops.database.router.PrimaryReplicaRouter"]

# Search statistics (search/query_log.py): buffered in the cache and written every SEARCH_LOG_BATCH
# searches (and by `flush_search_queries`); past SEARCH_LOG_MAX_WAITING waiting, new ones are dropped
# and counted. The texts are kept SEARCH_QUERY_RETENTION_DAYS (`purge_search_queries`).
SEARCH_LOG_BATCH = int(os.environ.get("SEARCH_LOG_BATCH", "20"))
SEARCH_LOG_MAX_WAITING = int(os.environ.get("SEARCH_LOG_MAX_WAITING", "10000"))
SEARCH_QUERY_RETENTION_DAYS = int(os.environ.get("SEARCH_QUERY_RETENTION_DAYS", "90"))
WAGTAILSEARCH_HITS_MAX_AGE = SEARCH_QUERY_RETENTION_DAYS

# Content-Security-Policy (django-csp 4): no inline script on the public site. The admin gets
# ADMIN_CONTENT_SECURITY_POLICY from ops.middleware, since Wagtail's editor needs inline scripts.
_MEDIA_HOSTS = [f"https://{host}" for host in env_list("AWS_S3_CUSTOM_DOMAIN")]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_MEDIA_HOSTS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
ADMIN_CONTENT_SECURITY_POLICY = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", "https:"],
    "frame-src": ["'self'", "https:"],
    "frame-ancestors": ["'self'"],
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in ("accelerometer", "browsing-topics", "camera", "geolocation", "gyroscope")
    + ("magnetometer", "microphone", "payment", "usb")
}

# Admin login lockout (django-axes): FAILURE_LIMIT failures per user name and address lock for
# the cool-off period. TRUSTED_PROXY_COUNT tells how many proxies append to X-Forwarded-For.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_MINUTES", "15")) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "ops.security.client_ip"
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Uploaded images: common raster formats only (no SVG: it can carry script), bounded size.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = int(os.environ.get("IMAGE_MAX_UPLOAD_MB", "10")) * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000

# Media on S3-compatible storage (django-storages) when a bucket is named; credentials come
# from the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables.
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "default_acl": None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }

# CDN purge on publish, both languages (ops/frontend_cache.py): a generic HTTP purger
# (Varnish-style PURGE) and/or Cloudflare.
WAGTAILFRONTENDCACHE = {}
if os.environ.get("CDN_PURGE_URL"):
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["CDN_PURGE_URL"],
    }
if os.environ.get("CLOUDFLARE_ZONE_ID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": os.environ.get("CLOUDFLARE_API_TOKEN", ""),
        "ZONEID": os.environ["CLOUDFLARE_ZONE_ID"],
    }

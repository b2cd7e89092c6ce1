"""Commonweal settings: one module, every value read from the environment.

The defaults are a working local site (SQLite, console email, tasks run at once).
`DJANGO_ENV=production` turns on the deployment checks and insists on the settings a
production site cannot guess; a missing one stops start-up with a message naming it.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"


def local_default(name, default):
    """The default for `name` on a local site; in production the variable must be set."""
    if PRODUCTION and name not in env.ENVIRON:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_ENV=production (see README, 'Configuration').")
    return default


SECRET_KEY = env.str("SECRET_KEY", default=local_default("SECRET_KEY", "insecure-local-development-key-" + "x" * 40))
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=local_default("ALLOWED_HOSTS", ["127.0.0.1", "localhost"]))
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {
    "default": env.db("DATABASE_URL", default=local_default("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60 if PRODUCTION else 0))
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # PostgreSQL's default random_page_cost (4) prices a random read as a spinning disk's, so with the
    # data on SSD or in memory it reads the whole partners table row by row rather than the covering
    # index a search near a postcode needs (its database CPU 20 -> 11 ms a search at 1.1, measured).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", f"-c random_page_cost={env.float('PG_RANDOM_PAGE_COST', default=1.1)}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    # Ours, first so our templates win.
    "config",
    "records",
    "membership",
    "payments",
    "governance.bodies",
    "governance.meetings",
    "governance.elections",
    "governance.motions",
    "cms",
    "partners",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
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
    # Accounts, permissions, history, tasks
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "guardian",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.CommonwealCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.middleware.StaffSessionIdleTimeoutMiddleware",
    "config.middleware.StaffMustUseMFAMiddleware",
    "config.middleware.ChooserIdsAreNumbersMiddleware",
    "config.middleware.MalformedRequestsAreRefusedMiddleware",
    "config.public_cache.PublicPageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "wagtail.contrib.settings.context_processors.settings",
                "config.context_processors.organisation",
            ],
        },
    },
]

# Accounts --------------------------------------------------------------------------------------
AUTH_USER_MODEL = "config.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# Links an account to its member by verified email address and sends members to their portal; its
# base (config.accounts.AccountAdapter) never queues mail with links in it, and counts a sign-in
# moments ago as giving the password.
ACCOUNT_ADAPTER = "membership.account_adapter.MemberAccountAdapter"
# Failed sign-ins: at most 5 per 5 minutes for one account, 10 a minute from one address.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# A session whose account needs two factors ends after this many minutes without a request.
STAFF_IDLE_MINUTES = env.int("STAFF_IDLE_MINUTES", default=30)
# Who must use two factors on every page (config.middleware.StaffMustUseMFAMiddleware): anyone for
# whom one of these says yes. Governors are lay members; the rulebook may require it of them too.
TWO_FACTORS_REQUIRED_BY = [
    "config.roles.has_staff_role",
    "config.roles.holds_object_grants",
    "governance.bodies.permissions.office_needs_two_factors",
]
MFA_TOTP_ISSUER = env.str("ORGANISATION_NAME", default="Commonweal")

GUARDIAN_RAISE_403 = True
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; public access is decided in views

# Internationalisation ----------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Static and media -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Where belenios-tool writes a batch of new voting codes for the moment it takes to read them: a
# memory-backed filesystem (tmpfs), never a disk; `check --deploy` and the code itself refuse another.
BELENIOS_SECRETS_DIR = env.str("BELENIOS_SECRETS_DIR", default="/dev/shm")
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
WHITENOISE_USE_FINDERS = not PRODUCTION  # serve static/ straight from the source tree locally
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# Caches. `default` holds the sign-in and password-reset rate limits (allauth counts only there),
# so every worker must share it: the database cache (`manage.py createcachetable`) unless CACHE_URL
# names a shared one such as Redis. `check --deploy` warns when it is local to each process.
# The public page cache keeps its own alias (config/public_cache.py).
RATE_LIMIT_CACHE_TABLE = "commonweal_rate_limits"
CACHES = {
    "default": env.cache("CACHE_URL", default=f"dbcache://{RATE_LIMIT_CACHE_TABLE}"),
    "public-pages": env.cache("CACHE_URL", default="locmemcache://public-pages"),
    # A telephone call's state between its steps (who called, what they keyed) and each text's reply:
    # a cache of its own, shared by the app servers (Redis) in production, never the database cache.
    "calls": env.cache("CALLS_CACHE_URL", default="locmemcache://calls"),
}

# Email and background work -----------------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
EMAIL_DELIVERY_BACKEND = EMAIL_CONFIG["EMAIL_BACKEND"]
EMAIL_BACKEND = "config.mail.TaskQueueEmailBackend"  # every message goes through the task queue
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Commonweal <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend"),
        # long_steps: a verifiable election's close, trustees' uploads and count (README, *Workers*).
        "QUEUES": ["default", "long_steps"],
    }
}

# The partner directory's Charity Commission import (`manage.py import_partners --charity-commission DIR`):
# which charities of the register are ours. With the register's area-of-operation file, those working in
# one of CHARITY_REGISTER_AREAS (its geographic_area_description, e.g. "Oxfordshire"); without it, those
# whose contact postcode is in one of CHARITY_REGISTER_POSTCODES (areas "OX" or districts "OX4").
# CHARITY_REGISTER_INTERESTS maps the register's classifications to our areas of interest
# ("Elderly/old People=Frailty,Disability=Learning disability"); when set, and the classification file
# is there, only charities with a mapped classification are taken.
CHARITY_REGISTER_AREAS = env.list("CHARITY_REGISTER_AREAS", default=[])
CHARITY_REGISTER_POSTCODES = env.list("CHARITY_REGISTER_POSTCODES", default=[])
CHARITY_REGISTER_INTERESTS = env.dict("CHARITY_REGISTER_INTERESTS", default={})

# Organisations keep their own entries (docs/directory-editor.md). What an organisation changes through
# its emailed link is published at once ("publish") or waits for an editor's check ("check"); either way
# it is in the record. A link lasts DIRECTORY_LINK_DAYS. The yearly confirmation round (`manage.py
# confirmation_round`, daily from cron) asks each organisation whose entry was last confirmed more than the
# rulebook's verification period less DIRECTORY_ASK_BEFORE_DAYS ago, reminds it every
# DIRECTORY_REMINDER_DAYS (at most DIRECTORY_REMINDERS times), shows "not confirmed since" once the
# period has passed, and takes the entry out of search DIRECTORY_GRACE_DAYS after that.
DIRECTORY_ORGANISATION_CHANGES = env.str("DIRECTORY_ORGANISATION_CHANGES", default="check")
DIRECTORY_LINK_DAYS = env.int("DIRECTORY_LINK_DAYS", default=14)
DIRECTORY_ASK_BEFORE_DAYS = env.int("DIRECTORY_ASK_BEFORE_DAYS", default=30)
DIRECTORY_REMINDER_DAYS = env.int("DIRECTORY_REMINDER_DAYS", default=14)
DIRECTORY_REMINDERS = env.int("DIRECTORY_REMINDERS", default=2)
DIRECTORY_GRACE_DAYS = env.int("DIRECTORY_GRACE_DAYS", default=60)
# A search by need in a place that finds fewer organisations than this offers the locality's
# infrastructure body (its council for voluntary service).
DIRECTORY_FEW_RESULTS = env.int("DIRECTORY_FEW_RESULTS", default=3)

# Wagtail -----------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = env.str("ORGANISATION_NAME", default="Commonweal")
# The one address every link in an email, letter or text message starts with (no trailing slash).
# `bash dev run PORT` sets it to the port it serves, so links follow the site to any port.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILDOCS_SERVE_METHOD = "serve_view"  # documents always pass through permission checks
WAGTAILDOCS_EXTENSIONS = ["pdf", "csv", "docx", "xlsx", "odt", "ods", "txt"]
WAGTAILDOCS_INLINE_CONTENT_TYPES = []  # every document downloads, to open in the reader's own viewer
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_PASSWORD_RESET_ENABLED = False  # one sign-in: allauth's reset, rate-limited, is the only one
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no third-party avatars: users' addresses stay here, initials show instead
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"

# Security ----------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=63072000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off when DJANGO_ENV=production.")

# Wagtail's admin needs inline scripts and styles; the public site does not use them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "font-src": ["'self'"],
        "form-action": ["'self'", "https://checkout.stripe.com"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
    }
}
CSP_ADMIN_DIRECTIVES = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "django_tasks": {"level": "WARNING"}},
}

# The organisation this deployment serves; its type picks the rulebook (config/rulebooks.py).
ORGANISATION_NAME = env.str("ORGANISATION_NAME", default="Northfield Community Health NHS Foundation Trust")
ORGANISATION_TYPE = env.str("ORGANISATION_TYPE", default="foundation_trust")
RULEBOOK_OVERRIDES = env.json("RULEBOOK_OVERRIDES", default={})
# How a voter reaches the returning officer (a phone number, an email address), as the lost-code page
# gives it; blank sends them to the membership office.
ELECTIONS_CONTACT = env.str("ELECTIONS_CONTACT", default="")

# Stripe, from the environment only; without a secret key, payment features are off and say so.
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")  # a fake Stripe server in tests; empty = Stripe's own

# Voting by text message and by telephone through Twilio's webhooks; off without the auth token.
# The numbers are the ones voters text and call, printed in their voting information.
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
TEXT_VOTING_NUMBER = env.str("TEXT_VOTING_NUMBER", default="")
PHONE_VOTING_NUMBER = env.str("PHONE_VOTING_NUMBER", default="")
# How hard Argon2id works to seal a verifiable election's credential under the caller's keypad code
# (libsodium's limits: interactive, moderate or sensitive). "min" is for the tests and the demo only,
# and `check --deploy` refuses it: a database reader could then try every keypad code.
KEYPAD_SEAL_COST = env.str("KEYPAD_SEAL_COST", default="interactive")

# The governance record's signing key: base64 in RECORD_SIGNING_KEY, or a key file. Never in the
# database. A local site, CI and the tests generate one into the ignored .local/keys/ on first use.
RECORD_SIGNING_KEY = env.str("RECORD_SIGNING_KEY", default="")
RECORD_SIGNING_KEY_FILE = env.str(
    "RECORD_SIGNING_KEY_FILE", default="" if PRODUCTION else str(BASE_DIR / ".local" / "keys" / "record-signing.key")
)
# Earlier keys with the periods they signed in (JSON; docs/admin.md, "Rotating the record's key").
RECORD_PUBLIC_KEYS_FILE = env.str("RECORD_PUBLIC_KEYS_FILE", default="")
# Auditors who receive each day's signed checkpoint by email, besides the company secretary.
RECORD_AUDITORS = env.list("RECORD_AUDITORS", default=[])

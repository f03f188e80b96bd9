"""Django settings, read from the environment so one build runs on a laptop and in production.

SQLite under ``var/`` is the default; ``DATABASE_URL`` switches to PostgreSQL.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NAERVAER_VAR_DIR", Path.cwd() / "var")).resolve()


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("NAERVAER_DEBUG", False)


def _secret_key() -> str:
    """NAERVAER_SECRET_KEY, or a random key kept in var/secret_key so restarts keep sessions valid."""
    if key := os.environ.get("NAERVAER_SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        import secrets

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h for h in os.environ.get("NAERVAER_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("NAERVAER_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "naervaer.web.apps.NaervaerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "naervaer.web",
    "naervaer.org",
    "naervaer.absence",
    "naervaer.audit",
    "naervaer.followup",
    "naervaer.insight",
    "naervaer.prevention",
    "naervaer.account",
    "naervaer.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "naervaer.web.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "naervaer.org.access.ActorMiddleware",
    "naervaer.audit.context.AuditOriginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "naervaer.account.middleware.SessionLimitsMiddleware",
    "naervaer.account.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "naervaer.web.urls"
WSGI_APPLICATION = "naervaer.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "naervaer.web.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'naervaer.sqlite3'}",
        conn_max_age=int(os.environ.get("NAERVAER_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend with a flush that keeps the access log's append-only triggers.
    DATABASES["default"]["ENGINE"] = "naervaer.audit.sqlite"
    # Concurrent writers wait their turn instead of failing with "database is locked": WAL lets
    # readers go on beside the one writer, the busy timeout makes a writer wait (seconds) for the
    # lock, and IMMEDIATE takes the write lock when a transaction begins, so a transaction that
    # read first never fails on upgrading its lock (bench/README.md, docs/security.md).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": int(os.environ.get("NAERVAER_SQLITE_TIMEOUT", "20")),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "naervaer.account.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout after failed logins (docs/security.md): 5 per username, 50 per address, for an hour
# unless HR or the administrator unlocks it (naervaer.account.lockout).
AXES_HANDLER = "naervaer.account.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = 5
NAERVAER_LOCKOUT_ADDRESS_LIMIT = 50
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("NAERVAER_LOCKOUT_MINUTES", "60"))
)
AXES_LOCKOUT_CALLABLE = "naervaer.account.lockout.locked_out"
AXES_ENABLE_ADMIN = False  # registered read-only in naervaer.account.admin
AXES_VERBOSE = False
# Two-step login: "roles" (HR, admin, NAV, occupational health), "all", or "off" (demo only).
NAERVAER_2FA = os.environ.get("NAERVAER_2FA", "roles").strip().lower()
if NAERVAER_2FA not in ("roles", "all", "off"):
    raise ValueError(f"NAERVAER_2FA must be roles, all or off, not {NAERVAER_2FA!r}")
OTP_TOTP_ISSUER = "Nærvær"
NAERVAER_IDLE_TIMEOUT = int(os.environ.get("NAERVAER_IDLE_TIMEOUT", "30"))  # minutes
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("en", _("English"))]
# Each app keeps its own catalogue in <app>/locale (`make messages` updates them).
LOCALE_PATHS: list[Path] = []
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = Path(os.environ.get("NAERVAER_NODE_MODULES", Path.cwd() / "node_modules"))
# Front-end packages come from the npm registry at install time and are served from here (no CDN).
STATICFILES_DIRS = [
    (prefix, NODE_MODULES / package)
    for prefix, package in [
        ("vendor/designsystemet", "@digdir/designsystemet-css/dist"),
        ("vendor/htmx", "htmx.org/dist"),
    ]
    if (NODE_MODULES / package).is_dir()
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Security headers and cookies. HTTPS-only cookies unless explicitly turned off for local http.
_SECURE = _env_bool("NAERVAER_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = _SECURE
CSRF_COOKIE_SECURE = _SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("NAERVAER_SESSION_AGE", str(8 * 3600)))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = int(os.environ.get("NAERVAER_HSTS_SECONDS", "0"))
SECURE_SSL_REDIRECT = _env_bool("NAERVAER_SSL_REDIRECT", False)
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

EMAIL_BACKEND = os.environ.get(
    "NAERVAER_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("NAERVAER_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("NAERVAER_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("NAERVAER_FROM_EMAIL", "naervaer@localhost")
# Where e-mailed links point (survey invitations are answered without logging in).
NAERVAER_BASE_URL = os.environ.get("NAERVAER_BASE_URL", "http://127.0.0.1:8000")

# Input limits (README, configuration): register imports from the command line, and files
# uploaded through the web pages (reference figures, questionnaires, 10-FAKTOR results).
NAERVAER_IMPORT_MAX_BYTES = int(os.environ.get("NAERVAER_IMPORT_MAX_BYTES", str(200 * 10**6)))
NAERVAER_IMPORT_MAX_ROWS = int(os.environ.get("NAERVAER_IMPORT_MAX_ROWS", "500000"))
NAERVAER_UPLOAD_MAX_BYTES = int(os.environ.get("NAERVAER_UPLOAD_MAX_BYTES", str(2 * 10**6)))
NAERVAER_UPLOAD_MAX_ROWS = int(os.environ.get("NAERVAER_UPLOAD_MAX_ROWS", "10000"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("NAERVAER_LOG_LEVEL", "WARNING")},
}

"""Settings, driven by the environment so that one build runs as the demo, in tests and in production.

Environment variables:
  DATABASE_URL         database (default: SQLite file in YITI_VAR_DIR); e.g. postgres://user@host:5432/yiti
  YITI_VAR_DIR         where the SQLite file, collected static files and the generated secret key live (default ./var)
  YITI_SECRET_KEY      Django secret key (default: generated once into YITI_VAR_DIR/secret_key)
  YITI_DEBUG           1 for debug pages (never in production)
  YITI_ALLOWED_HOSTS   comma-separated host names (default: localhost,127.0.0.1)
  YITI_BEHIND_TLS      1 when served over HTTPS behind a proxy: secure cookies, HSTS
  YITI_IMPORT_MAX_MB   largest spreadsheet accepted for import (default 50)
  YITI_IMPORT_MAX_ROWS most rows in one import (default 100000)
  YITI_EVIDENCE_MAX_MB largest file attached to an agreement's evidence (default 10)
  YITI_PLAIN_EXPORT_ROWS_PER_DAY  most unmasked rows one user may export per day (default 5000)
  YITI_SQLITE_BUSY_SECONDS  how long a SQLite write waits for another writer before a 503 (default 20)
  YITI_TASKS           "immediate" runs background tasks inline instead of through `yiti db_worker`
  YITI_CONTACT_DEADLINE_WORKING_DAYS  working days (Mon–Fri) from publishing a matching item to its contact deadline (default 5)
  YITI_EMAIL_HOST      SMTP server for e-mail copies of supervision notifications (unset: in-app only); with
                       YITI_EMAIL_PORT (25), YITI_EMAIL_USER, YITI_EMAIL_PASSWORD, YITI_EMAIL_USE_TLS (1/0),
                       YITI_EMAIL_FROM (sender address), YITI_SITE_URL (for links in the e-mails)
  YITI_JOB_RETENTION_DAYS  ended background jobs and their files are deleted after this many days by
                       `yiti purge-jobs` (default 30)
  YITI_DASHBOARD_CACHE_SECONDS  how long the dashboards keep a user's figures (default 60; 0: not kept)
  YITI_DASHBOARD_REFRESH_MINUTES  how often the worker recomputes the dashboards' figures (default 5)
  YITI_SCREEN_BOUNDARY_FILE, YITI_SCREEN_BOUNDARY_APPROVAL  an official county boundary GeoJSON and its 审图号:
                       the 数据大屏 then shows a county map (default: no map)
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("YITI_VAR_DIR", Path.cwd() / "var")).resolve()


def _env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    if key := os.environ.get("YITI_SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_flag("YITI_DEBUG")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("YITI_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "auditlog",
    "yiti.core",
    "yiti.accounts",
    # The registries: each app whose views.py declares `registry` is one (yiti.core.registry.registries()),
    # with its URLs, menu entry and scope; nothing else lists them.
    "yiti.orgs",
    "yiti.talents",
    "yiti.experts",
    "yiti.needs",
    "yiti.results",
    "yiti.platforms",
    "yiti.agreements",
    "yiti.activities",
    "yiti.activities.fairs",
    "yiti.imports",
    "yiti.matching",
    "yiti.supervision",
    "yiti.dashboard",
    "yiti.pairing",
    "yiti.policies",  # issue 16 (r16/policies): 政策兑现 — policy registry, rules, 免申即享, benefit ledger
    "yiti.demo",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "yiti.core.middleware.ChineseByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
]

ROOT_URLCONF = "yiti.urls"
WSGI_APPLICATION = "yiti.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yiti.core.context_processors.platform",
                "yiti.supervision.context_processors.bell",  # the header's bell (unread notifications)
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'yiti.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run while an import writes; IMMEDIATE takes the write lock when a transaction
    # starts, so a writer waits for it (busy timeout) instead of failing on an upgrade; the timeout is
    # longer than an import's write phase (docs/benchmarks.md), and a write still blocked after it gets
    # the 503 "please retry" page (yiti.core.views.server_error), never a 500.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("YITI_SQLITE_BUSY_SECONDS", "20")),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    VAR_DIR.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["yiti.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it even before collectstatic
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"

# Spreadsheet imports (yiti.imports): uploads over the limit are refused before they are parsed.
IMPORT_MAX_BYTES = int(os.environ.get("YITI_IMPORT_MAX_MB", "50")) * 1024 * 1024
YITI_EVIDENCE_MAX_BYTES = int(os.environ.get("YITI_EVIDENCE_MAX_MB", "10")) * 1024 * 1024
IMPORT_MAX_ROWS = int(os.environ.get("YITI_IMPORT_MAX_ROWS", "100000"))
IMPORT_BACKGROUND_ROWS = 5000  # larger imports run as a background task with a progress bar
# An xlsx is a zip: a small upload can unpack to gigabytes. Refused before anything is unpacked: a
# workbook whose parts together unpack to more than this, a part over 1 MB packed more tightly than
# IMPORT_MAX_ZIP_RATIO (real sheets pack 5–20 times), a shared-strings table over its own limit and
# any cell longer than Excel's own limit of 32,767 characters.
IMPORT_MAX_UNZIPPED_BYTES = int(os.environ.get("YITI_IMPORT_MAX_UNZIPPED_MB", "500")) * 1024 * 1024
IMPORT_MAX_ZIP_RATIO = 100
IMPORT_MAX_SHARED_STRINGS_BYTES = 200 * 1024 * 1024
IMPORT_MAX_CELL_CHARS = 32767
# A background job (import, code suggestions) beats every few seconds while it works; one silent for
# longer than this has lost its worker and is marked failed.
JOB_LEASE_SECONDS = 60
# An interrupted import keeps its upload (it may hold ID numbers) this long for 重新开始, then it is removed.
INTERRUPTED_UPLOAD_HOURS = 24
# Ended background jobs (imports, code suggestions, …) and their files go after this many days (`yiti purge-jobs`).
YITI_JOB_RETENTION_DAYS = int(os.environ.get("YITI_JOB_RETENTION_DAYS", "30"))
# A published matching item's contact deadline: this many working days (Mon–Fri) after publishing.
YITI_CONTACT_DEADLINE_WORKING_DAYS = int(os.environ.get("YITI_CONTACT_DEADLINE_WORKING_DAYS", "5"))
# Uploads stream to disk above 2.5 MB; the import's own limit is checked in the view.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Background work (imports): django-tasks with its database worker (`yiti db_worker`); tests and
# YITI_TASKS=immediate run tasks inline.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if os.environ.get("YITI_TASKS") == "immediate" else "django_tasks_db.DatabaseBackend",
    }
}
MEDIA_URL = "/media/"

# Sessions and cookies: HttpOnly everywhere, SameSite=Lax, Secure when served over TLS.
BEHIND_TLS = _env_flag("YITI_BEHIND_TLS")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = BEHIND_TLS
if BEHIND_TLS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_SSL_REDIRECT = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

DJANGO_TABLES2_TEMPLATE = "core/table.html"
CSRF_FAILURE_VIEW = "yiti.core.views.csrf_failure"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
AUDITLOG_INCLUDE_ALL_MODELS = False

PLATFORM_NAME = _("Integrated Education, Science & Technology and Talent Service Platform")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Security (login hardening): graded protection level 3 (GB/T 22239-2019). yiti/security, docs/security.md.
import datetime as _dt  # noqa: E402

INSTALLED_APPS += ["axes", "django_otp", "django_otp.plugins.otp_totp", "yiti.security"]


def _insert_after(existing: str, *added: str) -> None:
    at = MIDDLEWARE.index(existing) + 1
    MIDDLEWARE[at:at] = added


_insert_after("django.middleware.security.SecurityMiddleware", "yiti.security.middleware.ContentSecurityPolicyMiddleware")
_insert_after("django.contrib.auth.middleware.AuthenticationMiddleware", "django_otp.middleware.OTPMiddleware",
              "yiti.security.middleware.ApiCallTrailMiddleware")
_insert_after(
    "django.contrib.messages.middleware.MessageMiddleware",
    "yiti.security.middleware.IdleTimeoutMiddleware",
    "yiti.security.middleware.LoginPolicyMiddleware",
)
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # axes wants to be last
# axes first: it refuses a locked-out user name before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "yiti.accounts.backends.RoleBackend"]

AUTH_PASSWORD_VALIDATORS += [
    {"NAME": "yiti.security.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "yiti.security.validators.PasswordHistoryValidator"},  # also records each new password
]
YITI_PASSWORD_HISTORY = 5
YITI_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("YITI_PASSWORD_MAX_AGE_DAYS", "90"))  # 0: never expires
YITI_NEW_ACCOUNTS_MUST_CHANGE_PASSWORD = True
# Superusers and the sysadmin/secadmin/auditor roles confirm a TOTP code after their password.
YITI_REQUIRE_SECOND_FACTOR = True
OTP_TOTP_ISSUER = lambda device: str(PLATFORM_NAME)  # noqa: E731  (the name authenticator apps show)
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's key or QR code

# Idle timeout 30 minutes: yiti.security.middleware.IdleTimeoutMiddleware refreshes a last-activity
# stamp at most once a minute instead of SESSION_SAVE_EVERY_REQUEST (one session write per request);
# each refresh pushes the session's server-side expiry (SESSION_COOKIE_AGE) forward.
YITI_SESSION_IDLE_MINUTES = 30
SESSION_COOKIE_AGE = YITI_SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = BEHIND_TLS

# Exports are masked for everyone; a 明文导出 (plain export, with a reason, logged) is limited to this many
# rows per user per day (docs/personal-data.md).
YITI_PLAIN_EXPORT_ROWS_PER_DAY = int(os.environ.get("YITI_PLAIN_EXPORT_ROWS_PER_DAY", "5000"))

# 5 failed logins lock the user name for 15 minutes (not the address: an office behind one NAT
# address must not lock each other out). Unlock: admin → Axes → access attempts, or
# `yiti axes_reset_username NAME`.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = _dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the page can then say exactly when to retry
AXES_LOCKOUT_CALLABLE = "yiti.security.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "yiti.core.network.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # successful logins and logouts are in security.AuthEvent
# axes warns when the address is not a lockout parameter; here the user name is on purpose, and its
# failures are summed over every address and browser that tried it (a test pins this).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

YITI_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
)

# Dashboards (yiti/dashboard, docs/dashboard.md): figures kept this many seconds per user (0: never kept); the
# 数据大屏's county map appears only when an official boundary GeoJSON and its 审图号 are both given.
YITI_DASHBOARD_CACHE_SECONDS = int(os.environ.get("YITI_DASHBOARD_CACHE_SECONDS", "60"))
YITI_DASHBOARD_REFRESH_MINUTES = int(os.environ.get("YITI_DASHBOARD_REFRESH_MINUTES", "5"))
# Processes a matching run works its records in (yiti.core.forked): one per core of the worker's machine.
YITI_MATCHING_RUN_WORKERS = int(os.environ.get("YITI_MATCHING_RUN_WORKERS", "2"))
YITI_SCREEN_BOUNDARY_FILE = os.environ.get("YITI_SCREEN_BOUNDARY_FILE", "")
YITI_SCREEN_BOUNDARY_APPROVAL = os.environ.get("YITI_SCREEN_BOUNDARY_APPROVAL", "")
# Supervision (督办, yiti.supervision; docs/supervision.md): lights, escalation, automatic tasks.
YITI_SUPERVISION_YELLOW_DAYS = int(os.environ.get("YITI_SUPERVISION_YELLOW_DAYS", "3"))  # yellow: deadline ≤ N days away
YITI_SUPERVISION_ESCALATE_DAYS = int(os.environ.get("YITI_SUPERVISION_ESCALATE_DAYS", "7"))  # red this long: escalated
# An agreement signed this many days ago and not started raises a task, per agreement kind.
YITI_SUPERVISION_NOT_STARTED_DAYS = {"locality": 90, "enterprise": 90, "province": 90}
YITI_SUPERVISION_FUNDS_DAYS = 180  # started this many days ago and funds not arrived: a task
YITI_SUPERVISION_AUTO_TASK_DAYS = 15  # an automatic task's deadline, in days after it is raised
# E-mail copies of notifications when an SMTP server is configured (YITI_EMAIL_HOST).
YITI_NOTIFY_BY_EMAIL = bool(os.environ.get("YITI_EMAIL_HOST"))
if YITI_NOTIFY_BY_EMAIL:
    EMAIL_HOST = os.environ["YITI_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("YITI_EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("YITI_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("YITI_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = _env_flag("YITI_EMAIL_USE_TLS")
    DEFAULT_FROM_EMAIL = os.environ.get("YITI_EMAIL_FROM", "yiti@localhost")
YITI_SITE_URL = os.environ.get("YITI_SITE_URL", "")

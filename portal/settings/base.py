"""Settings shared by every environment.

Every value a deployment may change is read from the environment here; dev.py,
test.py and production.py only choose defaults and tighten what each needs.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The question types officers can add to a consultation, in the order the editor offers them:
# one class each (consultations/question_types/__init__.py). A new type is added here.
QUESTION_TYPES = [
    "consultations.question_types.ranking.PriorityRankingBlock",
    "consultations.question_types.choice.SingleChoiceBlock",
    "consultations.question_types.choice.MultipleChoiceBlock",
    "consultations.question_types.agreement.AgreementScaleBlock",
    "consultations.question_types.free_text.FreeTextBlock",
    "consultations.question_types.number.NumberBlock",
    "consultations.question_types.about_you.AboutYouBlock",
    "budget_simulator.blocks.BudgetSimulatorBlock",
]

INSTALLED_APPS = [
    "home.apps.HomeConfig",
    "demo.apps.DemoConfig",
    "consultations.apps.ConsultationsConfig",
    "budget_simulator.apps.BudgetSimulatorConfig",
    "portal",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
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
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "import_export",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "portal.database_down.DatabaseDownMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.input_safety.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.staff_security.StaffSecurityMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# The embedded default is a SQLite file under var/, so `make run` needs no server.
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'portal.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite ignores select_for_update; IMMEDIATE makes concurrent writers queue instead.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A shared cache (Redis) where there is more than one app process; per-process otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# static/build holds GOV.UK Frontend compiled with the council's colours (see Makefile).
STATICFILES_DIRS = [BASE_DIR / "static" / "build"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Response exports made in the background: private files, never under MEDIA_ROOT (which the web
# server may serve), downloaded only through the admin by the officer who asked for them.
PRIVATE_EXPORTS_ROOT = Path(os.environ.get("PRIVATE_EXPORTS_ROOT", BASE_DIR / "var" / "exports"))
# A background export whose worker has not reported for this long has stopped (the worker died);
# one not finished this long after it was asked for is stopped too. Both: the officer asks again.
EXPORT_HEARTBEAT_TIMEOUT_SECONDS = int(os.environ.get("EXPORT_HEARTBEAT_TIMEOUT_SECONDS", "120"))
EXPORT_MAX_SECONDS = int(os.environ.get("EXPORT_MAX_SECONDS", "3600"))

# Background tasks (django-tasks) are rows in the database, run by `manage.py db_worker`
# (django-tasks-db): large response exports, and Wagtail's own (reference index, file deletion).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Email: SMTP from the environment; dev swaps in the console backend.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "consultations@kingsmere.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Residents' accounts: email only, verified before use (django-allauth).
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_ADAPTER = "portal.accounts.CouncilAccountAdapter"
# allauth's forms with GOV.UK labels, hints and error messages (portal/account_forms.py).
ACCOUNT_FORMS = {
    name: f"portal.account_forms.{form}"
    for name, form in {
        "login": "LoginForm",
        "signup": "SignupForm",
        "add_email": "AddEmailForm",
        "change_email": "ChangeEmailForm",
        "change_password": "ChangePasswordForm",
        "set_password": "SetPasswordForm",
        "reset_password": "ResetPasswordForm",
        "reset_password_from_key": "ResetPasswordKeyForm",
        "reauthenticate": "ReauthenticateForm",
        "request_login_code": "RequestLoginCodeForm",
        "confirm_login_code": "ConfirmLoginCodeForm",
    }.items()
}
MFA_FORMS = {
    name: f"portal.account_forms.{form}"
    for name, form in {
        "authenticate": "AuthenticateForm",
        "reauthenticate": "MFAReauthenticateForm",
        "activate_totp": "ActivateTOTPForm",
        "deactivate_totp": "DeactivateTOTPForm",
        "generate_recovery_codes": "GenerateRecoveryCodesForm",
    }.items()
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Tell the account holder when their password, email address or two-step sign-in changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# allauth's limits (on the shared cache), tightened where its defaults let one address be sent
# many emails: at most 3 password reset emails an hour to one address.
ACCOUNT_RATE_LIMITS = {"reset_password": "20/m/ip,3/h/key"}
# Officers sign in the same way as everyone else, so allauth's rate limits, lockout, email
# verification and MFA cover the admin. Wagtail's own login, password reset and password change
# are switched off or redirected (portal/urls.py), so there is one door.
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# Two-step sign-in (allauth.mfa): an authenticator app (TOTP) and recovery codes. Required for
# every account that can reach the admin (portal/staff_security.py), optional for residents.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# An officer's session ends after this many minutes without a request.
STAFF_SESSION_IDLE_MINUTES = int(os.environ.get("STAFF_SESSION_IDLE_MINUTES", "30"))
# Behind a TLS proxy every request comes from the proxy's address: allauth's (and our) per-client
# limits read the client from X-Forwarded-For, trusting this many proxies, or from one header
# that the proxy sets and clients cannot (e.g. X-Real-IP). Never set either without a proxy.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("TRUSTED_CLIENT_IP_HEADER", "").strip() or None

# How many made-up responses `seed_demo` gives each closed demo consultation.
DEMO_SYNTHETIC_RESPONSES = int(os.environ.get("DEMO_SYNTHETIC_RESPONSES", "1000"))

WAGTAIL_SITE_NAME = os.environ.get("COUNCIL_NAME", "Kingsmere Borough Council")
# Officers' avatars are not fetched from gravatar.com: that would send a hash of their email
# address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The one public address of the site: every link in every email is built from it.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", PUBLIC_BASE_URL)
MFA_TOTP_ISSUER = WAGTAIL_SITE_NAME
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]


# A strict Content-Security-Policy on every public page. Wagtail's own admin needs inline
# scripts and styles, so it is excluded (see docs/decisions/0001-content-security-policy.md).
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Wagtail runs search-index and reference-index updates as tasks; one line each is noise.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# Rate limits (portal/ratelimits.py, django-ratelimit): per client as allauth resolves it behind
# the trusted proxy, and per address for emails. Each rate is "count/period" (s, m, h, d) and can
# be set from the environment, e.g. RATE_LIMIT_RESPOND=50/h.
INSTALLED_APPS += ["django_ratelimit"]
RATE_LIMITS = {
    action: os.environ.get(f"RATE_LIMIT_{action.upper()}", default)
    for action, default in {
        "respond": "30/h",  # "Send response" posts
        "save_draft": "60/h",  # "Save and come back later"
        "update_totals": "120/h",  # "Update totals" without JavaScript
        "receipt": "10/h",  # emailed receipts asked for, per client
        "receipt_address": "3/h",  # ... and to any one address
        "outcome_email": "10/h",  # "tell me about the outcome" confirmations, per client
        "outcome_email_address": "3/h",  # ... and to any one address
        "open_data_api": "120/m",  # /api/v1/
    }.items()
}
RATELIMIT_USE_CACHE = "default"
# django-ratelimit names only django-redis as supported (W001), but Django's own RedisCache
# increments atomically in Redis, which is all it needs. Without REDIS_URL (dev, tests, one
# process) the per-process memory cache counts correctly for that process, so its "not a shared
# cache" error (E003) is silenced only then; with several app processes, set REDIS_URL.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if not REDIS_URL:
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003"]

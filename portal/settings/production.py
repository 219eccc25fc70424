"""Production: refuses to start without the values a real deployment must set."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False

# REDIS_URL: rate limits and sign-in lockouts only hold when every worker counts in one place.
# PUBLIC_BASE_URL: every link in every email is built from it.
for required in ("SECRET_KEY", "ALLOWED_HOSTS", "PUBLIC_BASE_URL", "REDIS_URL"):
    if not os.environ.get(required, "").strip():
        raise ImproperlyConfigured(f"{required} must be set in the environment for production.")
if not PUBLIC_BASE_URL.startswith("https://"):  # noqa: F405
    raise ImproperlyConfigured("PUBLIC_BASE_URL must be the site's https:// address.")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Behind a load balancer that terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

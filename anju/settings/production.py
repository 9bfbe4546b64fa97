"""Production settings. Required environment: ANJU_SECRET_KEY, DATABASE_URL, ANJU_ALLOWED_HOSTS.

`anju check --deploy` passes with no warnings when these are set (tested).
Served behind a TLS-terminating proxy that sets X-Forwarded-Proto.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = False
if not os.environ.get("ANJU_SECRET_KEY"):
    raise ImproperlyConfigured("ANJU_SECRET_KEY must be set in production")
SECRET_KEY = os.environ["ANJU_SECRET_KEY"]
ALLOWED_HOSTS = env_list("ANJU_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("ANJU_CSRF_TRUSTED_ORIGINS")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("ANJU_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("ANJU_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("ANJU_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env_overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DEBUG",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "PUBLIC_BASE_URL",
            "REDIS_URL",
        }
    }
    env.update(DJANGO_SETTINGS_MODULE="portal.settings.production", **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


DEPLOYMENT_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "consult.kingsmere.example",
    "CSRF_TRUSTED_ORIGINS": "https://consult.kingsmere.example",
    "DATABASE_URL": "sqlite:///:memory:",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "PUBLIC_BASE_URL": "https://consult.kingsmere.example",
}


def test_production_settings_pass_check_deploy_with_a_real_deployments_env():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **DEPLOYMENT_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "PUBLIC_BASE_URL", "REDIS_URL"])
def test_production_settings_refuse_to_start_without(missing):
    env = {key: value for key, value in DEPLOYMENT_ENV.items() if key != missing}
    result = manage("check", **env)
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_production_settings_refuse_a_public_address_without_https():
    result = manage("check", **{**DEPLOYMENT_ENV, "PUBLIC_BASE_URL": "http://127.0.0.1:8000"})
    assert result.returncode != 0
    assert "PUBLIC_BASE_URL must be the site's https:// address" in result.stderr

"""The demo's stand-in for an authenticator app: development only, demo officers only."""

from io import StringIO

import pytest
from allauth.mfa.totp.internal.auth import validate_totp_code
from allauth.mfa.utils import decrypt
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_seeded_demo_officers_have_an_authenticator(demo_site):
    for officer in get_user_model().objects.filter(email__endswith="@kingsmere.example"):
        assert officer.authenticator_set.filter(type="totp").count() == 1


def test_prints_the_code_a_demo_officers_authenticator_shows_now(demo_site, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("demo_sign_in_code", "analyst@kingsmere.example", stdout=out)
    analyst = get_user_model().objects.get(email="analyst@kingsmere.example")
    secret = decrypt(analyst.authenticator_set.get(type="totp").data["secret"])
    assert validate_totp_code(secret, out.getvalue().strip())


def test_refuses_outside_development(demo_site, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only shown in development"):
        call_command("demo_sign_in_code", "analyst@kingsmere.example")


def test_refuses_anyone_but_a_demo_officer(demo_site, settings):
    settings.DEBUG = True
    get_user_model().objects.create_user("real", "real.officer@council.example")
    with pytest.raises(CommandError, match="not a demo officer"):
        call_command("demo_sign_in_code", "real.officer@council.example")

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import ModelLogEntry, Page, PageLogEntry

from consultations.models import Comment, CommentTheme, OutcomeDecision, OutcomeQuote, Theme
from demo.council import DEMO_OFFICERS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(Page.objects.values_list("id", "title", "path", "latest_revision_id")),
        list(get_user_model().objects.values_list("id", "email", "password")),
        list(
            Comment.objects.values_list(
                "id", "answer_id", "status", "rejection_reason", "public_text", "moderated_at"
            )
        ),
        list(Theme.objects.values_list("id", "consultation_id", "name", "updated_at")),
        list(CommentTheme.objects.values_list("id", "comment_id", "theme_id")),
        list(OutcomeDecision.objects.values_list("id", "page_id", "decision", "status")),
        list(OutcomeQuote.objects.values_list("id", "page_id", "comment_id")),
        list(ModelLogEntry.objects.values_list("id", flat=True)),
        list(PageLogEntry.objects.values_list("id", flat=True)),
    )


def test_seed_demo_twice_changes_nothing(demo_site):
    before = snapshot()
    assert all(before), "every part of the demo is there to compare"
    call_command("seed_demo", verbosity=0)
    assert snapshot() == before


def test_seed_demo_makes_officers_by_role_who_can_sign_in(demo_site, client):
    for email, _first, _last, groups in DEMO_OFFICERS:
        user = get_user_model().objects.get(email=email)
        assert set(user.groups.values_list("name", flat=True)) == set(groups)
        assert EmailAddress.objects.get(user=user).verified
        assert user.check_password(DEMO_PASSWORD)


def test_seed_demo_prints_the_officer_logins(db, capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    for email, *_ in DEMO_OFFICERS:
        assert email in out
    assert DEMO_PASSWORD in out


def test_the_demo_has_an_officer_for_every_kind_of_response_export(demo_site):
    """Analysts export without personal data; one demo officer may export with it."""
    users = get_user_model().objects

    def may(email, permission):
        return users.get(email=email).has_perm(permission)

    assert may("analyst@kingsmere.example", "consultations.view_response")
    assert not may("analyst@kingsmere.example", "consultations.view_personal_data")
    assert may("records@kingsmere.example", "consultations.view_response")
    assert may("records@kingsmere.example", "consultations.view_personal_data")

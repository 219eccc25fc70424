import pytest
from allauth.account.models import EmailAddress

from consultations.models import RankingBallot, RankingPosition, ResponseDraft
from tests.builders import UserFactory
from tests.consultations.conftest import ids, respond, section_one, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(db):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def sign_in_consultation(consultation):
    consultation.require_sign_in = True
    consultation.one_response_per_account = True
    consultation.save_revision().publish()
    consultation.refresh_from_db()
    return consultation


def test_anonymous_residents_can_respond_by_default(client, consultation):
    response, _ = submit(client, consultation)
    assert response.status_code == 302
    assert consultation.responses.get().user is None


def test_sign_in_required_sends_anonymous_residents_to_sign_in(client, sign_in_consultation):
    page = client.get(sign_in_consultation.url + "respond/section/1/")
    assert page.status_code == 302
    assert page.headers["Location"].startswith("/accounts/login/?next=")
    posted = client.post(sign_in_consultation.url + "respond/section/1/", section_one())
    assert posted.headers["Location"].startswith("/accounts/login/")
    assert sign_in_consultation.responses.count() == 0


def test_unverified_email_cannot_sign_in_to_respond(client, sign_in_consultation):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    client.post("/accounts/login/", {"login": user.email, "password": "correct-horse-battery"})
    page = client.get(sign_in_consultation.url + "respond/section/1/")
    assert page.status_code == 302 and "/accounts/login/" in page.headers["Location"]


def test_signed_in_resident_responds_once_and_can_change_it(client, sign_in_consultation, resident):
    client.force_login(resident)
    submit(client, sign_in_consultation)
    first = sign_in_consultation.responses.get()
    assert first.user == resident

    check = respond(client, sign_in_consultation, one=section_one(ranking=("3", "2", "1")))
    assert first.reference in check.content.decode()  # "You are changing your response ..."
    client.post(sign_in_consultation.url + "respond/check/", {"token": check.context["token"]})

    assert sign_in_consultation.responses.count() == 1
    changed = sign_in_consultation.responses.get()
    assert changed.reference == first.reference and changed.updated_at is not None
    positions = dict(
        RankingPosition.objects.filter(response=changed).values_list("item_id", "position")
    )
    assert positions[ids()["roads"]] == 1
    # The earlier ballot is replaced, not kept beside the new one.
    assert [ballot.positions for ballot in RankingBallot.objects.filter(response=changed)] == [
        positions
    ]


def test_changing_a_response_starts_from_the_earlier_answers(
    client, sign_in_consultation, resident
):
    client.force_login(resident)
    submit(client, sign_in_consultation)
    client.logout()
    client.force_login(resident)
    client.get(sign_in_consultation.url + "respond/")
    section = client.get(sign_in_consultation.url + "respond/section/2/").content.decode()
    assert "Keep the libraries open" in section


def test_signed_in_resident_can_save_and_come_back_later(client, sign_in_consultation, resident):
    client.force_login(resident)
    client.get(sign_in_consultation.url + "respond/")
    saved = client.post(
        sign_in_consultation.url + "respond/section/1/", {**section_one(), "action": "save"}
    )
    assert "Your answers have been saved" in saved.content.decode()
    assert ResponseDraft.objects.filter(user=resident).exists()
    assert sign_in_consultation.responses.count() == 0

    client.logout()
    client.force_login(resident)  # a new session, as on another day or device
    client.get(sign_in_consultation.url + "respond/")
    section = client.get(sign_in_consultation.url + "respond/section/1/").content.decode()
    assert 'value="3" selected' in section

    submit(client, sign_in_consultation)
    assert sign_in_consultation.responses.count() == 1
    assert not ResponseDraft.objects.filter(user=resident).exists()


def test_anonymous_residents_are_not_offered_save_and_come_back(client, consultation):
    client.get(consultation.url + "respond/")
    html = client.get(consultation.url + "respond/section/1/").content.decode()
    assert "Save and come back later" not in html


def test_one_response_per_account_needs_sign_in(consultation):
    consultation.one_response_per_account = True
    consultation.require_sign_in = False
    with pytest.raises(Exception, match="needs residents to sign in"):
        consultation.full_clean()

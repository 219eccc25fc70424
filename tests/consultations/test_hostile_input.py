"""Hostile input never breaks a public page: every form, filter and API parameter answers below
500 whatever a client sends, and what is refused stores nothing.

Property-based (hypothesis): values mix NUL, control characters, right-to-left overrides, very
long text and, in addresses and bodies, raw bytes that are not UTF-8 (a lone surrogate,
`%ED%A0%80`, cannot be sent any other way). CI runs these on PostgreSQL, which refuses NUL in
text and JSON where SQLite stores it, so a NUL reaching a query fails there.
"""

import io
import json
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from budget_simulator.blocks import percent_value
from consultations.journey import sections_of
from consultations.models import (
    Answer,
    ConsultationPage,
    OutcomeSubscription,
    Response,
    ResponseDraft,
)
from consultations.question_types.base import OTHER, AnswerError, field_name, hidden_null_message
from consultations.question_types.choice import SingleChoiceBlock
from consultations.question_types.free_text import FreeTextBlock
from tests import builders
from tests.builders import UserFactory
from tests.consultations.test_import_admin import COMMENTS, answers_row, spreadsheet
from tests.consultations.test_import_admin import SLUG as IMPORT_SLUG

pytestmark = pytest.mark.django_db

HOSTILE = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text a resident could never mean, but a client can send.
NASTY_TEXT = [
    "\x00",
    "Keep\x00 the library",
    "\x00" * 40,
    "\u202eyrarbil eht peeK\u202c",
    "\u200f\u200e\u2066\u2069",
    "\ufeff\u200b\u2028\u2029",
    "\x01\x07\x08\x0b\x0c\x1b[31m\x7f\x85",
    "\r\n\r\n\t",
    "=1+1",
    "' OR '1'='1' --",
    "<script>alert(1)</script>",
    "{{ 7|add:7 }}{% now 'Y' %}",
    "%s%n%x",
    "A" * 20_000,
    "ä" * 3000,
    "😀" * 600,
    "\U0010ffff",
    "   ",
    "",
]
# Percent-encoded pieces that decode to NUL, lone surrogates, invalid or overlong UTF-8.
RAW_PIECES = ["%00", "%ED%A0%80", "%ED%BF%BF", "%FF", "%C0%80", "%E2%80%AE", "%", "%2", "+", "%26"]

text_values = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.text(max_size=60),
    st.text(alphabet=st.characters(max_codepoint=0x20), max_size=20),
)
raw_values = st.one_of(
    text_values.map(lambda text: quote(text, safe="")),
    st.lists(
        st.one_of(st.sampled_from(RAW_PIECES), text_values.map(lambda text: quote(text, safe=""))),
        min_size=1,
        max_size=4,
    ).map("".join),
)
raw_names = st.one_of(st.sampled_from(["q", "page", "format", "status"]), raw_values)


def encoded(pairs):
    """A query string or form body from already percent-encoded (name, value) pairs."""
    return "&".join(f"{name}={value}" for name, value in pairs)


def post_form(client, url, pairs):
    return client.post(url, encoded(pairs), content_type="application/x-www-form-urlencoded")


def as_pairs(fields):
    return [(quote(name, safe=""), quote(value, safe="")) for name, value in fields.items()]


def has_nul(data):
    return "\\u0000" in json.dumps(data) or "\x00" in json.dumps(data, ensure_ascii=False)


# The open demo consultation, answered well.


def budget_consultation():
    return ConsultationPage.objects.get(slug="budget-2027-28")


def valid_fields(question):
    """Posted fields that answer `question` acceptably."""
    block, value, qid = question.block, question.value, question.id
    if question.type == "priority_ranking":
        return {
            field_name(qid, item_id): str(position)
            for position, (item_id, _) in enumerate(block.options_with_ids(value), start=1)
        }
    if question.type == "single_choice":
        return {field_name(qid): OTHER, field_name(qid, OTHER): "Keep everything open"}
    if question.type == "multiple_choice":
        return {field_name(qid): block.options_with_ids(value)[0][0]}
    if question.type == "agreement_scale":
        return {field_name(qid): "agree"}
    if question.type == "number":
        return {field_name(qid): "4"}
    if question.type == "free_text":
        return {field_name(qid): "Please keep the mobile library."}
    if question.type == "about_you":
        return {field_name(qid, "age_band"): "35_44", field_name(qid, "postcode_district"): "KM1"}
    if question.type == "budget_simulator":
        spec = block.spec(value)
        fields = {field_name(qid, lever.id): "0" for lever in block.levers(value)}
        for lever in spec.lines:
            if lever.name == "Adult social care":
                fields[field_name(qid, lever.id)] = percent_value(lever.lowest_bp())
        for lever in spec.revenue:
            if lever.name == "Council tax":
                fields[field_name(qid, lever.id)] = percent_value(
                    lever.highest_bp(spec.allow_increases)
                )
        return fields
    raise AssertionError(f"No valid answer known for {question.type}")


def valid_section(section):
    fields = {}
    for question in section.questions:
        fields.update(valid_fields(question))
    return fields


def text_fields(sections):
    """The fields that take words: every free-text box and 'Other, please specify'."""
    names = []
    for section in sections:
        for question in section.questions:
            if question.type == "free_text":
                names.append((section.number, field_name(question.id)))
            elif question.type == "single_choice" and question.value["allow_other"]:
                names.append((section.number, field_name(question.id, OTHER)))
    return names


def signed_in_client():
    resident = UserFactory()
    EmailAddress.objects.create(user=resident, email=resident.email, verified=True, primary=True)
    client = Client()
    client.force_login(resident)
    return client, resident


def fresh_example():
    """Each example starts clear of the last one's rate-limit counts."""
    cache.clear()


def test_the_demo_answers_used_here_are_accepted_whole(demo_site):
    """The baseline the hostile tests vary: without it every refusal below would prove nothing."""
    page = budget_consultation()
    client = Client()
    client.get(page.url + "respond/")
    for section in sections_of(page):
        posted = client.post(
            page.url + f"respond/section/{section.number}/", valid_section(section)
        )
        assert posted.status_code == 302, section.title
    check = client.get(page.url + "respond/check/")
    sent = client.post(page.url + "respond/check/", {"token": check.context["token"]})
    assert sent.headers["Location"].endswith("respond/confirmation/")
    assert Response.objects.filter(consultation=page).count() == 1


# Finding and reading consultations.


@HOSTILE
@given(data=st.data())
@example(data=None)
def test_the_finder_answers_any_filter_without_failing(demo_site, data):
    fresh_example()
    if data is None:
        pairs = [("q", "%00"), ("topic", "%00"), ("area", "%00"), ("status", "%00")]
    else:
        pairs = [
            (name, data.draw(raw_values))
            for name in ("q", "topic", "area", "status", "page")
            if data.draw(st.booleans())
        ]
        pairs += data.draw(st.lists(st.tuples(raw_names, raw_values), max_size=3))
    response = Client().get("/consultations/?" + encoded(pairs))
    assert response.status_code == 200


PUBLIC_PAGES = [
    "/",
    "/consultations/budget-2027-28/",
    "/consultations/parks-and-green-spaces-strategy/",
    "/you-said-we-did/",
    "/open-data/",
    "/privacy/",
]


@HOSTILE
@given(path=st.sampled_from(PUBLIC_PAGES), pairs=st.lists(st.tuples(raw_names, raw_values)))
def test_public_pages_answer_any_query_string_without_failing(demo_site, path, pairs):
    fresh_example()
    response = Client().get(f"{path}?{encoded(pairs)}")
    assert response.status_code < 500


@HOSTILE
@given(
    prefix=st.sampled_from(["/", "/consultations/", "/api/v1/consultations/", "/accounts/"]),
    segment=raw_values,
    suffix=st.sampled_from(["", "/", "/respond/", "/results/", "/results.csv"]),
)
@example(prefix="/consultations/", segment="%00", suffix="/")
@example(prefix="/api/v1/consultations/", segment="%00", suffix="/results/")
@example(prefix="/consultations/", segment="%ED%A0%80", suffix="/")
def test_any_address_answers_without_failing(demo_site, prefix, segment, suffix):
    fresh_example()
    response = Client().get(prefix + segment + suffix)
    assert response.status_code < 500


# Responding: every section, drafts, check your answers.


@HOSTILE
@given(data=st.data())
def test_every_section_answers_hostile_fields_without_failing_or_storing_a_response(
    demo_site, data
):
    fresh_example()
    page = budget_consultation()
    sections = sections_of(page)
    section = data.draw(st.sampled_from(sections), label="section")
    fields = as_pairs(valid_section(section))
    names = sorted({name for name, _ in fields})
    hostile_name = data.draw(st.one_of(st.sampled_from(names), raw_names), label="field")
    hostile_value = data.draw(raw_values, label="value")
    fields = [(name, value) for name, value in fields if name != hostile_name]
    fields.append((hostile_name, hostile_value))
    fields.append(("action", data.draw(st.sampled_from(["continue", "update", "%00"]))))
    before = Response.objects.count()
    client = Client()
    client.get(page.url + "respond/")

    posted = post_form(client, page.url + f"respond/section/{section.number}/", fields)

    assert posted.status_code < 500
    assert Response.objects.count() == before
    state = client.session.get(f"consultation-response-{page.pk}", {})
    assert not has_nul(state)


@HOSTILE
@given(data=st.data())
@example(data=None)
def test_a_draft_saved_with_hostile_answers_never_fails_or_keeps_a_nul(demo_site, data):
    fresh_example()
    page = budget_consultation()
    sections = sections_of(page)
    client, resident = signed_in_client()
    if data is None:
        number, name = text_fields(sections)[-1]
        value = "%00"
    else:
        number, name = data.draw(st.sampled_from(text_fields(sections)), label="field")
        value = data.draw(raw_values, label="value")
    section = sections[number - 1]
    fields = [pair for pair in as_pairs(valid_section(section)) if pair[0] != quote(name)]
    fields += [(quote(name), value), ("action", "save")]
    client.get(page.url + "respond/")

    saved = post_form(client, page.url + f"respond/section/{number}/", fields)

    assert saved.status_code < 500
    draft = ResponseDraft.objects.filter(consultation=page, user=resident).first()
    assert draft is None or not has_nul(draft.answers)


@HOSTILE
@given(comment=raw_values, other=raw_values)
@example(comment="Keep%00+the+library", other="Parks%00")
@example(comment="%00", other="%00")
def test_a_response_with_hostile_words_is_stored_whole_or_not_at_all(demo_site, comment, other):
    fresh_example()
    page = budget_consultation()
    sections = sections_of(page)
    hostile = dict(zip([name for _, name in text_fields(sections)], [other, comment], strict=True))
    client = Client()
    client.get(page.url + "respond/")
    for section in sections:
        fields = [
            (name, hostile.get(plain, value))
            for plain, (name, value) in zip(
                valid_section(section), as_pairs(valid_section(section)), strict=True
            )
        ]
        posted = post_form(client, page.url + f"respond/section/{section.number}/", fields)
        assert posted.status_code < 500
    before_responses, before_answers = Response.objects.count(), Answer.objects.count()
    check = client.get(page.url + "respond/check/")
    assert check.status_code < 500
    if check.status_code != 200:  # an answer was refused: the resident is sent back to it
        assert Response.objects.count() == before_responses
        return

    sent = client.post(page.url + "respond/check/", {"token": check.context["token"]})

    assert sent.status_code < 500
    if sent.status_code == 302 and sent.headers["Location"].endswith("confirmation/"):
        response = Response.objects.get(consultation=page, idempotency_token=check.context["token"])
        assert response.answers.count() == Answer.objects.count() - before_answers
        assert not any("\x00" in answer.text for answer in response.answers.all())
    else:
        assert (Response.objects.count(), Answer.objects.count()) == (
            before_responses,
            before_answers,
        )


@HOSTILE
@given(data=st.data())
@example(data=None)
def test_check_your_answers_refuses_hostile_fields_and_then_stores_nothing(demo_site, data):
    fresh_example()
    page = budget_consultation()
    client = Client()
    client.get(page.url + "respond/")
    for section in sections_of(page):
        client.post(page.url + f"respond/section/{section.number}/", valid_section(section))
    token = client.get(page.url + "respond/check/").context["token"]
    if data is None:
        fields = [("token", token), ("tell_me", "yes"), ("outcome_email", "a%00@example.org")]
    else:
        fields = [("token", data.draw(st.sampled_from([quote(token), "%00"]), label="token"))]
        for name in ("receipt_email", "tell_me", "outcome_email"):
            if data.draw(st.booleans()):
                fields.append((name, data.draw(raw_values, label=name)))
        fields += data.draw(st.lists(st.tuples(raw_names, raw_values), max_size=2))
    before = (Response.objects.count(), OutcomeSubscription.objects.count())

    sent = post_form(client, page.url + "respond/check/", fields)

    assert sent.status_code < 500
    if sent.status_code != 302:
        assert (Response.objects.count(), OutcomeSubscription.objects.count()) == before
    assert not any(
        "\x00" in email for email in OutcomeSubscription.objects.values_list("email", flat=True)
    )


# The open data API.


API_PATHS = [
    "/api/v1/consultations/",
    "/api/v1/consultations/parks-and-green-spaces-strategy/results/",
    "/api/v1/consultations/parks-and-green-spaces-strategy/results.csv",
    "/api/v1/schema/",
    "/api/v1/",
]


@HOSTILE
@given(
    path=st.sampled_from(API_PATHS),
    pairs=st.lists(st.tuples(raw_names, raw_values), max_size=4),
    accept=st.sampled_from(["application/json", "text/html", "*/*", "text/csv", "\x7f;q=x"]),
)
@example(path=API_PATHS[0], pairs=[("status", "%00"), ("page", "%00")], accept="*/*")
def test_the_open_data_api_answers_any_query_without_failing(demo_site, path, pairs, accept):
    fresh_example()
    response = Client().get(f"{path}?{encoded(pairs)}", HTTP_ACCEPT=accept)
    assert response.status_code < 500


# Accounts.


ACCOUNT_FORMS = {
    "/accounts/login/": ("login", "password"),
    "/accounts/signup/": ("email", "password1", "password2"),
    "/accounts/password/reset/": ("email",),
}


@HOSTILE
@given(url=st.sampled_from(sorted(ACCOUNT_FORMS)), data=st.data())
@example(url="/accounts/login/", data=None)
def test_account_forms_refuse_hostile_input_without_failing_or_storing(demo_site, url, data):
    fresh_example()
    names = ACCOUNT_FORMS[url]
    if data is None:
        fields = [("login", "resident%00@example.org"), ("password", "%00")]
    else:
        fields = [(name, data.draw(raw_values, label=name)) for name in names]
    users = get_user_model().objects.count()

    posted = post_form(Client(), url, fields)

    assert posted.status_code < 500
    if posted.status_code != 302:
        assert get_user_model().objects.count() == users
    assert not any(
        "\x00" in email for email in get_user_model().objects.values_list("email", flat=True)
    )


# Answers that arrive another way (a spreadsheet) are refused field by field, never stored.


def test_a_free_text_answer_with_a_nul_character_is_refused_on_its_own_field():
    block = FreeTextBlock()
    value = block.to_python({"question": "Anything else?", "required": True, "max_length": 100})
    with pytest.raises(AnswerError) as refused:
        block.clean_answer(value, "comments", MultiValueDict({"q-comments": ["Keep\x00 it"]}))
    assert refused.value.errors == {"q-comments": hidden_null_message("Your answer")}


def test_an_other_answer_with_a_nul_character_is_refused_on_its_own_field():
    block = SingleChoiceBlock()
    value = block.to_python(
        {
            "question": "Pick one",
            "required": True,
            "allow_other": True,
            "options": builders.items("hostile/options", [("Yes", ""), ("No", "")]),
        }
    )
    posted = MultiValueDict({"q-choice": [OTHER], "q-choice-other": ["Parks\x00"]})
    with pytest.raises(AnswerError) as refused:
        block.clean_answer(value, "choice", posted)
    assert refused.value.errors == {"q-choice-other": hidden_null_message("Your other answer")}


def test_an_imported_comment_with_a_nul_character_is_refused_by_cell_and_nothing_is_stored(
    demo_site, tmp_path
):
    page = ConsultationPage.objects.get(slug=IMPORT_SLUG)
    # Long comments first: a NUL in a file's first 4 KB marks it as a workbook, not a CSV.
    rows = [answers_row(page, f"PARKS-P{n:04}", **{COMMENTS: "x" * 900}) for n in range(6)]
    rows.append(answers_row(page, "PARKS-P0100", **{COMMENTS: "Keep\x00 the trees"}))
    path = tmp_path / "paper.csv"
    path.write_bytes(spreadsheet(page, rows))
    before = Response.objects.count()

    with pytest.raises(CommandError) as refused:
        call_command("import_responses", IMPORT_SLUG, str(path), stdout=io.StringIO())

    assert "Row 9 (PARKS-P0100)" in str(refused.value)
    assert hidden_null_message("Your answer") in str(refused.value)
    assert Response.objects.count() == before


def test_an_imported_reference_with_a_nul_character_is_refused_by_row_and_nothing_is_stored(
    demo_site, tmp_path
):
    page = ConsultationPage.objects.get(slug=IMPORT_SLUG)
    rows = [answers_row(page, f"PARKS-P{n:04}", **{COMMENTS: "x" * 900}) for n in range(6)]
    rows.append(answers_row(page, "PARKS-P01\x0000"))
    path = tmp_path / "paper.csv"
    path.write_bytes(spreadsheet(page, rows))
    before = Response.objects.count()

    with pytest.raises(CommandError) as refused:
        call_command("import_responses", IMPORT_SLUG, str(path), stdout=io.StringIO())

    assert "Row 9" in str(refused.value)
    assert "reference" in str(refused.value).lower()
    assert "NUL" not in str(refused.value) and "0x00" not in str(refused.value)
    assert Response.objects.count() == before


# Officers' filters in the admin.


def enrolled_officer():
    """An administrator with two-step sign-in set up, as every admin account must have."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    officer = UserFactory(is_superuser=True, is_staff=True)
    EmailAddress.objects.create(user=officer, email=officer.email, verified=True, primary=True)
    TOTP.activate(officer, generate_totp_secret())
    return officer


ADMIN_FILTERS = {
    "/admin/moderation/": ("consultation", "question", "status", "flag", "p", "ordering"),
    "/admin/consultation-results/{parks}/": ("question", "by"),
    "/admin/consultation-results/{parks}/comments/": ("question", "theme", "p"),
    "/admin/pages/search/": ("q", "p"),
}


@settings(HOSTILE, max_examples=15)
@given(path=st.sampled_from(sorted(ADMIN_FILTERS)), data=st.data())
@example(path="/admin/pages/search/", data=None)
@example(path="/admin/moderation/", data=None)
@example(path="/admin/consultation-results/{parks}/comments/", data=None)
def test_officers_admin_filters_answer_any_value_without_failing(demo_site, path, data):
    fresh_example()
    client = Client()
    client.force_login(enrolled_officer())
    parks = ConsultationPage.objects.get(slug=IMPORT_SLUG)
    names = ADMIN_FILTERS[path]
    if data is None:
        pairs = [(name, "%00") for name in names]
    else:
        pairs = [(name, data.draw(raw_values, label=name)) for name in names]
    response = client.get(f"{path.format(parks=parks.pk)}?{encoded(pairs)}")
    assert response.status_code < 500
    if data is None:  # the officer really reached the filtered page, not a sign-in step
        assert response.status_code == 200

"""Once residents have answered, officers may reword questions but not change what they mean.

Deleting a question, changing its type or removing an option or ranking item would leave stored
answers pointing at nothing, so the page's clean() refuses it, and the Wagtail editor says why.
"""

import copy
import json
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail import blocks
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import nested_form_data, rich_text

from consultations.journey import questions_of
from consultations.models import Answer, ConsultationPage, Response
from consultations.stable_meaning import meaning_changes
from tests import builders
from tests.builders import consultation_questions
from tests.consultations.conftest import ids, submit

pytestmark = pytest.mark.django_db

QUESTIONS_BLOCK = ConsultationPage._meta.get_field("questions").stream_block


# Editing the raw StreamField data, as stored: sections holding questions holding options.


def raw_questions():
    return consultation_questions()


def find_question(raw, question_id):
    for section in raw:
        for question in section["value"]["questions"]:
            if question["id"] == question_id:
                return section, question
    raise LookupError(question_id)


def delete_question(raw, question_id):
    section, question = find_question(raw, question_id)
    section["value"]["questions"].remove(question)
    return raw


def remove_item(raw, question_id, key, item_id):
    _, question = find_question(raw, question_id)
    question["value"][key] = [item for item in question["value"][key] if item["id"] != item_id]
    return raw


def page_with(raw):
    """Enough of a page for questions_of(): its questions StreamField value."""
    return SimpleNamespace(questions=QUESTIONS_BLOCK.to_python(raw))


def changes(edit):
    """meaning_changes() between the test questions and the test questions after `edit`."""
    before = questions_of(page_with(raw_questions()))
    after = questions_of(page_with(edit(raw_questions())))
    return meaning_changes(before, after, Answer.objects.none())


def stored_raw(page):
    return copy.deepcopy(list(page.questions.raw_data))


# 1. What counts as a change of meaning.


def test_deleting_a_question_is_a_change_of_meaning_that_names_the_question():
    problems = changes(lambda raw: delete_question(raw, ids()["choice"]))
    assert problems == ["You cannot delete the question ‘Pick one’."]


def test_deleting_a_whole_section_names_every_question_in_it():
    def delete_first_section(raw):
        del raw[0]
        return raw

    problems = changes(delete_first_section)
    assert problems == [
        "You cannot delete the question ‘Rank these services’.",
        "You cannot delete the question ‘Pick one’.",
    ]


def test_changing_a_question_type_is_a_change_of_meaning_that_names_both_types():
    def to_multiple_choice(raw):
        _, question = find_question(raw, ids()["choice"])
        question["type"] = "multiple_choice"
        return raw

    problems = changes(to_multiple_choice)
    assert problems == [
        "You cannot change the type of the question ‘Pick one’ "
        "from single choice to multiple choice."
    ]


def test_removing_a_ranking_item_is_a_change_of_meaning_that_names_the_question():
    problems = changes(lambda raw: remove_item(raw, ids()["ranking"], "items", ids()["parks"]))
    assert problems == ["You cannot remove 1 option(s) from the question ‘Rank these services’."]


def test_removing_a_choice_option_is_a_change_of_meaning_that_names_the_question():
    problems = changes(lambda raw: remove_item(raw, ids()["choice"], "options", ids()["yes"]))
    assert problems == ["You cannot remove 1 option(s) from the question ‘Pick one’."]


def test_removing_a_ward_from_about_you_is_a_change_of_meaning():
    def remove_first_ward(raw):
        _, about = find_question(raw, ids()["about"])
        del about["value"]["wards"][0]
        return raw

    assert changes(remove_first_ward) == [
        "You cannot remove 1 option(s) from the question ‘About you’."
    ]


def test_every_change_is_reported_not_just_the_first():
    def break_two_questions(raw):
        delete_question(raw, ids()["comments"])
        return remove_item(raw, ids()["ranking"], "items", ids()["roads"])

    problems = changes(break_two_questions)
    assert len(problems) == 2
    assert "You cannot remove 1 option(s) from the question ‘Rank these services’." in problems
    assert "You cannot delete the question ‘Anything else?’." in problems


def test_rewording_a_question_its_help_text_and_its_options_is_not_a_change_of_meaning():
    def reword(raw):
        _, ranking = find_question(raw, ids()["ranking"])
        ranking["value"]["question"] = "Put these services in order"
        ranking["value"]["help_text"] = "1 is most important"
        ranking["value"]["items"][0]["value"]["label"] = "Public libraries"
        _, choice = find_question(raw, ids()["choice"])
        choice["value"]["options"][1]["value"]["label"] = "No, not at all"
        return raw

    assert changes(reword) == []


def test_adding_a_question_or_an_option_is_not_a_change_of_meaning():
    def add(raw):
        raw[1]["value"]["questions"].insert(
            0, builders.question("test/new", "free_text", "Anything more?", max_length=100)
        )
        _, choice = find_question(raw, ids()["choice"])
        choice["value"]["options"] += builders.items("test/options", [("Maybe", "")])
        _, ranking = find_question(raw, ids()["ranking"])
        ranking["value"]["items"] += builders.items("test/items", [("Bins", "")])
        return raw

    assert changes(add) == []


def test_moving_a_question_to_another_section_or_reordering_options_is_not_a_change_of_meaning():
    def move(raw):
        section, choice = find_question(raw, ids()["choice"])
        section["value"]["questions"].remove(choice)
        raw[1]["value"]["questions"].append(choice)
        _, ranking = find_question(raw, ids()["ranking"])
        ranking["value"]["items"].reverse()
        return raw

    assert changes(move) == []


# 2. The page refuses such edits once there are responses (and only then).


def errors_on_questions(excinfo):
    """The messages ConsultationPage.clean() put on the questions StreamField."""
    (error,) = excinfo.value.error_dict["questions"]
    return [message for e in error.non_block_errors.as_data() for message in e.messages]


def test_page_refuses_to_remove_a_ranking_item_once_there_are_responses(client, consultation):
    submit(client, consultation)
    assert Response.objects.filter(consultation=consultation).count() == 1

    consultation.questions = remove_item(
        stored_raw(consultation), ids()["ranking"], "items", ids()["parks"]
    )
    with pytest.raises(ValidationError) as excinfo:
        consultation.full_clean()

    messages = errors_on_questions(excinfo)
    assert messages[0] == "You cannot remove 1 option(s) from the question ‘Rank these services’."
    assert "1 response(s) have already been given to this consultation" in messages[-1]
    assert "You can reword questions and options instead." in messages[-1]


def test_page_refuses_to_delete_a_question_once_there_are_responses(client, consultation):
    submit(client, consultation)

    consultation.questions = delete_question(stored_raw(consultation), ids()["choice"])
    with pytest.raises(ValidationError) as excinfo:
        consultation.full_clean()

    messages = errors_on_questions(excinfo)
    assert "You cannot delete the question ‘Pick one’." in messages
    assert any("already been given" in message for message in messages)


def test_page_allows_any_edit_while_there_are_no_responses(consultation):
    assert not Response.objects.filter(consultation=consultation).exists()

    raw = remove_item(stored_raw(consultation), ids()["ranking"], "items", ids()["parks"])
    consultation.questions = delete_question(raw, ids()["choice"])
    consultation.full_clean()
    consultation.save()

    consultation.refresh_from_db()
    assert ids()["choice"] not in questions_of(consultation)


def test_page_allows_rewording_once_there_are_responses(client, consultation):
    submit(client, consultation)

    raw = stored_raw(consultation)
    _, ranking = find_question(raw, ids()["ranking"])
    ranking["value"]["question"] = "Put these services in order"
    ranking["value"]["items"][1]["value"]["label"] = "Parks and open spaces"
    consultation.questions = raw
    consultation.full_clean()


def test_a_new_page_with_no_id_yet_is_never_refused(consultation):
    page = ConsultationPage(
        title="New",
        slug="new",
        summary="New.",
        opens_at=consultation.opens_at,
        closes_at=consultation.closes_at,
        privacy_notice=consultation.privacy_notice,
        questions=raw_questions(),
    )
    page.clean()


# 3. Through the Wagtail page editor, as an officer would.


def block_form_data(block, raw):
    """The form fields the Wagtail editor posts for `raw` (a block's stored JSON), nested.

    Like wagtail.test.utils.form_data.streamfield(), but all the way down and keeping block ids:
    StreamBlock and ListBlock children post `count`, and `type`/`value`/`deleted`/`order`/`id` for
    each child; StructBlock children post under their names; a ticked checkbox posts "on".
    """
    if isinstance(block, blocks.BaseStreamBlock):
        data = {"count": str(len(raw))}
        for index, child in enumerate(raw):
            data[str(index)] = {
                "type": child["type"],
                "value": block_form_data(block.child_blocks[child["type"]], child["value"]),
                "deleted": "",
                "order": str(index),
                "id": child["id"],
            }
        return data
    if isinstance(block, blocks.ListBlock):
        data = {"count": str(len(raw))}
        for index, item in enumerate(raw):
            data[str(index)] = {
                "value": block_form_data(block.child_block, item["value"]),
                "deleted": "",
                "order": str(index),
                "id": item["id"],
            }
        return data
    if isinstance(block, blocks.BaseStructBlock):
        return {
            name: block_form_data(child, (raw or {}).get(name))
            for name, child in block.child_blocks.items()
        }
    if isinstance(block, blocks.BooleanBlock):
        return "on" if raw else ""
    return "" if raw is None else str(raw)


def edit_form_data(page, raw_questions, action=None):
    """Everything the ConsultationPage edit form posts, with `raw_questions` as the questions."""

    def when(moment):
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")

    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": page.summary,
            "body": rich_text(page.body),
            "opens_at": when(page.opens_at),
            "closes_at": when(page.closes_at),
            "retention_months": str(page.retention_months),
            "contact_name": page.contact_name,
            "contact_email": page.contact_email,
            "contact_phone": page.contact_phone,
            "privacy_notice": str(page.privacy_notice_id),
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
            "questions": block_form_data(QUESTIONS_BLOCK, raw_questions),
        }
    )
    if page.require_sign_in:
        data["require_sign_in"] = "on"
    if page.one_response_per_account:
        data["one_response_per_account"] = "on"
    if action:
        data[action] = action
    return data


OFFICERS = [
    pytest.param("editor@kingsmere.example", None, id="editor saving a draft"),
    pytest.param("approver@kingsmere.example", "action-publish", id="approver publishing"),
]


def questions_field_errors(response):
    """The messages the editor shows on the questions StreamField.

    Wagtail renders a StreamField in the browser from the widget's telepath arguments,
    [value, errors]; the errors' "messages" are shown above the field's blocks.
    """
    soup = WagtailTestUtils.get_soup(response.content)
    widget = soup.find(id="questions", attrs={"data-w-block-arguments-value": True})
    _value, errors = json.loads(widget["data-w-block-arguments-value"])
    return (errors or {}).get("messages", [])


def edit(client, page, email, raw, action):
    client.force_login(get_user_model().objects.get(email=email))
    return client.post(f"/admin/pages/{page.pk}/edit/", edit_form_data(page, raw, action))


def test_the_edit_form_data_round_trips_the_stored_questions_unchanged(client, consultation):
    """A check on the helpers: posting the page as stored saves the same questions."""
    raw = stored_raw(consultation)
    response = edit(client, consultation, "moderator@kingsmere.example", raw, "action-publish")
    assert response.status_code == 302

    consultation.refresh_from_db()
    assert list(consultation.questions.raw_data) == raw


@pytest.mark.parametrize("email, action", OFFICERS)
def test_editor_refuses_to_delete_an_answered_question_and_says_why(
    client, consultation, email, action
):
    submit(client, consultation)
    consultation.refresh_from_db()
    stored = stored_raw(consultation)
    revision = consultation.latest_revision
    revisions = consultation.revisions.count()

    raw = delete_question(stored_raw(consultation), ids()["choice"])
    response = edit(client, consultation, email, raw, action)

    assert response.status_code == 200
    assert "The page could not be saved due to validation errors." in response.content.decode()
    assert questions_field_errors(response) == [
        "You cannot delete the question ‘Pick one’.",
        "1 response(s) have already been given to this consultation, and they would lose their "
        "meaning. You can reword questions and options instead.",
    ]

    consultation.refresh_from_db()
    assert list(consultation.questions.raw_data) == stored
    assert consultation.latest_revision == revision
    assert consultation.revisions.count() == revisions
    assert ids()["choice"] in questions_of(consultation.get_latest_revision_as_object())


@pytest.mark.parametrize("email, action", OFFICERS)
def test_editor_refuses_to_remove_an_answered_option_and_says_why(
    client, consultation, email, action
):
    submit(client, consultation)
    consultation.refresh_from_db()
    revisions = consultation.revisions.count()

    raw = remove_item(stored_raw(consultation), ids()["ranking"], "items", ids()["libraries"])
    response = edit(client, consultation, email, raw, action)

    assert response.status_code == 200
    assert questions_field_errors(response)[0] == (
        "You cannot remove 1 option(s) from the question ‘Rank these services’."
    )
    consultation.refresh_from_db()
    assert consultation.revisions.count() == revisions
    ranking = questions_of(consultation)[ids()["ranking"]]
    assert ids()["libraries"] in ranking.block.option_ids(ranking.value)


@pytest.mark.parametrize("email, action", OFFICERS)
def test_editor_saves_a_reworded_question_when_there_are_responses(
    client, consultation, email, action
):
    submit(client, consultation)
    consultation.refresh_from_db()
    revisions = consultation.revisions.count()

    raw = stored_raw(consultation)
    _, choice = find_question(raw, ids()["choice"])
    choice["value"]["question"] = "Which do you prefer?"
    choice["value"]["options"][0]["value"]["label"] = "Yes, please"
    response = edit(client, consultation, email, raw, action)

    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.revisions.count() == revisions + 1
    saved = consultation.get_latest_revision_as_object()
    assert questions_of(saved)[ids()["choice"]].text == "Which do you prefer?"
    if action == "action-publish":
        assert questions_of(consultation)[ids()["choice"]].text == "Which do you prefer?"
        assert not consultation.has_unpublished_changes
    else:
        assert questions_of(consultation)[ids()["choice"]].text == "Pick one"
        assert consultation.has_unpublished_changes


def test_editor_can_still_delete_a_question_when_nobody_has_responded(client, consultation):
    raw = delete_question(stored_raw(consultation), ids()["choice"])
    response = edit(client, consultation, "approver@kingsmere.example", raw, "action-publish")

    assert response.status_code == 302
    consultation.refresh_from_db()
    assert ids()["choice"] not in questions_of(consultation)

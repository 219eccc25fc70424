"""The consultation finder: filter by status, topic and area, search by words, paginate."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.utils import timezone

from consultations.models import Area, ConsultationPage, Status, Topic

PAGE_SIZE = 10


def find_consultations(index_page, params, now=None):
    """Context for the index page from its GET parameters. Unknown values are ignored."""
    now = now or timezone.now()
    consultations = (
        ConsultationPage.objects.live().public().child_of(index_page).prefetch_related("topics")
    )
    status = params.get("status", "")
    if status == Status.OPEN:
        consultations = consultations.filter(opens_at__lte=now, closes_at__gt=now)
    elif status == Status.UPCOMING:
        consultations = consultations.filter(opens_at__gt=now)
    elif status == Status.CLOSED:
        consultations = consultations.filter(closes_at__lte=now)
    else:
        status = ""
    topic = Topic.objects.filter(slug=params.get("topic", "")).first()
    if topic:
        consultations = consultations.filter(topics=topic)
    area = Area.objects.filter(slug=params.get("area", "")).first()
    if area:
        consultations = consultations.filter(areas=area)
    query = params.get("q", "").strip()[:200]
    if query:
        matching_ids = list(consultations.values_list("id", flat=True))
        results = list(
            ConsultationPage.objects.filter(id__in=matching_ids)
            .prefetch_related("topics")
            .search(query, operator="and")
        )
    else:
        results = consultations.order_by("-closes_at")
    paginator = Paginator(results, PAGE_SIZE)
    page = paginator.get_page(params.get("page"))
    filters = {
        "q": query,
        "status": status,
        "topic": topic.slug if topic else "",
        "area": area.slug if area else "",
    }
    return {
        "consultations": page.object_list,
        "page_obj": page,
        "paginator": paginator,
        "filters": filters,
        "filter_query": urlencode({key: value for key, value in filters.items() if value}),
        "topics": Topic.objects.all(),
        "areas": Area.objects.all(),
        "statuses": Status.choices,
        "result_count": paginator.count,
    }

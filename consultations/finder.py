"""The consultation finder: filter by status, topic and area, search by words, paginate."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.utils import timezone

from consultations.models import Area, ConsultationPage, Status, Topic

PAGE_SIZE = 10


def _param(params, name):
    """One filter value as text, without NUL (PostgreSQL refuses it even in a search)."""
    value = params.get(name, "")
    return value.replace("\x00", "") if isinstance(value, str) else ""


def find_consultations(index_page, params, now=None):
    """Context for the index page from its GET parameters. Unknown values are ignored."""
    now = now or timezone.now()
    consultations = (
        ConsultationPage.objects.live().public().child_of(index_page).prefetch_related("topics")
    )
    status = _param(params, "status")
    if status == Status.OPEN:
        consultations = consultations.filter(opens_at__lte=now, closes_at__gt=now)
    elif status == Status.UPCOMING:
        consultations = consultations.filter(opens_at__gt=now)
    elif status == Status.CLOSED:
        consultations = consultations.filter(closes_at__lte=now)
    else:
        status = ""
    topic = Topic.objects.filter(slug=_param(params, "topic")).first()
    if topic:
        consultations = consultations.filter(topics=topic)
    area = Area.objects.filter(slug=_param(params, "area")).first()
    if area:
        consultations = consultations.filter(areas=area)
    query = _param(params, "q").strip()[:200]
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
    page = paginator.get_page(_param(params, "page"))
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

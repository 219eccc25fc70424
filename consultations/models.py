from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class ConsultationIndexPage(Page):
    """The list of every consultation the council runs or has run."""

    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["consultations"] = self.get_children().live().public().specific()
        return context

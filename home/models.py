from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page


@register_setting(icon="site")
class CouncilSettings(BaseSiteSetting):
    """Who runs this site: shown in the header, footer and every page title."""

    council_name = models.CharField(max_length=120, default="Kingsmere Borough Council")
    contact_email = models.EmailField(blank=True)
    address = models.CharField(max_length=255, blank=True)
    privacy_notice = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accessibility_statement = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [
        FieldPanel("council_name"),
        FieldPanel("contact_email"),
        FieldPanel("address"),
        FieldPanel("privacy_notice"),
        FieldPanel("accessibility_statement"),
    ]

    class Meta:
        verbose_name = "Council details"


class HomePage(Page):
    """The council's front door to its consultations."""

    intro = models.TextField(help_text="One or two sentences under the page heading.")
    body = RichTextField(blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = [
        "consultations.ConsultationIndexPage",
        "consultations.OutcomeIndexPage",
        "home.InformationPage",
    ]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from django.utils import timezone

        from consultations.models import ConsultationIndexPage, ConsultationPage

        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        context["consultation_index"] = (
            ConsultationIndexPage.objects.live().public().descendant_of(self).first()
        )
        context["open_consultations"] = (
            ConsultationPage.objects.live()
            .public()
            .descendant_of(self)
            .filter(opens_at__lte=now, closes_at__gt=now)
            .order_by("closes_at")
        )
        return context


class InformationPage(Page):
    """A plain content page: privacy notice, accessibility statement, about the council."""

    summary = models.TextField(blank=True)
    body = RichTextField(features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    parent_page_types = ["home.HomePage", "home.InformationPage"]
    subpage_types = ["home.InformationPage"]

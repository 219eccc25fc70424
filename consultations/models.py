import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from consultations.outcomes.panels import QuoteConsultationPanel
from consultations.questions import SectionsBlock


class OfficerManagedList(models.Model):
    """A named, slugged entry officers keep as a snippet; residents filter consultations by it."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


@register_snippet
class Topic(OfficerManagedList):
    """What a consultation is about (e.g. 'Budget', 'Transport')."""


@register_snippet
class Area(OfficerManagedList):
    """A part of the borough (ward or neighbourhood) a consultation affects."""


class ConsultationIndexPage(Page):
    """The list of every consultation the council runs or has run, with a finder."""

    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["consultations.ConsultationPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from consultations.finder import find_consultations

        context = super().get_context(request, *args, **kwargs)
        context.update(find_consultations(self, request.GET))
        return context


class Status(models.TextChoices):
    UPCOMING = "upcoming", "Upcoming"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ConsultationPage(RoutablePageMixin, Page):
    """One consultation: what the council is deciding, when, and the questions it asks."""

    summary = models.TextField(help_text="One or two sentences shown in lists and search results.")
    body = RichTextField(
        blank=True,
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul", "document-link"],
        help_text="What the council is deciding, the options and how answers will be used.",
    )
    topics = ParentalManyToManyField(Topic, blank=True, related_name="consultations")
    areas = ParentalManyToManyField(Area, blank=True, related_name="consultations")
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    privacy_notice = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Required before the consultation can open.",
    )
    retention_months = models.PositiveSmallIntegerField(
        default=12, help_text="Months after closing before personal data is anonymised."
    )
    require_sign_in = models.BooleanField(
        default=False, help_text="Residents must sign in with a verified email to respond."
    )
    one_response_per_account = models.BooleanField(
        default=False,
        help_text="Needs sign-in. Residents can change their response until the closing date.",
    )
    questions = StreamField(SectionsBlock(), blank=True, use_json_field=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("retention_months"),
            ],
            heading="Dates",
        ),
        MultiFieldPanel(
            [
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("areas", widget=forms.CheckboxSelectMultiple),
            ],
            heading="Topics and areas",
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("privacy_notice"),
            ],
            heading="Contact and privacy",
        ),
        MultiFieldPanel(
            [FieldPanel("require_sign_in"), FieldPanel("one_response_per_account")],
            heading="Who can respond",
        ),
        FieldPanel("questions"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("opens_at"),
        index.FilterField("closes_at"),
    ]
    parent_page_types = ["consultations.ConsultationIndexPage"]
    subpage_types = ["consultations.OutcomePage"]

    class Meta:
        ordering = ["-closes_at"]

    @property
    def published_outcome(self):
        """The live "you said, we did" page for this consultation, once it is published."""
        return OutcomePage.objects.child_of(self).live().public().first()

    def status_at(self, moment):
        if moment < self.opens_at:
            return Status.UPCOMING
        if moment < self.closes_at:
            return Status.OPEN
        return Status.CLOSED

    @property
    def status(self):
        return self.status_at(timezone.now())

    @property
    def accepts_responses(self):
        return self.status == Status.OPEN and self.privacy_notice_id is not None

    def clean(self):
        super().clean()
        from consultations.stable_meaning import refuse_changes_to_answered_questions

        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = "The closing date must be after the opening date."
        if not self.privacy_notice_id:
            errors["privacy_notice"] = (
                "Link the privacy notice: a consultation cannot open without one."
            )
        if self.one_response_per_account and not self.require_sign_in:
            errors["one_response_per_account"] = (
                "One response per account needs residents to sign in: tick 'Require sign in' too."
            )
        if errors:
            raise ValidationError(errors)
        refuse_changes_to_answered_questions(self)

    # Wagtail's preview: the landing page, each section, and all of them (consultations/preview.py).
    @property
    def preview_modes(self):
        from consultations.preview import preview_modes

        return preview_modes(self)

    def serve_preview(self, request, mode_name):
        from consultations.preview import serve

        return serve(request, self, mode_name)

    # The response journey (views live in consultations/journey_views.py).
    @path("respond/")
    def respond(self, request):
        from consultations import journey_views

        return journey_views.start(request, self)

    @re_path(r"^respond/section/(?P<number>\d+)/$")
    def respond_section(self, request, number):
        from consultations import journey_views

        return journey_views.section(request, self, int(number))

    @path("respond/check/")
    def respond_check(self, request):
        from consultations import journey_views

        return journey_views.check_answers(request, self)

    @path("respond/confirmation/")
    def respond_confirmation(self, request):
        from consultations import journey_views

        return journey_views.confirmation(request, self)

    @path("outcome-email/confirm/<str:key>/")
    def confirm_outcome_email(self, request, key):
        from consultations import journey_views

        return journey_views.confirm_outcome_email(request, self, key)


class Channel(models.TextChoices):
    ONLINE = "online", "Online"
    PAPER = "paper", "Paper"
    EMAIL = "email", "Email"
    EVENT = "event", "Event"


class Response(models.Model):
    """One resident's response to one consultation. Its answers are rows, so SQL can count them."""

    consultation = models.ForeignKey(
        ConsultationPage, on_delete=models.PROTECT, related_name="responses"
    )
    reference = models.CharField(max_length=20, unique=True)
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The same form posted twice carries the same token, so it makes one response.
    idempotency_token = models.UUIDField(default=uuid.uuid4)
    # Set to the user's id only where the consultation allows one response per account.
    one_per_account_key = models.BigIntegerField(null=True, blank=True)
    # When the consultation's retention period ended and its personal data went (retention.py).
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        permissions = [
            ("view_results", "Can see consultation results and themes"),
            ("view_personal_data", "Can see residents' personal data and original comments"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "idempotency_token"], name="one_response_per_submission"
            ),
            models.UniqueConstraint(
                fields=["consultation", "one_per_account_key"], name="one_response_per_account"
            ),
        ]
        indexes = [models.Index(fields=["consultation", "submitted_at"])]

    def __str__(self):
        return self.reference


class Answer(models.Model):
    """One answer, or one chosen option of a multiple-choice or about-you answer.

    `question_id` is the question block's StreamField id; `part` names a sub-question of the
    'about you' block; `option` is an option id, a scale point or a fixed choice key.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question_id = models.CharField(max_length=64)
    part = models.CharField(max_length=40, blank=True)
    option = models.CharField(max_length=64, blank=True)
    text = models.TextField(blank=True)
    number = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["question_id", "option"]),
            # Residents (not rows) per question, counted from the index in response order.
            models.Index(
                fields=["question_id", "response", "part"], name="answer_question_response_idx"
            ),
        ]


class RankingPosition(models.Model):
    """Where one resident put one item in a priority ranking (1 is the highest priority)."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="ranking_positions"
    )
    question_id = models.CharField(max_length=64)
    item_id = models.CharField(max_length=64)
    position = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question_id", "item_id"], name="one_position_per_item"
            )
        ]
        indexes = [models.Index(fields=["question_id", "item_id", "position"])]


class RankingBallot(models.Model):
    """One resident's whole ranking in one row, {item id: position}, beside the RankingPosition
    rows it sums up. Results count ballots (one row per resident, identical ballots together)
    instead of pivoting eight position rows per resident: for 100,000 residents that was the
    slowest part of the results (docs/performance.md). Written only by
    `responses.store_ranking_positions`, with the positions, so the two always agree.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="ranking_ballots")
    question_id = models.CharField(max_length=64)
    positions = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question_id"], name="one_ballot_per_ranking"
            )
        ]
        indexes = [models.Index(fields=["question_id"], name="ranking_ballot_question_idx")]


class ResponseDraft(models.Model):
    """A signed-in resident's unfinished answers, so they can come back later."""

    consultation = models.ForeignKey(ConsultationPage, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(default=dict)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consultation", "user"], name="one_draft_per_account")
        ]


# Moderation ----------------------------------------------------------------------------------


class ModerationStatus(models.TextChoices):
    PENDING = "pending", "Waiting for moderation"
    APPROVED = "approved", "Approved"
    REDACTED = "redacted", "Approved with redactions"
    REJECTED = "rejected", "Rejected"


# Statuses whose public text may appear on public pages, in quotes and in open data.
PUBLISHABLE = (ModerationStatus.APPROVED, ModerationStatus.REDACTED)


class RejectionReason(models.TextChoices):
    PERSONAL_DATA = "personal_data", "Personal data that cannot be redacted"
    ABUSIVE = "abusive", "Abusive, offensive or discriminatory"
    DEFAMATORY = "defamatory", "Could be defamatory or break the law"
    OFF_TOPIC = "off_topic", "Not about this consultation"
    SPAM = "spam", "Spam or advertising"
    DUPLICATE = "duplicate", "Repeats another comment word for word"


class Comment(models.Model):
    """A resident's free-text answer on its way through moderation.

    The answer itself is never changed: approving, rejecting and redacting write here, so the
    original stays recoverable by staff allowed to see it, and only `public_text` is ever public.
    """

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="comment")
    # Copied from the answer and its response so the queue filters without joins.
    consultation = models.ForeignKey(
        ConsultationPage, on_delete=models.CASCADE, related_name="comments"
    )
    question_id = models.CharField(max_length=64)
    submitted_at = models.DateTimeField(db_index=True)
    status = models.CharField(
        max_length=10, choices=ModerationStatus.choices, default=ModerationStatus.PENDING
    )
    rejection_reason = models.CharField(max_length=20, choices=RejectionReason.choices, blank=True)
    # What residents may read: the answer as written once approved, the moderator's edit once
    # redacted, nothing while pending or rejected. Kept here so public code never reads the answer.
    public_text = models.TextField(blank=True)
    # What the flagger found in the original: [{"kind": "email", "start": 0, "end": 12}, ...].
    flags = models.JSONField(default=list, blank=True)
    flagged_personal_data = models.BooleanField(default=False)
    flagged_abuse = models.BooleanField(default=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    themes = models.ManyToManyField("Theme", through="CommentTheme", related_name="comments")

    class Meta:
        permissions = [("moderate_comment", "Can moderate residents' comments")]
        indexes = [
            models.Index(fields=["consultation", "status"]),
            models.Index(fields=["consultation", "question_id", "status"]),
        ]
        ordering = ["submitted_at", "pk"]

    def __str__(self):
        return f"Comment {self.pk}"

    @property
    def is_published(self):
        return self.status in PUBLISHABLE


# Themes -------------------------------------------------------------------------------------


class ThemeSource(models.TextChoices):
    ANALYST = "analyst", "Added by an analyst"
    SUGGESTED = "suggested", "Suggested automatically"


class Theme(models.Model):
    """A topic analysts tag comments with, per consultation ("Library opening hours")."""

    consultation = models.ForeignKey(
        ConsultationPage, on_delete=models.CASCADE, related_name="themes"
    )
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True)
    # Suggested themes (a later stage) arrive with source "suggested" and wait for an analyst.
    source = models.CharField(
        max_length=10, choices=ThemeSource.choices, default=ThemeSource.ANALYST
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consultation", "name"], name="one_theme_per_name")
        ]
        ordering = ["name"]

    def __str__(self):
        return self.name


class CommentTheme(models.Model):
    """One comment tagged with one theme, by whom and how (an analyst, or accepted suggestion)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="theme_tags")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="tags")
    source = models.CharField(
        max_length=10, choices=ThemeSource.choices, default=ThemeSource.ANALYST
    )
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tagged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "theme"], name="one_tag_per_theme")
        ]


# "We asked, you said, we did" ------------------------------------------------------------------


class OutcomeSubscription(models.Model):
    """A resident asked to be told about the outcome. The only place the address is kept; the row
    is deleted once they are told, or when the consultation's retention period ends. Only a
    confirmed address is emailed the outcome (consultations/outcomes/subscriptions.py)."""

    consultation = models.ForeignKey(
        ConsultationPage, on_delete=models.CASCADE, related_name="outcome_subscriptions"
    )
    email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "email"], name="one_subscription_per_address"
            )
        ]


class OutcomeIndexPage(Page):
    """Every published "we asked, you said, we did", newest first."""

    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from consultations.outcomes.pages import index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(index_context(request.GET))
        return context


OUTCOME_SLUG = "outcome"


class OutcomePage(Page):
    """What the council did with what residents said, published under a closed consultation."""

    summary = models.TextField(help_text="One or two sentences shown in lists of outcomes.")
    you_said = RichTextField(
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
        help_text="What residents told us, in your words. Figures and charts are added for you.",
    )
    show_results = models.BooleanField(
        default=True, help_text="Show figures and charts of the answers under 'You said'."
    )
    we_did_intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text="Optional introduction to the decisions.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("you_said"),
                FieldPanel("show_results"),
                QuoteConsultationPanel(heading="Where quotes come from"),
                InlinePanel("quotes", label="Quote", heading="Quotes from approved comments"),
            ],
            heading="You said",
        ),
        MultiFieldPanel(
            [FieldPanel("we_did_intro"), InlinePanel("decisions", label="Decision", min_num=1)],
            heading="We did",
        ),
    ]
    parent_page_types = ["consultations.ConsultationPage"]
    subpage_types = []
    max_count_per_parent = 1
    # One outcome per consultation, always at <consultation>/outcome/: a slug made from the title
    # would repeat the consultation's own ("libraries/libraries-what-we-did"), so officers are
    # not asked for one.
    promote_panels = [
        MultiFieldPanel(
            [FieldPanel("seo_title"), FieldPanel("search_description")],
            heading="For search engines",
        )
    ]

    def full_clean(self, *args, **kwargs):
        if not self.slug:
            self.slug = OUTCOME_SLUG
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = OUTCOME_SLUG
        return super().save(*args, **kwargs)

    # The admin form knows the consultation, so it refuses quotes that may not be shown there.
    from consultations.outcomes.forms import OutcomePageForm as base_form_class

    @property
    def consultation(self):
        return self.get_parent().specific

    def clean(self):
        super().clean()
        from consultations.outcomes.pages import open_consultation_refusal

        parent = self.get_parent()  # None while the admin form validates a new page
        refusal = open_consultation_refusal(parent.specific) if parent else None
        if refusal:
            raise ValidationError(refusal)

    def get_context(self, request, *args, **kwargs):
        from consultations.outcomes.pages import outcome_context

        context = super().get_context(request, *args, **kwargs)
        context.update(outcome_context(self))
        return context


class DecisionStatus(models.TextChoices):
    DONE = "done", "Done"
    IN_PROGRESS = "in_progress", "In progress"
    NOT_TAKEN_FORWARD = "not_taken_forward", "Not taken forward"


class OutcomeDecision(Orderable):
    """One thing the council decided, with where it stands and why."""

    page = ParentalKey(OutcomePage, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=DecisionStatus.choices)
    reason = models.TextField(
        blank=True, help_text="Why: needed when a proposal is not taken forward."
    )
    decided_on = models.DateField()
    expected_by = models.DateField(
        null=True, blank=True, help_text="For work in progress: when it should be done."
    )

    panels = [
        FieldPanel("decision"),
        FieldPanel("detail"),
        FieldPanel("status"),
        FieldPanel("reason"),
        FieldRowPanel([FieldPanel("decided_on"), FieldPanel("expected_by")]),
    ]

    def clean(self):
        super().clean()
        from consultations.outcomes.pages import decision_errors

        errors = decision_errors(self.status, self.reason, self.decided_on, self.expected_by)
        if errors:
            raise ValidationError(errors)


class OutcomeQuote(Orderable):
    """A resident's words, quoted in "you said": only ever an approved (or redacted) comment."""

    page = ParentalKey(OutcomePage, on_delete=models.CASCADE, related_name="quotes")
    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="+")

    # The chooser (consultations/outcomes/choosers.py) lists published comments only; the page
    # form also checks the comment belongs to this consultation.
    panels = [FieldPanel("comment")]

    def clean(self):
        super().clean()
        from consultations.outcomes.pages import unpublished_comment_refusal

        refusal = unpublished_comment_refusal(self.comment) if self.comment_id else None
        if refusal:
            raise ValidationError({"comment": refusal})


# Spreadsheets ---------------------------------------------------------------------------------


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being made"
    READY = "ready", "Ready to download"
    FAILED = "failed", "Failed"


class ResponseExport(models.Model):
    """A responses spreadsheet too big to make within a request, made by a background task.

    The file is kept outside the public media folder and only the officer who asked for it may
    download it, for a day; its filters and whether it holds personal data are kept for the audit.
    """

    consultation = models.ForeignKey(
        ConsultationPage, on_delete=models.CASCADE, related_name="response_exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file_format = models.CharField(max_length=4)
    filters = models.JSONField(default=dict, blank=True)
    personal_data = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows = models.PositiveIntegerField(null=True, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Set by the worker as it starts and after every batch: a stale one means the worker died.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # What the officer is told when it failed (blank: the general "could not be made").
    failure_message = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"Export {self.pk} of {self.consultation}"

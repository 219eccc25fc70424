"""Choosing a resident's comment to quote on an outcome page.

A Wagtail chooser (a searchable, paginated modal) instead of a select of every comment: there can
be 100,000 of them. It lists and returns published comments only, by their public text. On an
outcome page it lists only the outcome's consultation (the page passes it as a linked field, and
the modal then offers no other); the page form still checks the comment is from its consultation.
"""

from django import forms
from django.utils.text import Truncator
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import (
    ChooseResultsView,
    ChooseView,
    ChosenMultipleView,
    ChosenView,
)
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets.chooser import BaseChooser

from consultations.models import PUBLISHABLE, Comment, ConsultationPage
from consultations.outcomes.panels import CONSULTATION_INPUT_ID

EXCERPT_WORDS = 30


def published_comments():
    return Comment.objects.filter(status__in=PUBLISHABLE).exclude(public_text="")


def excerpt(comment):
    """How a comment is named in the chooser and on the chosen quote: its public words."""
    return Truncator(comment.public_text).words(EXCERPT_WORDS)


class CommentFilterForm(BaseFilterForm):
    q = forms.CharField(
        label="Search the comments' words",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Search"}),
    )
    consultation = forms.ModelChoiceField(
        label="Consultation",
        queryset=ConsultationPage.objects.order_by("-closes_at"),
        required=False,
        empty_label="All consultations",
        widget=forms.Select(attrs={"data-chooser-modal-search-filter": True}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.data.get("consultation"):
            # Opened from an outcome page: its consultation only, kept on every search.
            self.fields["consultation"].widget = forms.HiddenInput()

    def filter(self, objects):
        consultation = self.cleaned_data.get("consultation")
        if consultation:
            objects = objects.filter(consultation=consultation)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            self.is_searching = True
            self.search_query = query
            objects = objects.filter(public_text__icontains=query)
        return super().filter(objects)


class PublishedCommentsMixin:
    """Published comments, newest first, shown by their words and consultation."""

    filter_form_class = CommentFilterForm
    ordering = ("-submitted_at", "-pk")

    def get_object_list(self):
        return published_comments().select_related("consultation")

    @property
    def columns(self):
        title = self.title_column
        title.accessor = excerpt
        title.label = "Comment"
        return [
            title,
            Column("consultation", label="Consultation", accessor="consultation.title"),
            Column("status", label="Moderation", accessor="get_status_display"),
        ]


class CommentChooseView(PublishedCommentsMixin, ChooseView):
    pass


class CommentChooseResultsView(PublishedCommentsMixin, ChooseResultsView):
    pass


class PublishedCommentChosenMixin:
    def get_object(self, pk):
        return published_comments().get(pk=pk)

    def get_objects(self, pks):
        return published_comments().filter(pk__in=pks)

    def get_display_title(self, instance):
        return excerpt(instance)


class CommentChosenView(PublishedCommentChosenMixin, ChosenView):
    pass


class CommentChosenMultipleView(PublishedCommentChosenMixin, ChosenMultipleView):
    pass


class CommentChooserWidget(BaseChooser):
    show_edit_link = False
    linked_fields = {"consultation": f"#{CONSULTATION_INPUT_ID}"}

    def get_display_title(self, instance):
        return excerpt(instance)


class PublishedCommentChooserViewSet(ChooserViewSet):
    model = Comment
    icon = "openquote"
    choose_one_text = "Choose a comment to quote"
    choose_another_text = "Choose another comment"
    edit_item_text = "Edit"
    per_page = 20
    choose_view_class = CommentChooseView
    choose_results_view_class = CommentChooseResultsView
    chosen_view_class = CommentChosenView
    chosen_multiple_view_class = CommentChosenMultipleView
    base_widget_class = CommentChooserWidget


comment_chooser_viewset = PublishedCommentChooserViewSet("published_comment_chooser")

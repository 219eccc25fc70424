"""Results and themes in the Wagtail admin, for officers who may see them (the Analysts group).

Every view needs `consultations.view_results`; changing themes and tags needs the theme
permissions as well. Officers without them get a 403 page, never the numbers.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from consultations.analysis import themes as theme_services
from consultations.analysis.charts import breakdown_table, results_charts
from consultations.analysis.results import (
    all_questions,
    breakdown_choices,
    consultation_results,
    question_breakdown,
)
from consultations.models import PUBLISHABLE, Comment, ConsultationPage, Theme
from consultations.moderation.comments import takes_comments
from portal import permissions
from portal.admin_refusals import refused

TITLE = "Results"
ICON = "view"
NOT_AN_ANALYST = (
    "You do not have permission to see this. Consultation results and themes are for the "
    "Analysts group: ask an administrator to add you to it if you need them."
)
COMMENTS_PER_PAGE = 25


def allowed(user, *abilities):
    """Whether `user` may see results and do each of `abilities` (portal/permissions.py)."""
    return permissions.may_see_results(user) and all(ability(user) for ability in abilities)


class ResultsView(WagtailAdminTemplateMixin, TemplateView):
    """Refuses, with 403, anyone who may not see results or do what this view lists."""

    header_icon = ICON
    abilities = ()

    def dispatch(self, request, *args, **kwargs):
        if not allowed(request.user, *self.abilities):
            return refused(request, NOT_AN_ANALYST, TITLE, ICON)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("consultation_results:index"), "label": TITLE},
        ]


class ConsultationView(ResultsView):
    """A view of one consultation's results or themes."""

    @cached_property
    def consultation(self):
        return get_object_or_404(ConsultationPage, pk=self.kwargs["page_id"])

    def get_page_title(self):
        return self.consultation.title

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {
                "url": reverse("consultation_results:dashboard", args=[self.consultation.pk]),
                "label": self.consultation.title,
            },
        ]

    def get_context_data(self, **kwargs):
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "consultation": self.consultation,
            "can_view_themes": allowed(user, permissions.may_see_themes),
            "can_add_theme": allowed(user, permissions.may_add_themes),
            "can_change_theme": allowed(user, permissions.may_change_themes),
            "can_delete_theme": allowed(user, permissions.may_delete_themes),
        }


# Results --------------------------------------------------------------------------------------


class IndexView(ResultsView):
    template_name = "consultations/analysis/admin/index.html"
    page_title = TITLE

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": TITLE}]

    def get_context_data(self, **kwargs):
        consultations = ConsultationPage.objects.annotate(
            response_count=Count("responses", distinct=True)
        ).order_by("-closes_at")
        return {**super().get_context_data(**kwargs), "consultations": consultations}


class BreakdownForm(forms.Form):
    question = forms.ChoiceField(label="Question")
    by = forms.ChoiceField(label="Break down by")

    def __init__(self, consultation, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [
            (question.id, question.text)
            for _section, question in all_questions(consultation)
            if question.block.breakdown is not None
        ]
        self.fields["by"].choices = breakdown_choices(consultation)


class DashboardView(ConsultationView):
    template_name = "consultations/analysis/admin/dashboard.html"

    def get_breadcrumbs_items(self):
        return [
            *ResultsView.get_breadcrumbs_items(self),
            {"url": "", "label": self.consultation.title},
        ]

    def get_context_data(self, **kwargs):
        results = consultation_results(self.consultation)
        form = BreakdownForm(self.consultation, self.request.GET or None)
        breakdown = None
        if form.is_bound and form.is_valid():
            breakdown = breakdown_table(
                question_breakdown(
                    self.consultation, form.cleaned_data["question"], form.cleaned_data["by"]
                )
            )
        context = super().get_context_data(**kwargs)
        return {
            **context,
            "results": results,
            "charts": results_charts(results),
            "breakdown_form": form,
            "can_break_down": bool(form.fields["question"].choices and form.fields["by"].choices),
            "breakdown": breakdown,
            "themes": (
                theme_services.themes_with_counts(self.consultation)
                if context["can_view_themes"]
                else []
            ),
            "can_see_budget_results": permissions.may_see_budget_results(self.request.user),
        }


# Themes ---------------------------------------------------------------------------------------


class ThemeForm(forms.Form):
    name = forms.CharField(max_length=theme_services.NAME_LENGTH, label="Name")
    description = forms.CharField(
        max_length=theme_services.DESCRIPTION_LENGTH,
        required=False,
        label="Description",
        help_text="Optional: what comments with this theme are about.",
    )


class ThemesView(ConsultationView):
    """The consultation's themes, with counts, and a form to add one."""

    template_name = "consultations/analysis/admin/themes.html"
    abilities = (permissions.may_see_themes,)

    def get_page_title(self):
        return f"Themes: {self.consultation.title}"

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": "Themes"}]

    def get_context_data(self, form=None, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "themes": theme_services.themes_with_counts(self.consultation),
            "form": form or ThemeForm(),
            "published": Comment.objects.filter(
                consultation=self.consultation, status__in=PUBLISHABLE
            ).count(),
        }

    def post(self, request, *args, **kwargs):
        if not allowed(request.user, permissions.may_add_themes):
            return self.refuse(request)
        form = ThemeForm(request.POST)
        if form.is_valid():
            try:
                theme = theme_services.add_theme(
                    self.consultation,
                    form.cleaned_data["name"],
                    request.user,
                    description=form.cleaned_data["description"],
                )
            except ValidationError as error:
                form.add_error("name", error)
            else:
                messages.success(request, f"Theme ‘{theme.name}’ added.")
                return redirect("consultation_results:themes", self.consultation.pk)
        return self.render_to_response(self.get_context_data(form=form))

    def refuse(self, request):
        return refused(request, NOT_AN_ANALYST, TITLE, ICON)


class ThemeView(ConsultationView):
    """One theme of the consultation (a theme of another consultation is not found)."""

    @cached_property
    def theme(self):
        return get_object_or_404(Theme, pk=self.kwargs["theme_id"], consultation=self.consultation)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {
                "url": reverse("consultation_results:themes", args=[self.consultation.pk]),
                "label": "Themes",
            },
            {"url": "", "label": self.theme.name},
        ]


class EditThemeView(ThemeView):
    template_name = "consultations/analysis/admin/theme_form.html"
    abilities = (permissions.may_see_themes, permissions.may_change_themes)

    def get_page_title(self):
        return f"Rename ‘{self.theme.name}’"

    def get_context_data(self, form=None, **kwargs):
        form = form or ThemeForm(
            initial={"name": self.theme.name, "description": self.theme.description}
        )
        return {**super().get_context_data(**kwargs), "theme": self.theme, "form": form}

    def post(self, request, *args, **kwargs):
        form = ThemeForm(request.POST)
        if form.is_valid():
            try:
                theme_services.rename_theme(
                    self.theme,
                    form.cleaned_data["name"],
                    request.user,
                    description=form.cleaned_data["description"],
                )
            except ValidationError as error:
                form.add_error("name", error)
            else:
                messages.success(request, f"Theme saved as ‘{self.theme.name}’.")
                return redirect("consultation_results:themes", self.consultation.pk)
        return self.render_to_response(self.get_context_data(form=form))


class DeleteThemeView(ThemeView):
    template_name = "consultations/analysis/admin/theme_delete.html"
    abilities = (permissions.may_see_themes, permissions.may_delete_themes)

    def get_page_title(self):
        return f"Delete ‘{self.theme.name}’"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "theme": self.theme,
            "tagged": self.theme.tags.count(),
        }

    def post(self, request, *args, **kwargs):
        name = self.theme.name
        tagged = theme_services.delete_theme(self.theme, request.user)
        messages.success(
            request,
            f"Theme ‘{name}’ deleted"
            + (
                f", and removed from {tagged} comment{'s' if tagged != 1 else ''}."
                if tagged
                else "."
            ),
        )
        return redirect("consultation_results:themes", self.consultation.pk)


UNTAGGED_FIRST = "untagged"
OLDEST_FIRST = "oldest"


class CommentFilter(forms.Form):
    words = forms.CharField(
        label="Words",
        required=False,
        max_length=200,
        help_text="Comments whose published text contains all of these words, in any capitals.",
    )
    question = forms.ChoiceField(label="Question", required=False)
    theme = forms.ChoiceField(label="Theme", required=False)
    order = forms.ChoiceField(
        label="Order",
        required=False,
        choices=[(UNTAGGED_FIRST, "No theme yet first"), (OLDEST_FIRST, "Oldest first")],
    )

    def __init__(self, consultation, themes, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [("", "All questions")] + [
            (question.id, question.text)
            for _section, question in all_questions(consultation)
            if takes_comments(question)
        ]
        self.fields["theme"].choices = [
            ("", "Any or none"),
            ("none", "No theme yet"),
            *((str(theme.pk), theme.name) for theme in themes),
        ]


class CommentsView(ConsultationView):
    """Published comments, by their public text only, each with its themes to tick."""

    template_name = "consultations/analysis/admin/comments.html"
    abilities = (permissions.may_see_themes,)

    def get_page_title(self):
        return f"Tag comments: {self.consultation.title}"

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {
                "url": reverse("consultation_results:themes", args=[self.consultation.pk]),
                "label": "Themes",
            },
            {"url": "", "label": "Tag comments"},
        ]

    def get_context_data(self, **kwargs):
        themes = list(Theme.objects.filter(consultation=self.consultation))
        filters = CommentFilter(self.consultation, themes, self.request.GET)
        chosen = filters.cleaned_data if filters.is_valid() else {}
        theme_id = chosen.get("theme", "")
        comments = theme_services.published_comments(
            self.consultation,
            question_id=chosen.get("question") or None,
            theme=next((t for t in themes if str(t.pk) == theme_id), None),
            untagged=theme_id == "none",
            words=chosen.get("words", ""),
            untagged_first=chosen.get("order") != OLDEST_FIRST,
        )
        page = Paginator(comments, COMMENTS_PER_PAGE).get_page(self.request.GET.get("p"))
        tags = theme_services.tags_of(page.object_list)
        questions = {
            question.id: question.text for _s, question in all_questions(self.consultation)
        }
        query = self.request.GET.copy()
        query.pop("p", None)
        return {
            **super().get_context_data(**kwargs),
            "filters": filters,
            "themes": themes,
            "page": page,
            "query": query.urlencode(),
            "comments": [
                {
                    "comment": comment,
                    "question": questions.get(comment.question_id, "Removed question"),
                    "themes": [theme for theme in themes if theme.pk in tags[comment.pk]],
                    "ticked": tags[comment.pk],
                }
                for comment in page.object_list
            ],
            "here": self.request.get_full_path(),
            "bulk_form": BulkThemesForm(themes),
        }


class CommentThemesView(ConsultationView):
    """Saves the themes ticked for one comment, then goes back to the list."""

    abilities = (permissions.may_see_themes, permissions.may_change_themes)
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        comment = get_object_or_404(
            Comment.objects.only("id", "consultation_id", "status"),
            pk=self.kwargs["comment_id"],
            consultation=self.consultation,
            status__in=PUBLISHABLE,
        )
        chosen = Theme.objects.filter(
            consultation=self.consultation,
            pk__in=[v for v in request.POST.getlist("themes") if v.isdigit()],
        )
        added, removed = theme_services.set_comment_themes(comment, list(chosen), request.user)
        if added or removed:
            messages.success(request, "Themes saved.")
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            back = reverse("consultation_results:comments", args=[self.consultation.pk])
        return redirect(f"{back}#comment-{comment.pk}" if "#" not in back else back)


class BulkThemesForm(forms.Form):
    """One theme to add to, or remove from, the comments ticked on the list (or all on the page).

    The comment ids themselves are checked by the service, which refuses the lot if any is not
    a published comment of this consultation.
    """

    ADD, REMOVE = "add", "remove"

    theme = forms.TypedChoiceField(
        label="Theme", coerce=int, error_messages={"required": "Choose a theme"}
    )
    action = forms.ChoiceField(choices=[(ADD, "Add"), (REMOVE, "Remove")])
    all_on_page = forms.BooleanField(required=False, label="Select all comments on this page")

    def __init__(self, themes, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "Choose a theme")] + [
            (theme.pk, theme.name) for theme in themes
        ]


class BulkThemesView(ConsultationView):
    """Adds one theme to, or removes it from, many comments in one POST, then goes back to the
    list with its filters. Nothing changes unless every selected comment may be tagged."""

    abilities = (permissions.may_see_themes, permissions.may_change_themes)
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        themes = {t.pk: t for t in Theme.objects.filter(consultation=self.consultation)}
        form = BulkThemesForm(themes.values(), request.POST)
        if not form.is_valid():
            errors = [error for field in form.errors.values() for error in field]
            messages.error(request, "Nothing was changed: " + " ".join(errors))
            return self.back(request)
        theme = themes[form.cleaned_data["theme"]]
        selected = request.POST.getlist("comments")
        if form.cleaned_data["all_on_page"]:
            selected += request.POST.getlist("on_page")
        try:
            if form.cleaned_data["action"] == BulkThemesForm.ADD:
                added, already = theme_services.tag_comments(theme, selected, request.user)
                message = f"Theme ‘{theme.name}’ added to {plural(added, 'comment')}" + (
                    f" ({already} already had it)." if already else "."
                )
            else:
                removed = theme_services.untag_comments(theme, selected, request.user)
                message = f"Theme ‘{theme.name}’ removed from {plural(removed, 'comment')}."
        except ValidationError as error:
            messages.error(request, "Nothing was changed: " + " ".join(error.messages))
        else:
            messages.success(request, message)
        return self.back(request)

    def back(self, request):
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            back = reverse("consultation_results:comments", args=[self.consultation.pk])
        return redirect(back)


def plural(count, noun):
    return f"{count} {noun}{'' if count == 1 else 's'}"


urlpatterns = [
    path("", IndexView.as_view(), name="index"),
    path("<int:page_id>/", DashboardView.as_view(), name="dashboard"),
    path("<int:page_id>/themes/", ThemesView.as_view(), name="themes"),
    path("<int:page_id>/themes/<int:theme_id>/", EditThemeView.as_view(), name="edit_theme"),
    path(
        "<int:page_id>/themes/<int:theme_id>/delete/",
        DeleteThemeView.as_view(),
        name="delete_theme",
    ),
    path("<int:page_id>/comments/", CommentsView.as_view(), name="comments"),
    path("<int:page_id>/comments/themes/", BulkThemesView.as_view(), name="bulk_themes"),
    path(
        "<int:page_id>/comments/<int:comment_id>/themes/",
        CommentThemesView.as_view(),
        name="comment_themes",
    ),
]

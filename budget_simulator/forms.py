"""The budget editor's own checks: things one row cannot see on its own."""

from wagtail.admin.forms import WagtailAdminModelForm


def answered_keys(keys):
    """Which of these lever keys residents have already answered."""
    from consultations.models import Answer

    return set(
        Answer.objects.filter(part__in=["line", "revenue"], option__in=[str(k) for k in keys])
        .values_list("option", flat=True)
        .distinct()
    )


class BudgetForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        lines = self.formsets.get("service_lines")
        options = self.formsets.get("revenue_options")
        if lines is not None and lines.is_valid():
            self._refuse_duplicate_codes(lines)
        for formset in (lines, options):
            if formset is not None and formset.is_valid():
                self._refuse_deleting_answered(formset)
        return cleaned

    @staticmethod
    def _kept(formset):
        return [form for form in formset.forms if not formset._should_delete_form(form)]

    def _refuse_duplicate_codes(self, formset):
        seen = {}
        for form in self._kept(formset):
            code = (form.cleaned_data.get("code") or "").strip().upper()
            if not code:
                continue
            if code in seen:
                form.add_error("code", f"Another service line already has the code {code}.")
            seen[code] = form

    def _refuse_deleting_answered(self, formset):
        deleted = [
            form.instance
            for form in formset.forms
            if formset._should_delete_form(form) and form.instance.pk
        ]
        answered = answered_keys(lever.key for lever in deleted)
        for lever in deleted:
            if str(lever.key) in answered:
                self.add_error(
                    None,
                    f"You cannot delete ‘{lever.name}’: residents have already answered this "
                    "budget, and their answers would lose their meaning. You can rename it "
                    "instead.",
                )

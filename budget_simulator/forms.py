"""The budget editor's own checks: things one row cannot see on its own."""

from wagtail.admin.forms import WagtailAdminModelForm

from budget_simulator.versions import frozen_reason, is_frozen, uses


class BudgetForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        if is_frozen(self.instance):
            answered = [use for use in uses(self.instance) if use.answered_by]
            self.add_error(None, frozen_reason(answered))
            return cleaned
        lines = self.formsets.get("service_lines")
        if lines is not None and lines.is_valid():
            self._refuse_duplicate_codes(lines)
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

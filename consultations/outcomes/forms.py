"""The officer's form for an outcome page: it knows the consultation (the parent page), so it
refuses an outcome for an open consultation and quotes that may not be shown there.

Nothing from `consultations.models` is imported at module level: the page model names this form
as its `base_form_class`.
"""

from wagtail.admin.forms import WagtailAdminPageForm


class OutcomePageForm(WagtailAdminPageForm):
    def clean(self):
        from consultations.outcomes.pages import open_consultation_refusal, quote_refusal

        cleaned_data = super().clean()
        consultation = self.parent_page.specific if self.parent_page else None
        if consultation is None:
            return cleaned_data
        # A saved page is checked by OutcomePage.clean(); a new one is not in the tree yet.
        refusal = open_consultation_refusal(consultation) if not self.instance.pk else None
        if refusal:
            self.add_error(None, refusal)
        quotes = self.formsets.get("quotes")
        for form in quotes.forms if quotes else []:
            if form.errors or form.cleaned_data.get("DELETE"):
                continue  # its own field errors come first; a deleted quote needs no check
            comment = form.cleaned_data.get("comment")
            problem = quote_refusal(comment, consultation) if comment else None
            if problem:
                form.add_error("comment", problem)
        return cleaned_data

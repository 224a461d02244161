import datetime

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _


class RangeForm(forms.Form):
    """An optional range of days, both ends included, read from the query parameters `from` and
    `to` (YYYY-MM-DD)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in (("from", _("Van")), ("to", _("Tot en met"))):
            self.fields[name] = forms.DateField(
                label=label,
                required=False,
                input_formats=["%Y-%m-%d"],
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            raise forms.ValidationError(_("De begindatum ligt na de einddatum."))
        return cleaned

    def range(self) -> tuple[datetime.date | None, datetime.date | None]:
        return self.cleaned_data.get("from"), self.cleaned_data.get("to")

    def first_error(self) -> str:
        """The first error as `field: why`, as the JSON API answers a bad request."""
        for field, errors in self.errors.items():
            name = "range" if field == NON_FIELD_ERRORS else field
            return f"{name}: {errors[0]}"
        return ""

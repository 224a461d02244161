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


class ReleaseForm(forms.Form):
    """Which release the admin page shows (its id; the newest "so far" release when none is
    chosen) and, for those allowed the exact figures, whether to show those instead."""

    release = forms.TypedChoiceField(label=_("Publicatie"), coerce=int, required=False)
    exact = forms.BooleanField(label=_("Exacte cijfers (niet publiceren)"), required=False)

    def __init__(self, *args, releases=(), exact_allowed=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.releases = {r.pk: r for r in releases}
        self.fields["release"].choices = [(r.pk, release_label(r)) for r in releases]
        if not exact_allowed:
            del self.fields["exact"]

    def selected(self):
        """The chosen release; else the newest one covering every day so far."""
        chosen = self.cleaned_data.get("release")
        if chosen:
            return self.releases[chosen]
        so_far = [r for r in self.releases.values() if r.kind == "to" and not r.simulated]
        return max(so_far, key=lambda r: r.last_day, default=None)

    def first_error(self) -> str:
        for field, errors in self.errors.items():
            return f"{field}: {errors[0]}"
        return ""


def release_label(release) -> str:
    if release.kind == "day":
        label = release.last_day.isoformat()
    else:
        label = _("%(first)s tot en met %(last)s") % {
            "first": release.first_day.isoformat(),
            "last": release.last_day.isoformat(),
        }
    if release.simulated:
        label = _("%(label)s (met gesimuleerde invullingen)") % {"label": label}
    return label

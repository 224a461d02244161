from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

from positions.catalog import ElectionData, StatementData
from positions.models import answers_for


class AnswerForm(forms.Form):
    """One answer; `scale` 5 adds strongly agree and strongly disagree."""

    answer = forms.ChoiceField(
        choices=[
            ("strongly_agree", _("Helemaal eens")),
            ("agree", _("Eens")),
            ("neutral", _("Neutraal")),
            ("disagree", _("Oneens")),
            ("strongly_disagree", _("Helemaal oneens")),
            ("skip", _("Sla over")),
        ],
    )
    important = forms.BooleanField(required=False, label=_("Dit vind ik extra belangrijk"))

    def __init__(self, *args, scale: int = 3, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["answer"]
        allowed = answers_for(scale)
        field.choices = [(value, label) for value, label in field.choices if value in allowed]
        if scale == 5:
            message = _("Kies een antwoord van helemaal eens tot helemaal oneens, of sla over.")
        else:
            message = _("Kies eens, neutraal, oneens of sla de stelling over.")
        field.error_messages = {"required": message, "invalid_choice": message}


class ImportantForm(forms.Form):
    def __init__(self, *args, statements: Sequence[StatementData], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["important"] = forms.TypedMultipleChoiceField(
            choices=[(s.id, s.title) for s in statements],
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=_("Deze stellingen vind ik extra belangrijk"),
        )


class PartiesForm(forms.Form):
    def __init__(self, *args, election: ElectionData, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"] = forms.MultipleChoiceField(
            choices=[(p.slug, p.name) for p in election.parties],
            widget=forms.CheckboxSelectMultiple,
            label=_("Met welke partijen wil je je vergelijken?"),
            error_messages={"required": _("Kies minstens één partij.")},
        )
        self.fields["not_counted"] = not_counted_field()


def not_counted_field() -> forms.BooleanField:
    """The voter's choice to leave the statistics, offered before the result."""
    return forms.BooleanField(
        required=False,
        widget=forms.CheckboxInput(attrs={"aria-describedby": "not-counted-help"}),
        label=_("Tel mijn antwoorden niet mee in de statistiek"),
        help_text=_(
            "Normaal telt een afgemaakte stemhulp anoniem mee in de cijfers die we publiceren"
            " (alleen de dag, geen tijdstip of adres). Vink dit aan en we bewaren niets van"
            " jouw antwoorden; je resultaat zie je net zo."
        ),
    )


class NotCountedForm(forms.Form):
    """Only the choice to leave the statistics (a ballot day's way to its result)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["not_counted"] = not_counted_field()


class DayPartiesForm(forms.Form):
    """On a ballot day, parties are chosen by name: one choice covers a party at every level."""

    def __init__(self, *args, names: list[str], only: dict[str, list[str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"] = forms.MultipleChoiceField(
            choices=[(name, _label(name, only.get(name))) for name in names],
            widget=forms.CheckboxSelectMultiple,
            label=_("Met welke partijen wil je je vergelijken?"),
            error_messages={"required": _("Kies minstens één partij.")},
        )


def _label(name: str, elections: list[str] | None) -> str:
    if not elections:
        return name
    return _("%(party)s (alleen %(elections)s)") % {
        "party": name,
        "elections": ", ".join(elections),
    }

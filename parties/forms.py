"""The party contact's forms. They check the shape of what is posted (choices, ids, lengths); the
round's rules are `parties.answering`'s."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from positions.forms import IdChoiceField, ManifestoUploadForm, is_id
from positions.models import ManifestoDocument, Position
from staff.forms import BoundedUsername

from .answering import MAX_COMMENT, Submission, positions_for
from .models import Mode, Round

MAX_WORDS = 300


class ContactLoginForm(BoundedUsername, AuthenticationForm):
    """Only the accounts of party contacts log in here; editors use /admin/.

    Another account is answered as a wrong password is, and counted as one by django-axes: the
    page does not confirm an editor's password to whoever tries it."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.is_staff or not hasattr(user, "party_contact"):
            user_login_failed.send(
                sender=__name__,
                credentials={"username": self.cleaned_data.get("username")},
                request=self.request,
            )
            raise self.get_invalid_login_error()


class AnswerForm(forms.Form):
    """One statement: the party's position, explanation and source; in check mode first whether
    it agrees with the editors' coding."""

    agrees = forms.TypedChoiceField(
        label=_("Uw oordeel over de codering"),
        choices=[("ja", _("Akkoord")), ("nee", _("Bezwaar"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
    )
    position = forms.ChoiceField(
        label=pgettext_lazy("antwoord", "Standpunt"), required=False, widget=forms.RadioSelect
    )
    explanation = forms.CharField(
        label=pgettext_lazy("antwoord", "Toelichting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    document = IdChoiceField(
        label=_("Programma"), queryset=ManifestoDocument.objects.none(), required=False
    )
    quote = forms.CharField(
        label=_("Citaat"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Letterlijk uit het programma; de zoekfunctie hieronder vult het in."),
    )
    # Check mode: the coding the page showed (`answering.coding_of`); the page writes it.
    coding = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    # The statement's text the page showed (`answering.wording_of`); the page writes it.
    wording = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args, round_: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round_
        labels = dict(Position.choices)
        choices = [(p, labels[p]) for p in positions_for(round_.election.scale)]
        if round_.mode == Mode.CHECK:
            self.fields["position"].label = _("Voorgesteld standpunt (niet verplicht)")
            self.fields["position"].choices = [("", _("geen voorstel")), *choices]
            self.fields["explanation"].label = _("Reden van uw bezwaar")
        else:
            del self.fields["agrees"]
            del self.fields["coding"]
            self.fields["position"].choices = choices
        limit = round_.explanation_limit
        self.fields["explanation"].max_length = limit
        self.fields["explanation"].widget.attrs["maxlength"] = str(limit)
        self.fields["explanation"].help_text = _("Hoogstens %(limit)s tekens.") % {"limit": limit}
        self.fields["document"].queryset = ManifestoDocument.objects.filter(
            party_id=round_.party_id
        ).defer("original_text")

    def clean_explanation(self):
        value = self.cleaned_data["explanation"]
        if len(value) > self.round.explanation_limit:
            raise ValidationError(
                _("Hoogstens %(limit)s tekens; deze toelichting telt er %(count)s."),
                params={"limit": self.round.explanation_limit, "count": len(value)},
            )
        return value

    def submission(self) -> Submission:
        data = self.cleaned_data
        return Submission(
            agrees=data.get("agrees"),
            position=data.get("position") or "",
            explanation=data.get("explanation") or "",
            document=data.get("document"),
            quote=data.get("quote") or "",
            coding=data.get("coding") if self.round.mode == Mode.CHECK else None,
            # A form without it (not sent from the page) is not checked against the text.
            wording=data.get("wording") if "wording" in self.data else None,
        )


def initial_for(answer) -> dict:
    """The form's starting values from a stored answer."""
    if answer is None:
        return {}
    agrees = {True: "ja", False: "nee"}.get(answer.agrees)
    return {
        "agrees": agrees,
        "position": answer.position,
        "explanation": answer.explanation,
        "document": answer.document_id,
        "quote": answer.quote,
    }


class EvidenceSearchForm(forms.Form):
    """The party's own words to search its programmes with, and a passage to quote."""

    woorden = forms.CharField(required=False, max_length=MAX_WORDS)
    gebruik = forms.CharField(required=False, max_length=20)

    def clean_gebruik(self):
        value = self.cleaned_data["gebruik"]
        return int(value) if value and is_id(value) else None


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Uw reactie"),
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_COMMENT}),
    )


class ProgrammeForm(ManifestoUploadForm):
    """A programme of the contact's own party: a title and a .txt or .pdf file, imported as the
    editors' upload is (`ManifestoUploadForm`)."""

    class Meta(ManifestoUploadForm.Meta):
        fields = ["title"]

    def __init__(self, *args, round_: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.party = round_.party
        self.instance.election_name = round_.election.name
        self.fields["title"].help_text = _("Bijv. 'Verkiezingsprogramma 2026'.")

    def clean_title(self):
        """Editors' spreadsheets name a programme by its title: one title per party."""
        title = self.cleaned_data["title"]
        if ManifestoDocument.objects.filter(
            party=self.instance.party, title__iexact=title
        ).exists():
            raise ValidationError(
                _("Uw partij heeft al een programma met deze titel. Kies een andere titel.")
            )
        return title

    def clean(self):
        self.cleaned_data["party"] = self.instance.party
        return super().clean()

import hashlib

from django import forms
from django.utils.translation import gettext_lazy as _

from .importing import split_for_import
from .manifesto import ManifestoError, read_text
from .models import ManifestoDocument

MAX_UPLOAD = 20 * 1024 * 1024


class ManifestoUploadForm(forms.ModelForm):
    """A new programme from a .txt or .pdf file; the admin then imports its passages."""

    upload = forms.FileField(
        label=_("bestand"),
        help_text=_("Het programma als .txt (UTF-8) of .pdf. De tekst wordt letterlijk bewaard."),
    )

    class Meta:
        model = ManifestoDocument
        fields = ["party", "title", "election_name", "year", "country", "language", "coverage"]

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if not upload.name.lower().endswith((".txt", ".pdf")):
            raise forms.ValidationError(_("Alleen .txt- of .pdf-bestanden."))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Het bestand is groter dan 20 MB."))
        try:
            self.text = read_text(upload.read(), upload.name)
            self.split = split_for_import(self.text)
        except ManifestoError as exc:
            raise forms.ValidationError(f"{upload.name}: {exc}") from None
        return upload

    def clean(self):
        cleaned = super().clean()
        party, text = cleaned.get("party"), getattr(self, "text", None)
        if party and text:
            sha256 = hashlib.sha256(text.encode()).hexdigest()
            existing = ManifestoDocument.objects.filter(party=party, sha256=sha256).first()
            if existing:
                raise forms.ValidationError(
                    _("Dit bestand is al geïmporteerd als “%(title)s”."),
                    params={"title": existing.title},
                )
        return cleaned

"""Text stored before line endings were made "\n" may still end its lines in "\r\n" (a browser's
textarea): the admin now sends it back as "\n", so an unchanged save would look like a change
(the stance's origin and review reset, the statement's stances reopened). This rewrites those
texts once, without touching their history: the text reads the same."""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Replace

# model -> its text fields that editors' forms and imports store with "\n" line endings.
TEXTS = {
    "Election": ["intro"],
    "ElectionTranslation": ["intro"],
    "Statement": ["text", "explanation"],
    "StatementTranslation": ["text", "explanation"],
    "Stance": ["explanation", "quote", "shown_quote"],
    "StanceTranslation": ["explanation"],
}


def unix_newlines(field: str):
    return Replace(Replace(F(field), Value("\r\n"), Value("\n")), Value("\r"), Value("\n"))


def forwards(apps, schema_editor):
    for name, fields in TEXTS.items():
        model = apps.get_model("positions", name)
        for field in fields:
            model.objects.filter(**{f"{field}__contains": "\r"}).update(
                **{field: unix_newlines(field)}
            )


class Migration(migrations.Migration):
    dependencies = [("positions", "0014_party_round")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

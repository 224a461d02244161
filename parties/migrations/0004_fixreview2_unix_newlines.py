"""The statement text an answer was given on is compared with the statement's text, which
positions 0015 stored with "\n" line endings: the answer's copy is rewritten alike, with the
party's explanation and quote (`answering.save_answer` stores them so since)."""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Replace

FIELDS = ["statement_text", "explanation", "quote"]


def unix_newlines(field: str):
    return Replace(Replace(F(field), Value("\r\n"), Value("\n")), Value("\r"), Value("\n"))


def forwards(apps, schema_editor):
    answer = apps.get_model("parties", "Answer")
    for field in FIELDS:
        answer.objects.filter(**{f"{field}__contains": "\r"}).update(
            **{field: unix_newlines(field)}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("parties", "0003_fixstate_answer_seen"),
        ("positions", "0015_fixreview2_unix_newlines"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

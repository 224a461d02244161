"""The admin's history pages in Dutch, for editors: every change, review steps included, with
values as the forms show them ("eens", not "agree"; the programme's title, not its id)."""

import datetime

from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.timezone import localtime

EMPTY = "–"
# Fields that only make the other changes work; a person reading the history has no use for them.
UNSHOWN = frozenset({"id", "revision", "updated_at", "shown_quote"})


def _shown(value, limit: int = 200) -> str:
    if value in (None, ""):
        return EMPTY
    if isinstance(value, datetime.datetime):
        return date_format(localtime(value), "j F Y H:i")
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def changes(model, new, old) -> list[dict]:
    """What changed from one historical record to the next, as editors name and read it.

    simple_history's own diff leaves out fields the forms do not edit, such as the review
    status, so a review step looked like a change of nothing."""
    shown = []
    for field in old.tracked_fields:
        if field.name in UNSHOWN:
            continue
        before, after = getattr(old, field.attname), getattr(new, field.attname)
        if before == after:
            continue
        if field.is_relation:
            before, after = getattr(old, field.name), getattr(new, field.name)
        elif field.choices:
            labels = dict(field.flatchoices)
            before, after = labels.get(before, before), labels.get(after, after)
        label = model._meta.get_field(field.name).verbose_name
        shown.append({"field": capfirst(label), "old": _shown(before), "new": _shown(after)})
    return shown


class ReadableHistoryAdmin:
    """For SimpleHistoryAdmin classes: every change, review steps included, with related rows
    read with the history, not once per row."""

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        queryset = super().get_history_queryset(request, history_manager, pk_name, object_id)
        related = [f.name for f in queryset.model._meta.fields if f.is_relation]
        return queryset.select_related(*related)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        previous = None
        for current in historical_records:
            if previous is not None:
                previous.history_delta_changes = changes(self.model, previous, current)
            previous = current

from django import template

from positions.models import Position

from ..forms import AnswerForm

register = template.Library()

_ANSWER_LABELS = dict(AnswerForm.base_fields["answer"].choices)


@register.filter
def answer_label(value: str) -> str:
    return _ANSWER_LABELS.get(value, "")


@register.filter
def position_label(value: str) -> str:
    return Position(value).label

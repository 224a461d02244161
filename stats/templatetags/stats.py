from django import template

from stats.aggregate import NA

register = template.Library()


@register.filter
def stat(value, threshold):
    """A statistic as shown: the value, "<threshold" where it was suppressed, "–" where there
    is nothing to count."""
    if value is NA:
        return "–"
    return f"<{threshold}" if value is None else value

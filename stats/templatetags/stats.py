from django import template

register = template.Library()


@register.filter
def stat(value, threshold):
    """A statistic as shown: the value, or "<threshold" where it was suppressed."""
    return f"<{threshold}" if value is None else value

"""Template tags of the results charts."""

from django import template

from ..finders import style_guards

register = template.Library()


@register.simple_tag
def plotly_style_guards() -> tuple[str, ...]:
    """The ids to write as empty elements before plotly.js loads (see ``finders.style_guards``)."""
    return style_guards()

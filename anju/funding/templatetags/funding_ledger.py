"""Template helpers of the funding pages: another chapter's panel rendered only once it exists
(construction's tag, registered here too)."""

from django import template

from anju.construction.templatetags.construction_delivery import include_if_exists

register = template.Library()
register.simple_tag(include_if_exists, takes_context=True, name="include_if_exists")

"""Template helpers: read a row's value by column key (templates cannot index with a variable)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def cell(row: dict, key: str) -> object:
    return row.get(key)

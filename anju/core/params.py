"""Integers from the request, parsed one way for every page and API operation.

An id or a number in a query parameter or a path comes from whoever typed the address, so it
is checked before it reaches the database: ASCII digits only (`str.isdigit()` also accepts
"²" and "٣", which `int()` rejects) and within the database's bigint range (SQLite and
PostgreSQL refuse 2^63 and above, which surfaced as a 500). A bad query value answers 400
with the parameter named (`BadParameter`, a DomainError); a bad path value does not match its
URL pattern at all (`IdConverter`, registered once as `<id:…>`), so it answers 404 like a
missing record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from .errors import DomainError

BIGINT_MAX = 2**63 - 1
ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


class BadParameter(DomainError):
    code = "bad_parameter"
    status = 400
    default_message = _("请求参数有误。")


def is_id(value) -> bool:
    """True for an ASCII decimal string of a positive integer the database can store."""
    return (
        isinstance(value, str)
        and ASCII_DIGITS.fullmatch(value) is not None
        and 0 < int(value) <= BIGINT_MAX
    )


def parse_id(value, *, name: str) -> int:
    """The positive id in `value`, or BadParameter naming the parameter `name`."""
    text = value.strip() if isinstance(value, str) else value
    if not is_id(text):
        raise BadParameter(
            _("参数 %(name)s 应为正整数编号。") % {"name": name},
            fields={name: [_("应为正整数编号。")]},
        )
    return int(text)


def optional_id(value, *, name: str) -> int | None:
    """Like `parse_id`, but an absent or empty parameter is None (no filter)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_id(value, name=name)


def id_list(values: Iterable, *, name: str, limit: int | None = None) -> list[int]:
    """Every value parsed with `parse_id`, in order, without repeats; at most `limit`."""
    ids = list(dict.fromkeys(parse_id(value, name=name) for value in values))
    return ids[:limit] if limit is not None else ids


class IdConverter:
    """`<id:pk>`: Django's `<int:…>` within the bigint range, so a huge id answers 404."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 <= number <= BIGINT_MAX:
            raise ValueError(value)
        return number

    def to_url(self, value) -> str:
        return str(value)

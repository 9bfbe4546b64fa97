"""The shape of a territory path, written once (territory owns path shape).

A node's materialised path is the codes from the city down to the node, each followed by
"/": "4201/" is the city, "4201/420102/" a district, or a functional zone ("4201/420171/",
which stands where a district stands), "4201/420102/420102001/" a street, then its community;
a compound's path adds its own code to its community's. A prefix filter on these paths is
"everything under" a node (models.py). Other apps ask these functions which district holds a
compound, or what a path becomes when its node moves, instead of splitting and counting
slashes themselves, so a change of shape is one change here. All but the last two are pure
string functions; `moved_path_expression` and `rewrite_path_prefix` are the same move done
in SQL, for the apps that keep copies of territory paths (`territory_moved`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Concat, Substr

SEPARATOR = "/"
DISTRICT_DEPTH = 1  # the city is depth 0; its districts and functional zones depth 1


def codes(path: str) -> list[str]:
    """The codes along a path, city first: '4201/420102/' → ['4201', '420102']."""
    return [code for code in path.split(SEPARATOR) if code]


def join_codes(codes_: Iterable[str]) -> str:
    """The path made of these codes, city first: ['4201', '420102'] → '4201/420102/'."""
    codes_ = list(codes_)
    return SEPARATOR.join(codes_) + SEPARATOR if codes_ else ""


def child_path(parent_path: str, code: str) -> str:
    """The path of a node or compound with this code under the given path ('' for the city)."""
    return parent_path + code + SEPARATOR


def depth(path: str) -> int:
    """How far below the city the path's node sits: the city 0, a district or zone 1, a
    street 2, a community 3, a compound 4 (Node.depth)."""
    return len(codes(path)) - 1


def code_of(path: str) -> str:
    """The code of the path's own node: '4201/420102/' → '420102' ('' for '')."""
    found = codes(path)
    return found[-1] if found else ""


def parent_path(path: str) -> str:
    """The path of the node above: '4201/420102/420102001/' → '4201/420102/'; '' for the city."""
    return join_codes(codes(path)[:-1])


def ancestor_paths(path: str) -> list[str]:
    """The path and those above it, city first: '4201/420102/' → ['4201/', '4201/420102/'].
    A node's viewer may see these (the tree down to their own node), and totals roll up
    along them."""
    found = codes(path)
    return [join_codes(found[: n + 1]) for n in range(len(found))]


def district_path(path: str) -> str:
    """The district (or functional zone) holding the path, or the district itself:
    '4201/420102/420102001/420102001001/' → '4201/420102/'; '' for the city or ''."""
    found = codes(path)
    return join_codes(found[: DISTRICT_DEPTH + 1]) if len(found) > DISTRICT_DEPTH else ""


def district_code(path: str) -> str:
    """The code of the district (or functional zone) holding the path; '' above districts."""
    return code_of(district_path(path))


def common_path(paths: Iterable[str]) -> str:
    """The deepest path that contains all the given paths ('4201/420102/' for two streets of
    江岸区, '4201/' across districts); '' when there are none or they share no city."""
    shared: list[str] | None = None
    for path in paths:
        found = codes(path)
        if shared is None:
            shared = found
            continue
        length = 0
        for a, b in zip(shared, found, strict=False):
            if a != b:
                break
            length += 1
        shared = shared[:length]
    return join_codes(shared or [])


def moved_path(path: str, old_prefix: str, new_prefix: str) -> str:
    """The path once the node at `old_prefix` sits at `new_prefix` (territory.services
    move_node): '4201/420111/420111001/9/' moved from '4201/420111/420111001/' to
    '4201/420171/420111001/' → '4201/420171/420111001/9/'. A path not under the old prefix
    is a caller's mistake, not something to rewrite."""
    if not path.startswith(old_prefix):
        raise ValueError(f"{path!r} is not under {old_prefix!r}")
    return new_prefix + path[len(old_prefix) :]


def moved_path_expression(field: str, old_prefix: str, new_prefix: str) -> Concat:
    """`moved_path` as SQL over the column `field` (SQLite and PostgreSQL), for an UPDATE of
    the rows under `old_prefix`; other rows would lose the start of their path."""
    rest = Substr(F(field), len(old_prefix) + 1)
    return Concat(Value(new_prefix), rest, output_field=CharField())


def rewrite_path_prefix(queryset: QuerySet, field: str, old_prefix: str, new_prefix: str) -> int:
    """Give the rows of `queryset` under `old_prefix` the new prefix in `field`, in one UPDATE
    (no save(), no signals, no history rows: the move is recorded where it happened, in
    NodeChange). Returns the number of rows rewritten."""
    return queryset.filter(**{f"{field}__startswith": old_prefix}).update(
        **{field: moved_path_expression(field, old_prefix, new_prefix)}
    )

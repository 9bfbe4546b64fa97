"""The territory a viewer may see, as a small value object that selectors filter by.

`anju.access.scope_for(user)` computes it; every app's selectors take it. It lives in core so
that apps below `access` (territory) can filter by it without importing `access`.

A scope is the union of territory prefixes (materialised paths: "everything under 江岸区" is
one indexed prefix filter) and explicitly assigned compounds (companies, a household's own
compound). An empty scope sees nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

# Roles that need residents' names and phone numbers unmasked for their work.
ROLES_SEEING_PERSONAL_DATA = frozenset({"community_worker", "street_office"})


@dataclass(frozen=True)
class Scope:
    roles: frozenset[str] = frozenset()
    node_paths: tuple[str, ...] = ()
    compound_ids: frozenset[int] = frozenset()
    organisation_id: int | None = None
    household_id: int | None = None
    user_id: int | None = None
    label: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    @classmethod
    def nothing(cls) -> Scope:
        return cls()

    @property
    def is_empty(self) -> bool:
        return not self.node_paths and not self.compound_ids

    @property
    def acts_for_organisation_only(self) -> bool:
        """Staff of an organisation with no territory or compounds yet (a utility's service
        account): they see their organisation's own records, nothing territorial."""
        return self.is_empty and self.organisation_id is not None and not self.is_resident

    @property
    def is_resident(self) -> bool:
        return self.household_id is not None

    @property
    def is_staff(self) -> bool:
        return bool(self.roles) and not self.is_resident

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def may_see_personal_data(self) -> bool:
        """PIPL: only roles that work with residents directly see names and phones unmasked."""
        return bool(self.roles & ROLES_SEEING_PERSONAL_DATA)

    def covers_path(self, path: str) -> bool:
        return any(path.startswith(prefix) for prefix in self.node_paths)

    def path_q(self, path_field: str = "path", id_field: str | None = None) -> Q:
        """Q for rows whose territory path lies under the scope (or whose compound is assigned).

        `id_field` names the compound id the row belongs to, for assigned-compound scopes.
        """
        q = Q(pk__in=[])
        for prefix in self.node_paths:
            q |= Q(**{f"{path_field}__startswith": prefix})
        if self.compound_ids and id_field:
            q |= Q(**{f"{id_field}__in": sorted(self.compound_ids)})
        return q

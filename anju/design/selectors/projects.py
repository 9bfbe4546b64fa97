"""Projects as the viewer may see them.

A project is visible when any of its compounds is: inside the viewer's territory (city,
district, street or community staff, department reviewers) or assigned to the viewer's
organisation (designers, planners and other companies, through access.CompoundAssignment).
Everything else answers the same not-found as an absent project, so existence never leaks.
"""

from django.db.models import QuerySet

from anju.core.errors import NotFound
from anju.core.scope import Scope
from anju.planning.models import Project
from anju.territory.models import Compound


def visible_compounds(scope: Scope) -> QuerySet:
    return Compound.objects.filter(scope.path_q("path", id_field="pk"))


def projects_in_scope(scope: Scope) -> QuerySet:
    if scope.is_empty or scope.is_resident:
        return Project.objects.none()
    return (
        Project.objects.filter(compounds__in=visible_compounds(scope))
        .distinct()
        .select_related("district", "annual_plan")
        .order_by("-annual_plan__year", "code")
    )


def get_project(scope: Scope, pk) -> Project:
    project = projects_in_scope(scope).filter(pk=pk).first()
    if project is None:
        raise NotFound()
    return project

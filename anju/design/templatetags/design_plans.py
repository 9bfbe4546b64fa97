"""`{% project_plans_panel project scope as plans %}`: the plan chapter's part of the project
page — versions with their totals, the workshops, each compound's management scheme, and
whether the plan may be marked ready — computed here so the project page only includes the
partial."""

from django import template

from anju.design import rules
from anju.design.forms import ManagementSchemeForm, PlanVersionForm, WorkshopForm
from anju.design.selectors import plans as selectors
from anju.design.services.plans import DESIGN_STAGES
from anju.stewardship.rules import may_save_management_scheme
from anju.territory.models import Stage

register = template.Library()


@register.simple_tag
def project_plans_panel(project, scope):
    versions = list(selectors.plan_versions(project))
    for version in versions:
        version.totals = selectors.plan_totals(version)
    compounds = list(project.compounds.order_by("code"))
    schemes = selectors.schemes_of(project)
    may_draw = rules.may_draw_plan(scope, project)
    scheme_compounds = [c for c in compounds if may_save_management_scheme(scope, c)]
    latest = versions[0] if versions else None
    return {
        "versions": versions,
        "latest": latest,
        "may_draw": may_draw,
        # create_plan_version refuses once the review approved the plan (DESIGN_STAGES)
        "may_create": may_draw
        and project.stage in DESIGN_STAGES
        and (latest is None or not latest.is_editable),
        "version_form": PlanVersionForm(),
        "workshops": list(selectors.workshops(project)),
        "workshop_form": WorkshopForm() if may_draw else None,
        "schemes": [(compound, schemes.get(compound.pk)) for compound in compounds],
        "scheme_form": ManagementSchemeForm(
            compounds=project.compounds.filter(pk__in=[c.pk for c in scheme_compounds])
        )
        if scheme_compounds
        else None,
        "ready_blockers": selectors.readiness_for_design(project)
        if may_draw and project.stage == Stage.PLANNED
        else None,
    }

"""One persona per role, all able to reach 江岸's compound: the territorial roles bound to
the node they work at, every company role assigned to the compound. Visibility tests walk
this table so that a new role cannot slip past them unchecked."""

from anju.access.models import CompoundAssignment, Organisation, Role
from anju.conftest import make_user

TERRITORIAL_NODE = {
    Role.CITY_OFFICE: "city",
    Role.DISTRICT_TASK_FORCE: "jiangan",
    Role.STREET_OFFICE: "jiangan_street",
    Role.COMMUNITY_WORKER: "jiangan_community",
    Role.DEPARTMENT_REVIEWER: "jiangan",
}
COMPANY_KIND = {
    Role.DESIGNER: Organisation.Kind.DESIGNER,
    Role.CONSTRUCTION_UNIT: Organisation.Kind.CONSTRUCTION,
    Role.SUPERVISION_UNIT: Organisation.Kind.SUPERVISION,
    Role.UTILITY_COMPANY: Organisation.Kind.UTILITY,
    Role.PROPERTY_COMPANY: Organisation.Kind.PROPERTY,
}
ORGANISING = {
    Role.CITY_OFFICE,
    Role.DISTRICT_TASK_FORCE,
    Role.STREET_OFFICE,
    Role.COMMUNITY_WORKER,
}
ALL_ROLES = [*TERRITORIAL_NODE, *COMPANY_KIND]
assert set(ALL_ROLES) == set(Role.values), "a new role needs a persona here"


def staff_in_role(city, role: str):
    """A user of `role` who can reach `city.jiangan_compound`."""
    if role in TERRITORIAL_NODE:
        return make_user(f"as-{role}", role, node=getattr(city, TERRITORIAL_NODE[role]))
    firm = Organisation.objects.create(name=f"{role} 公司", kind=COMPANY_KIND[role])
    CompoundAssignment.objects.create(organisation=firm, compound=city.jiangan_compound)
    return make_user(f"as-{role}", role, organisation=firm)

"""Naming a project's parties: who may, which organisations, what contract terms, and the
compounds the organisation's staff get."""

import datetime as dt
from decimal import Decimal

import pytest

from anju.access.models import CompoundAssignment, Organisation
from anju.access.scope import scope_for
from anju.construction.models import ProjectParty
from anju.construction.selectors.projects import get_project
from anju.construction.services import change_party, name_party, remove_party
from anju.construction.tests.conftest import make_company
from anju.construction.tests.delivering import (
    district_scope,
)
from anju.core.audit import events_for
from anju.core.errors import DomainError, NotFound, PermissionDenied

pytestmark = pytest.mark.django_db


def terms(**overrides):
    values = {
        "responsible_person": "张建国",
        "responsible_phone": "13807100001",
        "contract_sum": Decimal("3200000"),
        "contract_signed_on": dt.date(2026, 11, 20),
        "starts_on": dt.date(2027, 3, 1),
        "ends_on": dt.date(2027, 11, 30),
    }
    values.update(overrides)
    return values


def name(project, officer, firm, role="construction", **overrides):
    return name_party(
        actor=officer,
        scope=scope_for(officer),
        project=project,
        role=role,
        organisation=firm,
        **terms(**overrides),
    )


def test_the_district_names_the_construction_unit_and_its_staff_see_the_project(
    approved_project, jiangan_officer, builder_firm, builder
):
    with pytest.raises(NotFound):
        get_project(scope_for(builder), approved_project.pk)
    party = name(approved_project, jiangan_officer, builder_firm)
    assert party.named_by == jiangan_officer
    assert CompoundAssignment.objects.filter(
        organisation=builder_firm, compound__in=approved_project.compounds.all()
    ).exists()
    assert get_project(scope_for(builder), approved_project.pk) == approved_project
    assert [e.verb for e in events_for(approved_project)] == ["construction.party_named"]


def test_another_district_cannot_name_parties(approved_project, wuchang_officer, builder_firm):
    with pytest.raises(PermissionDenied):
        name(approved_project, wuchang_officer, builder_firm)
    assert not ProjectParty.objects.exists()


def test_an_organisation_of_the_wrong_kind_is_refused(
    approved_project, jiangan_officer, supervisor_firm
):
    with pytest.raises(DomainError) as refused:
        name(approved_project, jiangan_officer, supervisor_firm, role="construction")
    assert "organisation" in refused.value.fields
    assert not ProjectParty.objects.exists()


def test_an_organisation_without_a_credit_code_is_refused(approved_project, jiangan_officer):
    firm = Organisation.objects.create(name="无照施工队", kind=Organisation.Kind.CONSTRUCTION)
    with pytest.raises(DomainError) as refused:
        name(approved_project, jiangan_officer, firm)
    assert "organisation" in refused.value.fields
    assert not CompoundAssignment.objects.filter(organisation=firm).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_on": dt.date(2027, 2, 1)}, "ends_on"),
        ({"contract_signed_on": dt.date(2028, 1, 1)}, "contract_signed_on"),
        ({"responsible_person": " "}, "responsible_person"),
        ({"responsible_phone": "call me"}, "responsible_phone"),
        ({"contract_sum": Decimal("-1")}, "contract_sum"),
    ],
)
def test_contract_terms_that_make_no_sense_are_refused(
    approved_project, jiangan_officer, builder_firm, overrides, field
):
    with pytest.raises(DomainError) as refused:
        name(approved_project, jiangan_officer, builder_firm, **overrides)
    assert field in refused.value.fields
    assert not ProjectParty.objects.exists()


def test_one_party_per_role(approved_project, jiangan_officer, builder_firm, other_builder):
    name(approved_project, jiangan_officer, builder_firm)
    second = other_builder.role_assignments.first().organisation
    with pytest.raises(DomainError) as refused:
        name(approved_project, jiangan_officer, second)
    assert refused.value.code == "already_named"


def test_changing_the_construction_unit_moves_the_compounds(
    approved_project, jiangan_officer, builder_firm, builder
):
    party = name(approved_project, jiangan_officer, builder_firm)
    replacement = make_company("汉阳建工", Organisation.Kind.CONSTRUCTION, "91420100MA4K00009")
    change_party(
        actor=jiangan_officer,
        scope=scope_for(jiangan_officer),
        party=party,
        organisation=replacement,
        **terms(contract_sum=Decimal("3000000")),
    )
    party.refresh_from_db()
    assert party.organisation == replacement
    assert party.contract_sum == Decimal("3000000")
    with pytest.raises(NotFound):
        get_project(scope_for(builder), approved_project.pk)
    changed = events_for(approved_project).filter(verb="construction.party_changed").get()
    assert changed.after["contract_sum"] == "3000000"


def test_a_party_is_removed_before_building_and_its_staff_lose_the_project(
    approved_project, jiangan_officer, builder_firm, builder
):
    party = name(approved_project, jiangan_officer, builder_firm)
    remove_party(actor=jiangan_officer, scope=scope_for(jiangan_officer), party=party)
    assert not ProjectParty.objects.exists()
    with pytest.raises(NotFound):
        get_project(scope_for(builder), approved_project.pk)


def test_parties_are_fixed_once_building_has_started(building_project, jiangan_officer):
    party = building_project.parties.get(role="construction")
    with pytest.raises(DomainError) as refused:
        remove_party(actor=jiangan_officer, scope=scope_for(jiangan_officer), party=party)
    assert refused.value.code == "wrong_stage"
    assert building_project.parties.count() == 3


def test_a_construction_unit_sees_only_the_projects_it_builds(
    named_project, wuchang_approved_project, builder, other_builder
):
    assert get_project(scope_for(builder), named_project.pk) == named_project
    with pytest.raises(NotFound):
        get_project(scope_for(builder), wuchang_approved_project.pk)
    # other_builder holds 武昌's compound but is no party to its project: still not found.
    with pytest.raises(NotFound):
        get_project(scope_for(other_builder), wuchang_approved_project.pk)


def test_the_district_scope_helper_names_parties_like_an_officer(named_project):
    assert set(named_project.parties.values_list("role", flat=True)) == {
        "construction",
        "supervision",
        "design",
    }
    assert district_scope(named_project).covers_path(named_project.path)

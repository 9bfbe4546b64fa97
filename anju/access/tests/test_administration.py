"""Administration of people and organisations: nobody grants more than their own scope, every
change is audited, deactivation keeps the history and takes the scope away."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from anju.access import administration as admin
from anju.access import selectors
from anju.access.administration import RoleGrant
from anju.access.models import CompoundAssignment, Organisation, Role, RoleAssignment
from anju.access.scope import scope_for
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.models import AuditEvent

VALID_USCC = "91420102100000091G"


def create(actor, username, role, node=None, organisation=None, **kwargs):
    return admin.create_staff(
        actor=actor,
        username=username,
        full_name="张三",
        grants=[RoleGrant(role, node, organisation)],
        **kwargs,
    )


def test_the_city_office_creates_a_district_officer_with_a_generated_password(town, city_officer):
    account = create(city_officer, "jiangan-li", Role.DISTRICT_TASK_FORCE, town.jiangan)
    user = account.user
    assert account.generated_password and user.check_password(account.generated_password)
    assert scope_for(user).node_paths == (town.jiangan.path,)
    event = AuditEvent.objects.get(verb="staff.created")
    assert event.actor == city_officer and event.territory_path == town.jiangan.path
    assert account.generated_password not in str(event.after)
    assert AuditEvent.objects.filter(verb="role.assigned").count() == 1


def test_a_password_chosen_by_the_administrator_is_validated(town, city_officer):
    with pytest.raises(DomainError) as caught:
        create(city_officer, "weak", Role.DISTRICT_TASK_FORCE, town.jiangan, password="123")
    assert "password" in caught.value.fields
    assert not get_user_model().objects.filter(username="weak").exists()
    account = create(
        city_officer, "strong", Role.DISTRICT_TASK_FORCE, town.jiangan, password="Qz7-wharf-lantern"
    )
    assert account.generated_password is None
    assert account.user.check_password("Qz7-wharf-lantern")


def test_a_district_officer_creates_accounts_inside_the_district(town, jiangan_officer):
    account = create(jiangan_officer, "sandeli-wang", Role.COMMUNITY_WORKER, town.jiangan_community)
    assert scope_for(account.user).node_paths == (town.jiangan_community.path,)


def test_a_district_officer_cannot_grant_a_node_of_another_district(town, jiangan_officer):
    with pytest.raises(NotFound):
        create(jiangan_officer, "heping-zhao", Role.COMMUNITY_WORKER, town.wuchang_community)
    assert not get_user_model().objects.filter(username="heping-zhao").exists()


def test_a_district_officer_never_grants_a_city_office_role(town, jiangan_officer):
    with pytest.raises(PermissionDenied):
        create(jiangan_officer, "boss", Role.CITY_OFFICE, town.city)


def test_a_district_officer_does_not_create_company_staff(town, jiangan_officer):
    firm = Organisation.objects.create(name="某设计院", kind=Organisation.Kind.DESIGNER)
    with pytest.raises(PermissionDenied):
        create(jiangan_officer, "firm-staff", Role.DESIGNER, organisation=firm)


def test_a_role_is_bound_to_a_node_of_its_level(town, city_officer):
    with pytest.raises(DomainError) as caught:
        create(city_officer, "x", Role.DISTRICT_TASK_FORCE, town.jiangan_community)
    assert "node" in caught.value.fields


def test_a_company_role_needs_an_organisation_of_its_kind(town, city_officer):
    utility = Organisation.objects.create(name="供电公司", kind=Organisation.Kind.UTILITY)
    with pytest.raises(DomainError) as caught:
        create(city_officer, "y", Role.DESIGNER, organisation=utility)
    assert "organisation" in caught.value.fields


def test_only_the_city_office_registers_organisations_with_a_valid_credit_code(
    town, city_officer, jiangan_officer
):
    with pytest.raises(PermissionDenied):
        admin.register_organisation(
            actor=jiangan_officer, name="甲", kind=Organisation.Kind.DESIGNER
        )
    with pytest.raises(DomainError) as caught:
        admin.register_organisation(
            actor=city_officer, name="乙", kind=Organisation.Kind.DESIGNER, credit_code="123"
        )
    assert "credit_code" in caught.value.fields
    firm = admin.register_organisation(
        actor=city_officer, name="丙", kind=Organisation.Kind.DESIGNER, credit_code=VALID_USCC
    )
    assert firm.credit_code == VALID_USCC
    assert AuditEvent.objects.filter(verb="organisation.registered").count() == 1


def test_a_district_officer_assigns_companies_to_its_own_compounds_only(town, jiangan_officer):
    firm = Organisation.objects.create(name="某施工", kind=Organisation.Kind.CONSTRUCTION)
    admin.assign_organisation(
        actor=jiangan_officer, organisation=firm, compound=town.jiangan_compound
    )
    with pytest.raises(NotFound):
        admin.assign_organisation(
            actor=jiangan_officer, organisation=firm, compound=town.wuchang_compound
        )
    assert list(CompoundAssignment.objects.values_list("compound", flat=True)) == [
        town.jiangan_compound.pk
    ]
    assert AuditEvent.objects.get(verb="compound.assigned").territory_path == (
        town.jiangan_compound.path
    )


def test_a_government_body_is_not_assigned_to_compounds(town, city_officer):
    office = Organisation.objects.create(name="区政府", kind=Organisation.Kind.GOVERNMENT)
    with pytest.raises(DomainError):
        admin.assign_organisation(
            actor=city_officer, organisation=office, compound=town.jiangan_compound
        )


def test_deactivating_keeps_the_roles_but_the_scope_is_empty(town, jiangan_officer):
    worker = create(jiangan_officer, "w", Role.COMMUNITY_WORKER, town.jiangan_community).user
    admin.set_staff_active(actor=jiangan_officer, user=worker, is_active=False)
    worker.refresh_from_db()
    assert not worker.is_active
    assert RoleAssignment.objects.filter(user=worker).count() == 1
    assert scope_for(worker).is_empty
    assert AuditEvent.objects.filter(verb="staff.deactivated").count() == 1
    admin.set_staff_active(actor=jiangan_officer, user=worker, is_active=True)
    worker.refresh_from_db()
    assert scope_for(worker).node_paths == (town.jiangan_community.path,)


def test_a_deactivated_administrator_administers_nothing(town, city_officer, jiangan_officer):
    admin.set_staff_active(actor=city_officer, user=jiangan_officer, is_active=False)
    jiangan_officer.refresh_from_db()
    with pytest.raises(PermissionDenied):
        create(jiangan_officer, "z", Role.COMMUNITY_WORKER, town.jiangan_community)


def test_a_district_officer_cannot_touch_the_city_office_or_another_district(
    town, city_officer, jiangan_officer, wuchang_officer
):
    for target in (city_officer, wuchang_officer):
        with pytest.raises((PermissionDenied, NotFound)):
            admin.set_staff_active(actor=jiangan_officer, user=target, is_active=False)
    assert get_user_model().objects.filter(is_active=False).count() == 0


def test_nobody_deactivates_their_own_account(town, city_officer):
    with pytest.raises(DomainError) as caught:
        admin.set_staff_active(actor=city_officer, user=city_officer, is_active=False)
    assert caught.value.code == "own_account"


def test_a_district_officer_lists_only_the_accounts_of_the_district(
    town, city_officer, jiangan_officer, wuchang_officer, jiangan_community_worker
):
    authority = admin.rules.authority_of(jiangan_officer)
    names = set(selectors.staff_list(authority=authority).values_list("username", flat=True))
    assert names == {"jiangan", "sandeli"}
    with pytest.raises(NotFound):
        selectors.get_staff(authority, wuchang_officer.pk)


def test_a_revoked_role_is_audited_with_what_it_was(
    town, jiangan_officer, jiangan_community_worker
):
    assignment = jiangan_community_worker.role_assignments.get()
    admin.revoke_role(actor=jiangan_officer, assignment=assignment)
    event = AuditEvent.objects.get(verb="role.revoked")
    assert event.before["role"] == Role.COMMUNITY_WORKER
    assert event.before["node"] == town.jiangan_community.code


def test_resetting_a_password_generates_one_shown_once(
    town, jiangan_officer, jiangan_community_worker
):
    password = admin.set_staff_password(actor=jiangan_officer, user=jiangan_community_worker)
    jiangan_community_worker.refresh_from_db()
    assert jiangan_community_worker.check_password(password)
    assert password not in str(AuditEvent.objects.get(verb="staff.password_set").after)

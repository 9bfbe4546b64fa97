"""Coverage services: contracts set the compound's management status and give the company's
staff the compound; committees and party branches set the compound's other two fields; party
members and their hours; every write audited, kept in the registry's history, and scoped."""

import datetime as dt
from decimal import Decimal

import pytest

from anju.access.models import CompoundAssignment, Role
from anju.access.scope import scope_for
from anju.conftest import make_user
from anju.core.calendar import today
from anju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from anju.core.models import AuditEvent
from anju.stewardship.models import PropertyContract, ServiceRecord
from anju.stewardship.selectors import coverage as selectors
from anju.stewardship.services import coverage as services
from anju.territory.models import Compound

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


def record(officer, compound, company, **kwargs):
    values = {"service_kind": "professional", "starts_on": days(-30)}
    values.update(kwargs)
    return services.record_property_contract(
        actor=officer, scope=scope_for(officer), compound=compound, company=company, **values
    )


def fresh(compound) -> Compound:
    return Compound.objects.get(pk=compound.pk)


# --- contracts ----------------------------------------------------------------------------


def test_a_compound_with_a_current_contract_counts_as_covered_by_property_service(
    city, jiangan_officer, property_company
):
    compound = city.jiangan_compound
    record(jiangan_officer, compound, property_company, service_kind="red_property")
    assert fresh(compound).management_status == "red_property"
    report = selectors.coverage_report(scope_for(jiangan_officer), over_time=False)
    assert report.total.with_property == 1


def test_a_current_contract_gives_the_companys_staff_the_compound(
    city, jiangan_officer, property_company
):
    staff = make_user("firm-staff", Role.PROPERTY_COMPANY, organisation=property_company)
    assert city.jiangan_compound.pk not in scope_for(staff).compound_ids
    record(jiangan_officer, city.jiangan_compound, property_company)
    assert city.jiangan_compound.pk in scope_for(staff).compound_ids
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"stewardship.contract_recorded", "compound.assigned"} <= verbs
    assert "stewardship.coverage_changed" in verbs


def test_the_compounds_status_is_kept_in_the_registrys_history(
    city, jiangan_officer, property_company
):
    compound = city.jiangan_compound
    before = compound.history.count()
    record(jiangan_officer, compound, property_company)
    latest = compound.history.order_by("-history_date").first()
    assert compound.history.count() == before + 1
    assert latest.management_status == "professional"


def test_overlapping_contracts_for_one_compound_are_refused_and_nothing_changes(
    city, jiangan_officer, property_company
):
    record(jiangan_officer, city.jiangan_compound, property_company, ends_on=days(300))
    events = AuditEvent.objects.count()
    with pytest.raises(Conflict) as refused:
        record(jiangan_officer, city.jiangan_compound, property_company, starts_on=days(100))
    assert refused.value.code == "contract_overlap"
    assert PropertyContract.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_a_contract_after_the_current_one_ends_is_accepted(city, jiangan_officer, property_company):
    record(jiangan_officer, city.jiangan_compound, property_company, ends_on=days(10))
    later = record(jiangan_officer, city.jiangan_compound, property_company, starts_on=days(11))
    assert later.pk


def test_a_contract_must_be_with_a_property_company(city, jiangan_officer, designer):
    firm = CompoundAssignment.objects.get(compound=city.jiangan_compound).organisation
    with pytest.raises(DomainError) as refused:
        record(jiangan_officer, city.jiangan_compound, firm)
    assert "company" in refused.value.fields


def test_a_contract_cannot_end_before_it_starts(city, jiangan_officer, property_company):
    with pytest.raises(DomainError) as refused:
        record(
            jiangan_officer,
            city.jiangan_compound,
            property_company,
            starts_on=days(-10),
            ends_on=days(-20),
        )
    assert "ends_on" in refused.value.fields


def test_ending_a_contract_early_removes_the_companys_access_and_its_status(
    city, jiangan_officer, jiangan_contract, property_staff
):
    assert city.jiangan_compound.pk in scope_for(property_staff).compound_ids
    services.end_property_contract(
        actor=jiangan_officer,
        scope=scope_for(jiangan_officer),
        contract=jiangan_contract,
        ended_on=days(-1),
        note="服务不达标",
    )
    assert city.jiangan_compound.pk not in scope_for(property_staff).compound_ids
    assert fresh(city.jiangan_compound).management_status == "none"
    assert AuditEvent.objects.filter(verb="compound.unassigned").exists()


def test_a_contract_cannot_be_ended_twice(city, jiangan_officer, jiangan_contract):
    scope = scope_for(jiangan_officer)
    services.end_property_contract(
        actor=jiangan_officer, scope=scope, contract=jiangan_contract, ended_on=days(-1)
    )
    with pytest.raises(Conflict):
        services.end_property_contract(
            actor=jiangan_officer, scope=scope, contract=jiangan_contract, ended_on=days(-1)
        )


def test_a_contract_recorded_ahead_takes_effect_on_its_first_day(
    city, jiangan_officer, property_company
):
    compound = city.jiangan_compound
    contract = record(jiangan_officer, compound, property_company, starts_on=days(5))
    assert fresh(compound).management_status == "none"
    assert not CompoundAssignment.objects.filter(compound=compound).exists()
    assert services.sync_contract_coverage(contract.starts_on) == 1
    assert fresh(compound).management_status == "professional"
    assert CompoundAssignment.objects.filter(
        compound=compound, organisation=property_company
    ).exists()


def test_a_district_officer_cannot_record_a_contract_in_another_district(
    city, jiangan_officer, property_company
):
    with pytest.raises(NotFound):
        record(jiangan_officer, city.wuchang_compound, property_company)
    assert not PropertyContract.objects.exists()


def test_a_property_company_cannot_record_contracts_for_its_own_compound(
    city, property_staff, property_company
):
    with pytest.raises(PermissionDenied):
        record(property_staff, city.jiangan_compound, property_company, starts_on=days(2000))


def test_a_community_worker_keeps_the_coverage_of_their_community(
    city, jiangan_community_worker, property_company
):
    record(jiangan_community_worker, city.jiangan_compound, property_company)
    assert fresh(city.jiangan_compound).management_status == "professional"


# --- management status without a company --------------------------------------------------


def test_a_keeper_sets_self_management_for_a_compound_no_company_serves(city, jiangan_officer):
    services.set_management_status(
        actor=jiangan_officer,
        scope=scope_for(jiangan_officer),
        compound=city.jiangan_compound,
        status="self_managed",
    )
    assert fresh(city.jiangan_compound).management_status == "self_managed"


def test_professional_service_cannot_be_set_without_a_contract(city, jiangan_officer):
    with pytest.raises(DomainError) as refused:
        services.set_management_status(
            actor=jiangan_officer,
            scope=scope_for(jiangan_officer),
            compound=city.jiangan_compound,
            status="professional",
        )
    assert refused.value.code == "status_needs_contract"


def test_the_status_cannot_be_set_by_hand_while_a_contract_runs(
    city, jiangan_officer, jiangan_contract
):
    with pytest.raises(Conflict):  # the fixture's contract runs till 2028
        services.set_management_status(
            actor=jiangan_officer,
            scope=scope_for(jiangan_officer),
            compound=city.jiangan_compound,
            status="street_managed",
        )


def test_a_self_managed_status_stays_when_no_contract_runs(city, jiangan_officer, property_company):
    scope = scope_for(jiangan_officer)
    compound = city.jiangan_compound
    services.set_management_status(
        actor=jiangan_officer, scope=scope, compound=compound, status="street_managed"
    )
    record(jiangan_officer, compound, property_company, starts_on=days(30))
    assert fresh(compound).management_status == "street_managed"


# --- governance profile -------------------------------------------------------------------


def save_profile(officer, compound, **kwargs):
    return services.save_governance_profile(
        actor=officer, scope=scope_for(officer), compound=compound, **kwargs
    )


def test_an_owners_committee_in_office_and_a_joint_branch_cover_the_compound(city, jiangan_officer):
    save_profile(
        jiangan_officer,
        city.jiangan_compound,
        residents_committee="天声街社区居委会",
        owners_committee_elected_on=days(-100),
        owners_committee_term_ends_on=days(1000),
        party_organisation="joint",
        party_branch_name="铭新街小区联合党支部",
        party_branch_secretary="王书记",
    )
    compound = fresh(city.jiangan_compound)
    assert compound.has_owners_committee is True
    assert compound.party_organisation == "joint"


def test_an_owners_committee_whose_term_is_over_does_not_count(city, jiangan_officer):
    save_profile(
        jiangan_officer,
        city.jiangan_compound,
        owners_committee_elected_on=days(-2000),
        owners_committee_term_ends_on=days(-1),
    )
    assert fresh(city.jiangan_compound).has_owners_committee is False


def test_a_party_organisation_needs_its_branch_name(city, jiangan_officer):
    with pytest.raises(DomainError) as refused:
        save_profile(jiangan_officer, city.jiangan_compound, party_organisation="branch")
    assert "party_branch_name" in refused.value.fields
    assert fresh(city.jiangan_compound).party_organisation == "none"


def test_a_term_cannot_end_before_the_election(city, jiangan_officer):
    with pytest.raises(DomainError) as refused:
        save_profile(
            jiangan_officer,
            city.jiangan_compound,
            owners_committee_elected_on=days(-10),
            owners_committee_term_ends_on=days(-20),
        )
    assert "owners_committee_term_ends_on" in refused.value.fields


def test_committee_members_are_recorded_once_the_committee_is(city, jiangan_officer):
    scope = scope_for(jiangan_officer)
    with pytest.raises(DomainError) as refused:
        services.add_committee_member(
            actor=jiangan_officer, scope=scope, compound=city.jiangan_compound, name="张三"
        )
    assert refused.value.code == "no_owners_committee"
    save_profile(jiangan_officer, city.jiangan_compound, owners_committee_elected_on=days(-5))
    member = services.add_committee_member(
        actor=jiangan_officer,
        scope=scope,
        compound=city.jiangan_compound,
        name="张三",
        position="chair",
    )
    assert list(selectors.committee_members_of(city.jiangan_compound)) == [member]
    services.remove_committee_member(actor=jiangan_officer, scope=scope, member=member)
    assert not selectors.committee_members_of(city.jiangan_compound).exists()


def test_a_district_officer_cannot_change_another_districts_profile(city, jiangan_officer):
    with pytest.raises(NotFound):
        save_profile(jiangan_officer, city.wuchang_compound, residents_committee="x")


# --- party members ------------------------------------------------------------------------


def register(officer, compound, **kwargs):
    values = {"name": "李党员", "phone": "13912345678", "registered_on": days(-60)}
    values.update(kwargs)
    return services.register_party_member(
        actor=officer, scope=scope_for(officer), compound=compound, **values
    )


def test_party_members_service_hours_add_up(city, jiangan_community_worker):
    member = register(jiangan_community_worker, city.jiangan_compound)
    scope = scope_for(jiangan_community_worker)
    for hours in ("2.5", "1.0"):
        services.record_service(
            actor=jiangan_community_worker,
            scope=scope,
            member=member,
            served_on=days(-3),
            hours=Decimal(hours),
            activity="楼道清理",
        )
    (row,) = selectors.party_members_of(scope, city.jiangan_compound)
    assert row.hours == Decimal("3.5")
    assert row.services == 2


def test_a_party_members_phone_is_masked_for_roles_that_do_not_need_it(
    city, jiangan_officer, jiangan_community_worker
):
    register(jiangan_community_worker, city.jiangan_compound)
    (masked,) = selectors.party_members_of(scope_for(jiangan_officer), city.jiangan_compound)
    (plain,) = selectors.party_members_of(
        scope_for(jiangan_community_worker), city.jiangan_compound
    )
    assert masked.phone == "139****5678"
    assert plain.phone == "13912345678"


def test_service_before_registering_or_after_leaving_is_refused(city, jiangan_officer):
    member = register(jiangan_officer, city.jiangan_compound)
    scope = scope_for(jiangan_officer)
    with pytest.raises(DomainError):
        services.record_service(
            actor=jiangan_officer,
            scope=scope,
            member=member,
            served_on=days(-61),
            hours=Decimal("1"),
            activity="x",
        )
    services.record_party_member_leaving(
        actor=jiangan_officer, scope=scope, member=member, left_on=days(-10)
    )
    member.refresh_from_db()
    with pytest.raises(DomainError):
        services.record_service(
            actor=jiangan_officer,
            scope=scope,
            member=member,
            served_on=days(-5),
            hours=Decimal("1"),
            activity="x",
        )
    assert not ServiceRecord.objects.exists()


def test_more_than_a_day_of_service_is_refused(city, jiangan_officer):
    member = register(jiangan_officer, city.jiangan_compound)
    with pytest.raises(DomainError) as refused:
        services.record_service(
            actor=jiangan_officer,
            scope=scope_for(jiangan_officer),
            member=member,
            served_on=days(-1),
            hours=Decimal("25"),
            activity="x",
        )
    assert "hours" in refused.value.fields


def test_a_district_officer_cannot_register_party_members_in_another_district(
    city, jiangan_officer
):
    with pytest.raises(NotFound):
        register(jiangan_officer, city.wuchang_compound)


def test_the_daily_duty_brings_a_contract_into_effect_on_its_first_day(
    city, jiangan_officer, property_company
):
    from anju.core.calendar import SHANGHAI
    from anju.core.duties import registered_duties

    contract = record(jiangan_officer, city.jiangan_compound, property_company, starts_on=days(2))
    duty = {d.name: d for d in registered_duties()}["stewardship.sync_contract_coverage"]
    morning = dt.datetime.combine(contract.starts_on, dt.time(6), tzinfo=SHANGHAI)
    assert duty.run(morning) == {"compounds_checked": 1}
    assert fresh(city.jiangan_compound).management_status == "professional"

"""Who may use pages of an organisation's own records."""

from anju.core.scope import Scope


def test_an_organisation_without_territory_acts_for_its_own_records_only():
    service_account = Scope(roles=frozenset({"utility_company"}), organisation_id=7)
    assert service_account.is_empty and service_account.acts_for_organisation_only


def test_staff_with_territory_or_compounds_are_not_organisation_only():
    officer = Scope(roles=frozenset({"district_task_force"}), node_paths=("4201/420102/",))
    designer = Scope(roles=frozenset({"designer"}), compound_ids=frozenset({1}), organisation_id=3)
    assert not officer.acts_for_organisation_only
    assert not designer.acts_for_organisation_only


def test_a_household_or_a_scopeless_account_is_not_an_organisation():
    resident = Scope(household_id=5, compound_ids=frozenset({1}))
    nobody = Scope()
    assert not resident.acts_for_organisation_only and not nobody.acts_for_organisation_only

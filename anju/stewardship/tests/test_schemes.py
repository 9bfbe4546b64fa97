"""Management schemes: the compound's keepers write them (property company, bundle, who pays,
budget, start date) and their budget lines, every change audited; bad input is refused with
the field named and nothing written. The district view's figures match a hand-computed city."""

import datetime as dt
from decimal import Decimal

import pytest

from anju.access.models import Organisation
from anju.access.scope import scope_for
from anju.conftest import make_compound
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.models import AuditEvent
from anju.planning.models import AnnualPlan, AnnualPlanStatus, FiveYearPlan, Project
from anju.stewardship import services
from anju.stewardship.models import BudgetLine, ManagementModel, ManagementScheme, UpkeepSource
from anju.stewardship.selectors import schemes as selectors

pytestmark = pytest.mark.django_db


def save(officer, compound, **kwargs):
    values = {
        "management_model": ManagementModel.RED_PROPERTY,
        "yearly_upkeep_budget": Decimal("36000"),
    }
    values.update(kwargs)
    return services.save_management_scheme(
        actor=officer, scope=scope_for(officer), compound=compound, **values
    )


def add_line(officer, scheme, year, amount, reference="江岸财预〔2026〕12号"):
    return services.add_budget_line(
        actor=officer,
        scope=scope_for(officer),
        scheme=scheme,
        year=year,
        amount=Decimal(amount),
        reference=reference,
    )


# --- the scheme -------------------------------------------------------------------------------


def test_a_keeper_names_the_company_who_pays_and_when_it_starts(
    city, jiangan_officer, property_company
):
    scheme = save(
        jiangan_officer,
        city.jiangan_compound,
        property_company=property_company,
        upkeep_sources=[UpkeepSource.PROPERTY_FEES, UpkeepSource.DISTRICT_BUDGET],
        starts_on=dt.date(2027, 1, 1),
    )
    scheme.refresh_from_db()
    assert scheme.property_company == property_company
    assert scheme.upkeep_source_labels == ["物业服务费", "区级财政预算"]
    event = AuditEvent.objects.get(verb="stewardship.scheme_saved")
    assert event.after["property_company_id"] == property_company.pk
    assert event.after["starts_on"] == "2027-01-01"


def test_design_saving_only_model_and_budget_keeps_the_company_and_sources(
    city, jiangan_officer, property_company
):
    save(
        jiangan_officer,
        city.jiangan_compound,
        property_company=property_company,
        upkeep_sources=[UpkeepSource.PUBLIC_INCOME],
        starts_on=dt.date(2027, 1, 1),
    )
    save(jiangan_officer, city.jiangan_compound, yearly_upkeep_budget=Decimal("40000"))
    scheme = ManagementScheme.objects.get()
    assert scheme.property_company == property_company
    assert scheme.upkeep_sources == [UpkeepSource.PUBLIC_INCOME]
    assert scheme.yearly_upkeep_budget == Decimal("40000")
    last = AuditEvent.objects.filter(verb="stewardship.scheme_saved").order_by("pk").last()
    assert last.after == {"yearly_upkeep_budget": "40000"}


def test_a_bundled_scheme_needs_the_bundles_name(city, jiangan_officer, property_company):
    with pytest.raises(DomainError) as refused:
        save(
            jiangan_officer,
            city.jiangan_compound,
            management_model=ManagementModel.BUNDLED,
            property_company=property_company,
        )
    assert "bundle_name" in refused.value.fields
    assert not ManagementScheme.objects.exists()


def test_the_company_must_be_a_property_company(city, jiangan_officer):
    designer_firm = Organisation.objects.create(name="某设计院", kind=Organisation.Kind.DESIGNER)
    with pytest.raises(DomainError) as refused:
        save(jiangan_officer, city.jiangan_compound, property_company=designer_firm)
    assert "property_company" in refused.value.fields
    assert not ManagementScheme.objects.exists()


def test_a_company_model_in_force_must_name_its_company(city, jiangan_officer):
    with pytest.raises(DomainError) as refused:
        save(jiangan_officer, city.jiangan_compound, starts_on=dt.date(2027, 1, 1))
    assert "property_company" in refused.value.fields
    # while the scheme is only planned the company may still be chosen by tender
    assert save(jiangan_officer, city.jiangan_compound).property_company is None


def test_self_management_drops_the_company_and_bundle(city, jiangan_officer, property_company):
    save(
        jiangan_officer,
        city.jiangan_compound,
        management_model=ManagementModel.BUNDLED,
        bundle_name="天声街片区",
        property_company=property_company,
    )
    scheme = save(
        jiangan_officer, city.jiangan_compound, management_model=ManagementModel.SELF_MANAGEMENT
    )
    assert scheme.property_company is None and scheme.bundle_name == ""


def test_a_negative_budget_is_refused(city, jiangan_officer):
    with pytest.raises(DomainError) as refused:
        save(jiangan_officer, city.jiangan_compound, yearly_upkeep_budget=Decimal("-5"))
    assert "yearly_upkeep_budget" in refused.value.fields


def test_an_unknown_upkeep_source_is_refused(city, jiangan_officer):
    with pytest.raises(DomainError) as refused:
        save(jiangan_officer, city.jiangan_compound, upkeep_sources=["lottery"])
    assert "upkeep_sources" in refused.value.fields


def test_a_property_company_may_read_but_not_write_the_scheme(
    city, jiangan_officer, property_staff
):
    with pytest.raises(PermissionDenied):
        save(property_staff, city.jiangan_compound)


# --- budget lines ------------------------------------------------------------------------------


def test_budget_lines_are_added_changed_and_removed_audited(city, jiangan_officer):
    scheme = save(jiangan_officer, city.jiangan_compound)
    line = add_line(jiangan_officer, scheme, 2027, "36000")
    services.change_budget_line(
        actor=jiangan_officer,
        scope=scope_for(jiangan_officer),
        line=line,
        year=2027,
        amount=Decimal("30000"),
        reference="江岸财预〔2027〕3号",
    )
    assert BudgetLine.objects.get().amount == Decimal("30000")
    services.remove_budget_line(actor=jiangan_officer, scope=scope_for(jiangan_officer), line=line)
    assert not BudgetLine.objects.exists()
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="stewardship.budget_line")
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "stewardship.budget_line_added",
        "stewardship.budget_line_changed",
        "stewardship.budget_line_removed",
    ]
    changed = AuditEvent.objects.get(verb="stewardship.budget_line_changed")
    assert changed.before == {"amount": "36000.00", "reference": "江岸财预〔2026〕12号"}


def test_a_year_is_budgeted_once(city, jiangan_officer):
    scheme = save(jiangan_officer, city.jiangan_compound)
    add_line(jiangan_officer, scheme, 2027, "36000")
    with pytest.raises(DomainError) as refused:
        add_line(jiangan_officer, scheme, 2027, "1000")
    assert "year" in refused.value.fields
    assert BudgetLine.objects.count() == 1


def test_changing_a_line_onto_a_budgeted_year_is_refused(city, jiangan_officer):
    scheme = save(jiangan_officer, city.jiangan_compound)
    add_line(jiangan_officer, scheme, 2027, "36000")
    line = add_line(jiangan_officer, scheme, 2028, "36000")
    with pytest.raises(DomainError) as refused:
        services.change_budget_line(
            actor=jiangan_officer,
            scope=scope_for(jiangan_officer),
            line=line,
            year=2027,
            amount=Decimal("1"),
            reference="x",
        )
    assert "year" in refused.value.fields
    assert refused.value.status == 400


@pytest.mark.parametrize(
    ("year", "amount", "field"),
    [(2027, "-1", "amount"), (2027, "0", "amount"), (1999, "100", "year")],
)
def test_a_line_needs_a_positive_amount_and_a_plausible_year(
    city, jiangan_officer, year, amount, field
):
    scheme = save(jiangan_officer, city.jiangan_compound)
    with pytest.raises(DomainError) as refused:
        add_line(jiangan_officer, scheme, year, amount)
    assert field in refused.value.fields
    assert not BudgetLine.objects.exists()


def test_another_districts_scheme_lines_are_not_found(city, jiangan_officer, wuchang_officer):
    scheme = save(jiangan_officer, city.jiangan_compound)
    with pytest.raises(NotFound):
        add_line(wuchang_officer, scheme, 2027, "100")
    line = add_line(jiangan_officer, scheme, 2027, "100")
    with pytest.raises(NotFound):
        selectors.get_budget_line(scope_for(wuchang_officer), city.jiangan_compound, line.pk)
    with pytest.raises(NotFound):
        services.remove_budget_line(
            actor=wuchang_officer, scope=scope_for(wuchang_officer), line=line
        )
    assert BudgetLine.objects.count() == 1


# --- the district view: a hand-computed 江岸区 ----------------------------------------------------


@pytest.fixture
def upkeep_city(city, jiangan_officer, wuchang_officer, property_company, monkeypatch):
    """江岸区 on 1 June 2026:
    铭新街小区 (A) red property, 36,000 a year from 1 July 2025; budgeted 2025: 18,000,
    2026: 36,000.
    三德里 (B) self-management, 12,000 a year from 1 March 2026; budgeted 2026: 10,000.
    黎黄陂路 (C) in the approved 2026 plan, no scheme.  同兴里 (D) only in a draft plan, no scheme.
    坤厚里 (E) scheme planned (no start date), 50,000 a year, nothing budgeted.
    武昌's 积玉桥宿舍 (W) 99,999 a year from 2025, budgeted 2026 — never in 江岸's figures."""
    monkeypatch.setattr(selectors, "today", lambda: dt.date(2026, 6, 1))
    community = city.jiangan_community
    b = make_compound(community, "420102001001002", "三德里", lon=114.29, lat=30.59)
    c = make_compound(community, "420102001001003", "黎黄陂路小区", lon=114.29, lat=30.59)
    d = make_compound(community, "420102001001004", "同兴里", lon=114.29, lat=30.59)
    e = make_compound(community, "420102001001005", "坤厚里", lon=114.29, lat=30.59)
    a_scheme = save(
        jiangan_officer,
        city.jiangan_compound,
        property_company=property_company,
        starts_on=dt.date(2025, 7, 1),
    )
    add_line(jiangan_officer, a_scheme, 2025, "18000")
    add_line(jiangan_officer, a_scheme, 2026, "36000")
    b_scheme = save(
        jiangan_officer,
        b,
        management_model=ManagementModel.SELF_MANAGEMENT,
        yearly_upkeep_budget=Decimal("12000"),
        starts_on=dt.date(2026, 3, 1),
    )
    add_line(jiangan_officer, b_scheme, 2026, "10000")
    save(jiangan_officer, e, yearly_upkeep_budget=Decimal("50000"))
    w_scheme = save(
        wuchang_officer,
        city.wuchang_compound,
        management_model=ManagementModel.STREET_FALLBACK,
        yearly_upkeep_budget=Decimal("99999"),
        starts_on=dt.date(2025, 1, 1),
    )
    add_line(wuchang_officer, w_scheme, 2026, "99999")
    five = FiveYearPlan.objects.create(
        name="十五五", start_year=2026, end_year=2030, node=city.city
    )
    approved = AnnualPlan.objects.create(
        five_year_plan=five, year=2026, status=AnnualPlanStatus.APPROVED
    )
    draft = AnnualPlan.objects.create(five_year_plan=five, year=2027)
    for plan, code, compounds in (
        (approved, "2026-420102-001", [city.jiangan_compound, c]),
        (approved, "2026-420106-001", [city.wuchang_compound]),
        (draft, "2027-420102-001", [d]),
    ):
        project = Project.objects.create(
            annual_plan=plan,
            code=code,
            name=code,
            district=city.jiangan,
            estimated_cost=Decimal("1000000"),
        )
        project.compounds.add(*compounds)
    return {"A": city.jiangan_compound, "B": b, "C": c, "D": d, "E": e}


def test_upkeep_by_year_matches_the_hand_computed_district(upkeep_city, jiangan_officer):
    rows = selectors.upkeep_by_year(scope_for(jiangan_officer))
    assert [
        (r.year, r.budgeted, r.budgeted_compounds, r.promised, r.schemes_in_force) for r in rows
    ] == [
        (2025, Decimal("18000"), 1, Decimal("36000"), 1),
        (2026, Decimal("46000"), 2, Decimal("48000"), 2),
        (2027, Decimal("0"), 0, Decimal("48000"), 2),
    ]
    assert [r.gap for r in rows] == [Decimal("18000"), Decimal("2000"), Decimal("48000")]


def test_compounds_missing_a_budget_line_default_to_this_year_and_next(
    upkeep_city, jiangan_officer
):
    view = selectors.upkeep_view(scope_for(jiangan_officer))
    names = {year: [c.name for c in compounds] for year, compounds in view.missing.items()}
    assert names == {2026: ["坤厚里"], 2027: ["铭新街小区", "三德里", "坤厚里"]}


def test_planned_compounds_without_a_scheme_are_listed(upkeep_city, jiangan_officer):
    view = selectors.upkeep_view(scope_for(jiangan_officer), (2025,))
    assert [c.name for c in view.unplanned] == ["黎黄陂路小区"]
    assert [c.name for c in view.missing[2025]] == ["三德里", "坤厚里"]


def test_the_city_office_sees_both_districts(upkeep_city, city_officer):
    rows = {r.year: r for r in selectors.upkeep_by_year(scope_for(city_officer))}
    assert rows[2026].budgeted == Decimal("145999")
    assert rows[2025].promised == Decimal("135999")

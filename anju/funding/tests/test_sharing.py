"""Who benefits, pays: the services that turn an approved plan's items into cost shares and
household lines, exact to the fen, with clear refusals."""

from decimal import Decimal

import pytest

from anju.access.models import Organisation
from anju.core.errors import DomainError, PermissionDenied
from anju.core.models import AuditEvent
from anju.design.models import PlanItem
from anju.funding.models import CoefficientTable, CostShare, HouseholdContribution
from anju.funding.services import sharing as services
from anju.territory.models import Building, Household

from .sharing import computed, district_scope, shared_project

pytestmark = pytest.mark.django_db

ELEVATOR_TABLE = "elevator-guangzhou-example"


@pytest.fixture
def project(city):
    return shared_project(city.jiangan, city.jiangan_community, "2027-420102-S01", "S01")


def item(project, code):
    return PlanItem.objects.get(version__project=project, item__code=code)


def lines(project, code):
    return HouseholdContribution.objects.filter(share__plan_item=item(project, code))


def set_terms(project, code, **terms):
    return services.set_cost_share(
        actor=None,
        scope=district_scope(project),
        plan_item=item(project, code),
        terms=services.ShareTerms(**terms),
    )


def test_every_households_amount_sums_exactly_to_the_residents_part(project):
    computed(project)
    elevator = CostShare.objects.get(plan_item=item(project, "I13"))
    amounts = list(lines(project, "I13").values_list("amount", flat=True))
    assert len(amounts) == 48
    assert elevator.residents_part == Decimal("300000.01")
    assert sum(amounts) == Decimal("300000.01")
    assert all(amount == amount.quantize(Decimal("0.01")) for amount in amounts)
    assert elevator.utility_part + elevator.residents_part + elevator.others_part == Decimal(
        "300000.01"
    )


def test_each_household_pays_in_proportion_to_its_area_within_a_fen(project):
    computed(project)
    elevator = CostShare.objects.get(plan_item=item(project, "I13"))
    total_area = sum(
        Household.objects.filter(compound=elevator.plan_item.compound).values_list(
            "exclusive_area", flat=True
        )
    )
    for line in lines(project, "I13").select_related("household"):
        exact = Decimal("300000.01") * line.household.exclusive_area / total_area
        assert abs(line.amount - exact) < Decimal("0.01")
    assert lines(project, "I13").filter(rounded_up=True).count() < 48


def test_a_utility_owned_network_is_charged_wholly_to_its_utility(project):
    computed(project)
    power = CostShare.objects.get(plan_item=item(project, "B03"))
    assert (power.utility_part, power.residents_part, power.others_part) == (
        Decimal("100000.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    )
    assert not lines(project, "B03").exists()


def test_an_explicit_utility_owner_takes_an_item_of_another_payer(project):
    water = Organisation.objects.create(name="武汉水务集团", kind=Organisation.Kind.UTILITY)
    share = set_terms(project, "B14", utility_owner=water)
    assert share.utility_part == Decimal("150000.00")
    assert share.residents_part == Decimal("0.00")


def test_an_owner_that_is_not_a_utility_is_refused(project):
    firm = Organisation.objects.create(name="某物业公司", kind=Organisation.Kind.PROPERTY)
    with pytest.raises(DomainError) as refused:
        set_terms(project, "B14", utility_owner=firm)
    assert refused.value.code == "owner_not_utility"
    assert not CostShare.objects.exists()


def test_a_utility_network_with_a_residents_part_is_refused_with_nothing_written(project):
    power = Organisation.objects.create(name="国网武汉供电公司", kind=Organisation.Kind.UTILITY)
    with pytest.raises(DomainError) as refused:
        set_terms(project, "B03", utility_owner=power, residents_share=Decimal("0.5"))
    assert refused.value.code == "sharing_utility_item_with_residents_part"
    assert "国网武汉供电公司" in refused.value.message
    assert not CostShare.objects.exists()


def test_a_government_item_costs_the_residents_nothing_by_default(project):
    computed(project)
    roofs = CostShare.objects.get(plan_item=item(project, "B14"))
    assert roofs.residents_part == Decimal("0.00")
    assert roofs.others_part == Decimal("150000.00")
    assert not lines(project, "B14").exists()


def test_a_residents_share_of_a_government_item_is_split_among_the_households(project):
    share = set_terms(project, "B14", residents_share=Decimal("0.1"), method="per_household")
    amounts = set(share.contributions.values_list("amount", flat=True))
    assert share.residents_part == Decimal("15000.00")
    assert share.others_part == Decimal("135000.00")
    assert amounts == {Decimal("312.50")}


def test_a_fixed_residents_amount_above_the_cost_is_refused(project):
    with pytest.raises(DomainError) as refused:
        set_terms(project, "B14", residents_amount=Decimal("150000.01"))
    assert refused.value.code == "sharing_residents_amount_over_cost"
    assert "residents_amount" in refused.value.fields


def test_per_household_leftover_fens_go_to_the_first_households(project):
    share = set_terms(project, "I13", method="per_household")
    order = [h.pk for h in services.benefiting_households(share)]
    by_household = dict(share.contributions.values_list("household_id", "amount"))
    amounts = [by_household[pk] for pk in order]
    assert sum(amounts) == Decimal("300000.01")
    assert amounts[0] == Decimal("6250.01")
    assert set(amounts[1:]) == {Decimal("6250.00")}


def test_the_chosen_buildings_alone_share_the_item(project):
    first = Building.objects.get(compound=item(project, "I13").compound, number="1栋")
    share = set_terms(project, "I13", buildings=[first])
    assert share.contributions.count() == 24
    assert not share.contributions.exclude(household__unit__building=first).exists()
    assert sum(share.contributions.values_list("amount", flat=True)) == Decimal("300000.01")


def test_developer_unsold_households_pay_their_part(project):
    computed(project)
    unsold = Household.objects.get(compound=item(project, "I13").compound, is_developer_unsold=True)
    line = lines(project, "I13").get(household=unsold)
    assert line.amount > 0


def test_an_elevator_by_floor_coefficients_spares_the_ground_floors(project):
    table = CoefficientTable.objects.get(code=ELEVATOR_TABLE)
    share = set_terms(project, "I13", method="by_floor_coefficients", table=table)
    ground = share.contributions.filter(floor__in=(1, 2))
    assert set(ground.values_list("amount", flat=True)) == {Decimal("0.00")}
    assert sum(share.contributions.values_list("amount", flat=True)) == Decimal("300000.01")
    sixth = share.contributions.filter(floor=6).select_related("household").first()
    assert sixth.coefficient == Decimal("1.000")
    assert sixth.weight == sixth.household.exclusive_area
    third = share.contributions.filter(floor=3).select_related("household").first()
    assert third.weight == Decimal("0.7") * third.household.exclusive_area


def test_a_floor_missing_from_the_table_names_the_household_and_floor(project):
    table = services.create_coefficient_table(
        actor=None,
        scope=city_scope(),
        code="low-only",
        name="只到五层",
        rows={floor: Decimal(floor) for floor in range(1, 6)},
    )
    with pytest.raises(DomainError) as refused:
        set_terms(project, "I13", method="by_floor_coefficients", table=table)
    assert refused.value.code == "sharing_floor_not_in_table"
    assert refused.value.status == 400
    assert "第6层" in refused.value.message
    assert "1栋 1单元 601" in refused.value.message
    assert not HouseholdContribution.objects.exists()


def test_floor_coefficients_need_a_table(project):
    with pytest.raises(DomainError) as refused:
        set_terms(project, "I13", method="by_floor_coefficients")
    assert refused.value.code == "table_required"


def test_recomputing_replaces_the_household_lines(project):
    computed(project)
    before = set(lines(project, "I13").values_list("pk", flat=True))
    unit = Household.objects.filter(compound=item(project, "I13").compound).first().unit
    Household.objects.create(unit=unit, room="103", floor=1, exclusive_area=Decimal("41.20"))
    computed(project)
    after = lines(project, "I13")
    assert after.count() == 49
    assert not before & set(after.values_list("pk", flat=True))
    assert sum(after.values_list("amount", flat=True)) == Decimal("300000.01")


def test_computing_is_audited(project):
    computed(project)
    events = AuditEvent.objects.filter(verb="cost_share.computed")
    assert events.count() == 3
    elevator = events.get(summary__contains="电梯")
    assert elevator.after["residents_part"] == "300000.01"
    assert elevator.after["households"] == 48


def test_another_district_may_not_share_the_projects_costs(project, city):
    from anju.core.scope import Scope

    wuchang = Scope(roles=frozenset({"district_task_force"}), node_paths=(city.wuchang.path,))
    with pytest.raises(PermissionDenied):
        services.compute_cost_shares(actor=None, scope=wuchang, project=project)
    assert not CostShare.objects.exists()


def test_a_project_without_an_approved_plan_cannot_be_shared(city):
    from anju.design.tests.reviewing import project_in

    project = project_in(city.jiangan, city.jiangan_compound, "2027-420102-S09")
    with pytest.raises(DomainError) as refused:
        services.compute_cost_shares(actor=None, scope=district_scope(project), project=project)
    assert refused.value.code == "no_approved_plan"


def city_scope():
    from anju.core.scope import Scope

    return Scope(roles=frozenset({"city_office"}), node_paths=("4201",))


def test_only_the_city_office_keeps_coefficient_tables(project):
    with pytest.raises(PermissionDenied):
        services.create_coefficient_table(
            actor=None, scope=district_scope(project), code="x", name="x", rows={1: Decimal(0)}
        )
    assert not CoefficientTable.objects.filter(code="x").exists()


def test_a_deactivated_table_cannot_be_chosen_again(project):
    table = CoefficientTable.objects.get(code=ELEVATOR_TABLE)
    services.deactivate_coefficient_table(actor=None, scope=city_scope(), table=table)
    table.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        set_terms(project, "I13", method="by_floor_coefficients", table=table)
    assert refused.value.code == "table_inactive"


@pytest.mark.parametrize(
    "text, code",
    [
        ("3 x", "bad_coefficient_row"),
        ("3: 1\n3: 2", "duplicate_floor"),
        ("", "no_coefficient_rows"),
    ],
)
def test_coefficient_rows_are_read_line_by_line(text, code):
    with pytest.raises(DomainError) as refused:
        services.parse_coefficient_rows(text)
    assert refused.value.code == code


def test_coefficient_rows_accept_colons_and_equals():
    assert services.parse_coefficient_rows("1: 0\n2=0.5\n3：1.2\n") == {
        1: Decimal("0"),
        2: Decimal("0.5"),
        3: Decimal("1.2"),
    }

"""Plan versions (一小区一方案): priced from the year's published price list, totals exact by
category and payer, versions copied with what changed, never edited once noticed, the
residents' top needs answered, workshops, management schemes and the step to `designed`."""

import datetime as dt
from decimal import Decimal

import pytest

from anju.access.scope import scope_for
from anju.catalogue import services as catalogue
from anju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from anju.core.models import AuditEvent
from anju.design.models import NeedResponse, PlanItem, PlanVersion, Workshop
from anju.design.selectors import plans as selectors
from anju.design.services import plans as services
from anju.stewardship import services as stewardship
from anju.stewardship.models import ManagementModel, ManagementScheme
from anju.territory.models import Stage

from .planning_helpers import CITY, ask_needs, assign, item, publish_prices

pytestmark = pytest.mark.django_db


@pytest.fixture
def prices(city):
    return publish_prices()


@pytest.fixture
def drafter(designer, jiangan_project, prices):
    """The designer assigned to the 江岸 project, and that project's scope."""
    return assign(designer, jiangan_project)


@pytest.fixture
def version(drafter, jiangan_project):
    return services.create_plan_version(
        actor=drafter, scope=scope_for(drafter), project=jiangan_project
    )


def add(version, user, code, quantity, **kwargs):
    compound = kwargs.pop("compound", None) or version.project.compounds.get()
    return services.add_plan_item(
        actor=user,
        scope=scope_for(user),
        version=version,
        compound=compound,
        item=item(code),
        quantity=quantity,
        **kwargs,
    )


def scheme_for(compound, officer):
    return stewardship.save_management_scheme(
        actor=officer,
        scope=scope_for(officer),
        compound=compound,
        management_model=ManagementModel.RED_PROPERTY,
        yearly_upkeep_budget=Decimal("36000"),
    )


# --- versions --------------------------------------------------------------------------------


def test_version_one_is_priced_with_the_years_latest_published_list(version, prices):
    correction = catalogue.create_price_list(actor=None, scope=CITY, year=2027)  # a draft
    assert (version.number, version.status, version.price_list) == (1, "draft", prices)
    assert correction.is_published is False
    assert AuditEvent.objects.filter(verb="plan.version_created").count() == 1


def test_no_published_price_list_for_the_year_is_a_clear_refusal(designer, jiangan_project):
    assign(designer, jiangan_project)
    with pytest.raises(DomainError) as refused:
        services.create_plan_version(
            actor=designer, scope=scope_for(designer), project=jiangan_project
        )
    assert "价格清单尚未发布" in str(refused.value.message)
    assert not PlanVersion.objects.exists()


def test_the_next_version_says_what_changed_and_copies_the_latest(version, drafter):
    add(version, drafter, "B14", "100")
    PlanVersion.objects.filter(pk=version.pk).update(status=PlanVersion.Status.NOTICED)
    scope = scope_for(drafter)

    with pytest.raises(DomainError) as refused:
        services.create_plan_version(actor=drafter, scope=scope, project=version.project)
    second = services.create_plan_version(
        actor=drafter, scope=scope, project=version.project, changes="居民要求增加绿化"
    )

    assert "changes" in refused.value.fields
    assert second.number == 2 and second.changes == "居民要求增加绿化"
    assert list(second.items.values_list("item__code", "quantity", "cost")) == [
        ("B14", Decimal("100.00"), Decimal("15000.00"))
    ]


def test_a_second_draft_is_refused_while_one_is_open(version, drafter):
    with pytest.raises(Conflict):
        services.create_plan_version(
            actor=drafter, scope=scope_for(drafter), project=version.project, changes="x"
        )


def test_a_designer_not_assigned_to_the_project_may_not_draw_it(designer, jiangan_project, prices):
    with pytest.raises(PermissionDenied):
        services.create_plan_version(
            actor=designer, scope=scope_for(designer), project=jiangan_project
        )


def test_the_projects_district_may_draw_the_plan(jiangan_officer, jiangan_project, prices):
    version = services.create_plan_version(
        actor=jiangan_officer, scope=scope_for(jiangan_officer), project=jiangan_project
    )
    assert version.number == 1


# --- items -----------------------------------------------------------------------------------


def test_a_line_takes_unit_price_payer_and_bundled_department_from_the_data(version, drafter):
    line = add(version, drafter, "B01", "10.5")

    assert (line.unit, line.unit_price, line.cost) == ("米", Decimal("120.50"), Decimal("1265.25"))
    assert line.payer == "utility" and line.bundled_department == "二次供水（水务）"
    assert AuditEvent.objects.filter(verb="plan.item_added").count() == 1


@pytest.mark.parametrize("quantity", ["-1", "0", "-0.01"])
def test_a_quantity_not_above_zero_is_refused_and_nothing_written(version, drafter, quantity):
    with pytest.raises(DomainError) as refused:
        add(version, drafter, "B14", quantity)
    assert refused.value.status == 400 and "quantity" in refused.value.fields
    assert not PlanItem.objects.exists()
    assert not AuditEvent.objects.filter(verb="plan.item_added").exists()


def test_an_item_without_a_price_in_the_versions_list_is_refused(version, drafter):
    with pytest.raises(DomainError) as refused:
        add(version, drafter, "B03", "1")  # 供电设施: not in the 2027 list
    assert refused.value.code == "item_not_priced"
    assert not PlanItem.objects.exists()


def test_a_retired_item_is_refused(version, drafter):
    item("E08").__class__.objects.filter(code="E08").update(is_active=False)
    with pytest.raises(DomainError) as refused:
        add(version, drafter, "E08", "1")
    assert refused.value.code == "item_inactive"


def test_a_compound_outside_the_project_is_refused(version, drafter, city):
    with pytest.raises(DomainError) as refused:
        add(version, drafter, "B14", "1", compound=city.wuchang_compound)
    assert refused.value.code == "compound_not_in_project"


def test_a_price_override_needs_a_note(version, drafter):
    with pytest.raises(DomainError) as refused:
        add(version, drafter, "B14", "10", unit_price=Decimal("160"))
    line = add(version, drafter, "B14", "10", unit_price=Decimal("160"), note="坡屋面，造价高")

    assert "note" in refused.value.fields
    assert line.unit_price == Decimal("160.00") and line.cost == Decimal("1600.00")


def test_the_payer_may_be_chosen_instead_of_the_default(version, drafter):
    line = add(version, drafter, "B14", "1", payer="original_unit")
    assert line.payer == "original_unit"


def test_totals_by_category_and_payer_are_exact(version, drafter):
    add(version, drafter, "B01", "3")  # 361.50 basic, utility
    add(version, drafter, "B14", "0.33")  # 49.50 basic, government
    add(version, drafter, "I13", "1")  # 300000.00 improvement, residents
    add(version, drafter, "E08", "3", payer="government")  # 0.30 enhancement

    totals = selectors.plan_totals(version)

    assert totals.by_category == {
        "basic": Decimal("411.00"),
        "improvement": Decimal("300000.00"),
        "enhancement": Decimal("0.30"),
    }
    assert totals.by_payer["utility"] == Decimal("361.50")
    assert totals.by_payer["residents"] == Decimal("300000.00")
    assert totals.by_payer["government"] == Decimal("49.80")
    assert totals.by_payer["original_unit"] == Decimal("0.00")
    assert totals.total == Decimal("300411.30") == selectors.plan_total(version)
    assert sum(totals.by_payer.values()) == sum(totals.by_category.values()) == totals.total


def test_a_noticed_version_is_never_edited(version, drafter):
    line = add(version, drafter, "B14", "10")
    PlanVersion.objects.filter(pk=version.pk).update(status=PlanVersion.Status.NOTICED)
    line.version.refresh_from_db()
    scope = scope_for(drafter)

    for attempt in (
        lambda: add(version, drafter, "B01", "1"),
        lambda: services.change_plan_item(actor=drafter, scope=scope, plan_item=line, quantity=5),
        lambda: services.remove_plan_item(actor=drafter, scope=scope, plan_item=line),
    ):
        with pytest.raises(Conflict) as refused:
            attempt()
        assert refused.value.status == 409

    assert list(PlanItem.objects.values_list("item__code", "quantity")) == [
        ("B14", Decimal("10.00"))
    ]


def test_changing_and_removing_a_draft_line(version, drafter):
    line = add(version, drafter, "B14", "10")
    scope = scope_for(drafter)

    changed = services.change_plan_item(actor=drafter, scope=scope, plan_item=line, quantity="12")
    services.remove_plan_item(actor=drafter, scope=scope, plan_item=changed)

    assert changed.cost == Decimal("1800.00")
    assert not PlanItem.objects.exists()
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"plan.item_changed", "plan.item_removed"} <= verbs


# --- how the plan answers the residents ------------------------------------------------------


def test_top_needs_are_covered_by_items_or_answered_with_a_reason(version, drafter, city):
    compound = city.jiangan_compound
    ask_needs(city.jiangan, compound, [["B14", "I13"], ["B14", "I13"], ["B14"], ["I02"]])
    add(version, drafter, "B14", "100")

    answers = {a.item.code: a for a in selectors.need_answers(version)}
    assert [a.item.code for a in selectors.need_answers(version)] == ["B14", "I13", "I02"]
    assert answers["B14"].is_covered and answers["B14"].households == 3
    assert not answers["I13"].is_answered

    with pytest.raises(DomainError) as refused:
        services.answer_need(
            actor=drafter,
            scope=scope_for(drafter),
            version=version,
            compound=compound,
            item=item("I13"),
            reason=" ",
        )
    services.answer_need(
        actor=drafter,
        scope=scope_for(drafter),
        version=version,
        compound=compound,
        item=item("I13"),
        reason="楼栋间距不足，不具备加装条件",
    )

    assert "reason" in refused.value.fields
    answers = {a.item.code: a for a in selectors.need_answers(version)}
    assert answers["I13"].reason == "楼栋间距不足，不具备加装条件"
    response = NeedResponse.objects.get(item__code="I13")
    assert response.share == Decimal("0.5000") and response.is_covered is False


def test_a_covered_need_needs_no_reason(version, drafter, city):
    ask_needs(city.jiangan, city.jiangan_compound, [["B14"]])
    add(version, drafter, "B14", "1")
    with pytest.raises(DomainError) as refused:
        services.answer_need(
            actor=drafter,
            scope=scope_for(drafter),
            version=version,
            compound=city.jiangan_compound,
            item=item("B14"),
            reason="x",
        )
    assert refused.value.code == "need_covered"


# --- readiness -------------------------------------------------------------------------------


def test_readiness_for_notice_names_every_reason(version, drafter, city):
    ask_needs(city.jiangan, city.jiangan_compound, [["I13"]])

    reasons = selectors.readiness_for_notice(version)

    assert reasons == [
        "方案还没有任何改造条目。",
        "小区“铭新街小区”还没有长效管理方案。",
        "小区“铭新街小区”居民提出的“加装电梯”既未纳入方案，也未说明原因。",
    ]


def test_a_version_with_items_a_scheme_and_needs_answered_is_ready(
    version, drafter, city, jiangan_officer
):
    ask_needs(city.jiangan, city.jiangan_compound, [["I13"]])
    add(version, drafter, "I13", "1")
    scheme_for(city.jiangan_compound, jiangan_officer)
    assert selectors.readiness_for_notice(version) == []


# --- workshops -------------------------------------------------------------------------------


def test_a_workshop_is_recorded_and_audited(drafter, jiangan_project):
    workshop = services.record_workshop(
        actor=drafter,
        scope=scope_for(drafter),
        project=jiangan_project,
        held_on=dt.date(2027, 3, 5),
        attendees=32,
        attendee_groups="居民代表、业委会、社区",
        suggestions="增加晾衣架；停车位不够",
        outcome="第2版增加非机动车棚",
    )
    assert Workshop.objects.get() == workshop
    assert AuditEvent.objects.filter(verb="plan.workshop_recorded").count() == 1


def test_a_workshop_without_attendees_is_refused(drafter, jiangan_project):
    with pytest.raises(DomainError):
        services.record_workshop(
            actor=drafter,
            scope=scope_for(drafter),
            project=jiangan_project,
            held_on=dt.date(2027, 3, 5),
            attendees=0,
            suggestions="",
        )
    assert not Workshop.objects.exists()


# --- management scheme -----------------------------------------------------------------------


def test_the_compounds_territory_staff_keep_its_scheme_audited(
    city, jiangan_officer, jiangan_community_worker
):
    scheme_for(city.jiangan_compound, jiangan_officer)
    scheme = stewardship.save_management_scheme(
        actor=jiangan_community_worker,
        scope=scope_for(jiangan_community_worker),
        compound=city.jiangan_compound,
        management_model=ManagementModel.PROPERTY_COMPANY,
        yearly_upkeep_budget=Decimal("48000"),
    )
    assert ManagementScheme.objects.get() == scheme
    event = AuditEvent.objects.filter(verb="stewardship.scheme_saved").order_by("pk").last()
    assert event.after == {"management_model": "property_company", "yearly_upkeep_budget": "48000"}


def test_a_designer_may_not_write_the_scheme(city, designer):
    with pytest.raises(PermissionDenied):
        scheme_for(city.jiangan_compound, designer)


def test_another_districts_compound_is_not_found_for_the_scheme(city, wuchang_officer):
    with pytest.raises(NotFound):
        scheme_for(city.jiangan_compound, wuchang_officer)
    assert not ManagementScheme.objects.exists()


def test_a_negative_upkeep_budget_is_refused(city, jiangan_officer):
    with pytest.raises(DomainError) as refused:
        stewardship.save_management_scheme(
            actor=jiangan_officer,
            scope=scope_for(jiangan_officer),
            compound=city.jiangan_compound,
            management_model=ManagementModel.RED_PROPERTY,
            yearly_upkeep_budget=Decimal("-1"),
        )
    assert "yearly_upkeep_budget" in refused.value.fields


# --- designed --------------------------------------------------------------------------------


def test_marking_the_plan_ready_needs_items_and_every_scheme(
    version, drafter, city, jiangan_officer
):
    project = version.project
    with pytest.raises(DomainError) as refused:
        services.mark_plan_ready(actor=drafter, scope=scope_for(drafter), project=project)
    assert "改造条目" in str(refused.value.message) and "长效管理方案" in str(refused.value.message)

    add(version, drafter, "B14", "10")
    scheme_for(city.jiangan_compound, jiangan_officer)
    services.mark_plan_ready(actor=drafter, scope=scope_for(drafter), project=project)

    project.refresh_from_db()
    city.jiangan_compound.refresh_from_db()
    assert project.stage == Stage.DESIGNED == city.jiangan_compound.stage
    assert AuditEvent.objects.filter(verb="plan.marked_ready").get().after == {"total": "1500.00"}
    with pytest.raises(Conflict):
        services.mark_plan_ready(actor=drafter, scope=scope_for(drafter), project=project)

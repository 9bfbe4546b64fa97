"""The audit log page: who sees which events, and events shown in the viewer's words."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anju.core.audit import record_event

pytestmark = pytest.mark.django_db


def record(**kwargs):
    with transaction.atomic():
        return record_event(actor=None, **kwargs)


def audit_page(client, **params):
    response = client.get(reverse("core:audit-list"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_city_office_sees_events_that_belong_to_no_territory(client_as, city_officer):
    record(verb="catalogue.item_changed", summary="E08", after={"name": "无辖区的清单修改"})
    record(verb="access.token_issued", summary="无辖区的令牌签发")

    page = audit_page(client_as(city_officer))

    assert "无辖区的清单修改" in page
    assert "无辖区的令牌签发" in page


def test_district_officer_sees_only_events_in_the_district(client_as, jiangan_officer, city):
    record(verb="catalogue.item_changed", summary="无辖区的清单修改")
    record(verb="x.changed", summary="江岸的事件", territory_path=city.jiangan_compound.path)
    record(verb="x.changed", summary="武昌的事件", territory_path=city.wuchang_compound.path)

    page = audit_page(client_as(jiangan_officer))

    assert "江岸的事件" in page
    assert "武昌的事件" not in page
    assert "无辖区的清单修改" not in page


def test_changes_show_field_names_and_choice_labels_of_the_target_model(
    client_as, city_officer, city
):
    compound = city.jiangan_compound
    record(
        verb="compound.stage_changed",
        target=compound,
        territory_path=compound.path,
        before={"stage": "consulted"},
        after={"stage": "planned", "undeclared_key": "raw"},
    )

    page = audit_page(client_as(city_officer))

    assert "阶段" in page
    assert "问需于民 → 列入年度计划" in page
    assert "<code>stage</code>" not in page
    assert "undeclared_key" in page  # a key the model does not know is shown as stored


def test_counts_and_parameters_events_store_are_named_in_words(client_as, city_officer):
    """Keys that are no field of the target (a re-detection's counts, a round's parameters)
    were shown as stored: pairs, distance_m, no_longer_found."""
    record(
        verb="conflicts.detected",
        after={"pairs": 135, "distance_m": 50.0, "no_longer_found": 0, "months": 12},
    )
    record(verb="plan.round_scored", after={"candidates": 1103, "model": "v1"})

    page = audit_page(client_as(city_officer))

    for label in ("冲突数", "间距（米）", "不再出现", "间隔（月）", "参评小区数", "评分模型"):
        assert label in page
    for key in ("pairs", "distance_m", "no_longer_found", "candidates"):
        assert f">{key}<" not in page


def test_booleans_and_unknown_targets_fall_back_gracefully(client_as, city_officer, city):
    from anju.core.models import Holiday

    with transaction.atomic():
        holiday = Holiday.objects.create(date="2027-02-08", name="春节")
    record(verb="holiday.saved", target=holiday, after={"is_working_day": True, "name": "春节"})
    record(verb="registry.imported", after={"file": "名册.xlsx"})

    page = audit_page(client_as(city_officer))

    assert "调休上班" in page and "是" in page
    assert "名册.xlsx" in page


def test_event_kind_filter_offers_translated_labels_and_filters_by_them(
    client_as, city_officer, city
):
    compound = city.jiangan_compound
    record(verb="compound.stage_changed", target=compound, territory_path=compound.path,
           summary="阶段变了")  # fmt: skip
    record(verb="compound.updated", target=compound, territory_path=compound.path,
           summary="地址改了")  # fmt: skip
    client = client_as(city_officer)

    page = audit_page(client)
    filtered = audit_page(client, verb="compound.stage_changed")

    assert '<option value="compound.stage_changed">变更阶段</option>' in page
    assert "阶段变了" in filtered and "地址改了" not in filtered


def test_object_type_filter_lists_model_names_and_filters_by_them(client_as, city_officer, city):
    from anju.core.models import Holiday

    compound = city.jiangan_compound
    with transaction.atomic():
        holiday = Holiday.objects.create(date="2027-02-09", name="春节")
    record(verb="holiday.saved", target=holiday, summary="节假日的事件")
    record(verb="compound.updated", target=compound, territory_path=compound.path,
           summary="小区的事件")  # fmt: skip
    client = client_as(city_officer)

    page = audit_page(client)
    filtered = audit_page(client, object_type="core.holiday")

    assert '<option value="core.holiday"' in page
    assert ">节假日</option>" in page
    assert "节假日的事件" in filtered and "小区的事件" not in filtered


def test_the_log_reads_a_fixed_number_of_queries_however_many_events(
    client_as, city_officer, city, django_assert_max_num_queries
):
    compound = city.jiangan_compound
    client = client_as(city_officer)
    for index in range(3):
        record(
            verb="compound.updated",
            target=compound,
            territory_path=compound.path,
            before={"stage": "registered"},
            after={"stage": "consulted", "n": index},
        )
    audit_page(client)  # warms the session and the content-type cache
    with CaptureQueriesContext(connection) as few:
        audit_page(client)
    for index in range(20):
        record(verb="compound.updated", target=compound, territory_path=compound.path,
               after={"stage": "candidate", "n": index})  # fmt: skip
    with django_assert_max_num_queries(len(few)):
        audit_page(client)


def test_unchanged_keys_are_left_out_and_a_described_model_gives_the_labels(city):
    """A cost share recomputed showed every key, changed or not ("utility_owner: — → —"), by
    its stored name: its events are recorded against the project, whose model knows none."""
    from anju.core.audit import describe_changes

    with transaction.atomic():
        event = record_event(
            actor=None,
            verb="cost_share.computed",
            target=city.jiangan_compound,
            before={"method": "", "utility_owner": "", "residents_part": "0.00", "buildings": []},
            after={
                "method": "by_floor_coefficients",
                "utility_owner": "",
                "residents_part": "550000.00",
                "buildings": ["5栋"],
            },
        )
    changes = {change.label: (change.before, change.after) for change in describe_changes(event)}
    assert changes == {
        "分摊方式": ("—", "按楼层系数"),
        "居民承担(元)": ("0.00", "550000.00"),
        "受益楼栋": ("—", "5栋"),
    }


def test_a_mapping_reads_as_its_pairs_not_as_python():
    from anju.core.audit import display_value

    assert display_value(None, {"屋面防水": "60.0", "外墙保温": "20.0"}) == (
        "屋面防水：60.0、外墙保温：20.0"
    )
    assert display_value(None, {}) == "—"

"""Cost sharing in the workbench: the district computes and sets how items are shared on the
project's sharing page, refusals come back on the page with nothing written, other districts
get 404, and the city office keeps the coefficient tables."""

from decimal import Decimal

import pytest
from django.urls import reverse

from anju.core.models import AuditEvent
from anju.design.models import PlanItem
from anju.funding.models import CoefficientTable, CostShare, HouseholdContribution

from .sharing import computed, shared_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(city):
    return shared_project(city.jiangan, city.jiangan_community, "2027-420102-S01", "S01")


def elevator(project):
    return PlanItem.objects.get(version__project=project, item__code="I13")


def test_the_district_computes_the_shares_from_the_sharing_page(
    client_as, jiangan_officer, project
):
    client = client_as(jiangan_officer)
    page = client.get(reverse("funding:sharing", args=[project.pk]))
    assert page.status_code == 200
    assert "加装电梯" in page.content.decode()
    response = client.post(reverse("funding:sharing-compute", args=[project.pk]))
    assert response.status_code == 302
    assert CostShare.objects.filter(project=project).count() == 3
    funding_page = client.get(reverse("funding:project", args=[project.pk])).content.decode()
    assert 'id="sharing-panel"' in funding_page
    assert "专营单位承担" in funding_page


def test_an_item_shared_by_floors_spares_the_ground_floors(client_as, jiangan_officer, project):
    item = elevator(project)
    table = CoefficientTable.objects.get(code="elevator-guangzhou-example")
    response = client_as(jiangan_officer).post(
        reverse("funding:sharing-item", args=[project.pk, item.pk]),
        {f"item{item.pk}-method": "by_floor_coefficients", f"item{item.pk}-table": table.pk},
    )
    assert response.status_code == 302
    lines = HouseholdContribution.objects.filter(share__plan_item=item)
    assert set(lines.filter(floor__lte=2).values_list("amount", flat=True)) == {Decimal("0.00")}
    detail = client_as(jiangan_officer).get(
        reverse("funding:sharing-item", args=[project.pk, item.pk])
    )
    assert detail.status_code == 200
    assert "1栋 1单元 601" in detail.content.decode()


def test_a_floor_missing_from_the_table_comes_back_on_the_page_with_nothing_written(
    client_as, city_officer, jiangan_officer, project
):
    client_as(city_officer).post(
        reverse("funding:sharing-tables"),
        {"code": "to-five", "name": "只到五层", "rows": "1: 0\n2: 0\n3: 1\n4: 1\n5: 1"},
    )
    table = CoefficientTable.objects.get(code="to-five")
    item = elevator(project)
    events = AuditEvent.objects.count()
    response = client_as(jiangan_officer).post(
        reverse("funding:sharing-item", args=[project.pk, item.pk]),
        {f"item{item.pk}-method": "by_floor_coefficients", f"item{item.pk}-table": table.pk},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "第6层" in body and "601" in body
    assert not CostShare.objects.exists()
    assert AuditEvent.objects.count() == events


def test_both_a_share_and_an_amount_is_a_form_error(client_as, jiangan_officer, project):
    item = elevator(project)
    response = client_as(jiangan_officer).post(
        reverse("funding:sharing-item", args=[project.pk, item.pk]),
        {f"item{item.pk}-residents_share": "0.5", f"item{item.pk}-residents_amount": "100"},
    )
    assert response.status_code == 400
    assert not CostShare.objects.exists()


def test_another_district_gets_404(client_as, wuchang_officer, project):
    client = client_as(wuchang_officer)
    assert client.get(reverse("funding:sharing", args=[project.pk])).status_code == 404
    assert client.post(reverse("funding:sharing-compute", args=[project.pk])).status_code == 404
    assert not CostShare.objects.exists()


def test_a_community_worker_reads_the_shares_but_does_not_compute(
    client_as, jiangan_officer, city, project
):
    from anju.access.models import Role
    from anju.conftest import make_user

    computed(project)
    worker = make_user("tiansheng-worker", Role.COMMUNITY_WORKER, node=city.jiangan_community)
    client = client_as(worker)
    assert client.get(reverse("funding:sharing", args=[project.pk])).status_code == 200
    assert (
        "sharing-compute"
        not in client.get(reverse("funding:sharing", args=[project.pk])).content.decode()
    )
    assert client.post(reverse("funding:sharing-compute", args=[project.pk])).status_code == 403


def test_the_city_office_creates_a_coefficient_table(client_as, city_officer):
    response = client_as(city_officer).post(
        reverse("funding:sharing-tables"),
        {
            "code": "elevator-wuhan",
            "name": "加装电梯（武汉模板）",
            "multiply_by_area": "on",
            "rows": "1: 0\n2: 0.3\n3: 0.8\n4: 1\n5: 1.2\n6: 1.4",
        },
    )
    assert response.status_code == 302
    table = CoefficientTable.objects.get(code="elevator-wuhan")
    assert table.multiply_by_area
    assert dict(table.floors.values_list("floor", "coefficient"))[6] == Decimal("1.400")
    assert CoefficientTable.objects.filter(is_active=True).count() == 2
    assert AuditEvent.objects.filter(verb="coefficient_table.created").exists()


def test_a_malformed_coefficient_row_answers_400(client_as, city_officer):
    response = client_as(city_officer).post(
        reverse("funding:sharing-tables"), {"code": "bad", "name": "坏表", "rows": "1: 0\n三: 1"}
    )
    assert response.status_code == 400
    assert "第2行" in response.content.decode()
    assert not CoefficientTable.objects.filter(code="bad").exists()


def test_a_district_reads_the_tables_but_may_not_change_them(client_as, jiangan_officer):
    client = client_as(jiangan_officer)
    assert client.get(reverse("funding:sharing-tables")).status_code == 200
    table = CoefficientTable.objects.get(code="elevator-guangzhou-example")
    response = client.post(
        reverse("funding:sharing-tables"), {"code": "x", "name": "x", "rows": "1: 1"}
    )
    assert response.status_code == 403
    deactivate = client.post(reverse("funding:sharing-table-deactivate", args=[table.pk]))
    assert deactivate.status_code == 403
    table.refresh_from_db()
    assert table.is_active


def test_the_city_office_deactivates_a_table(client_as, city_officer):
    table = CoefficientTable.objects.get(code="elevator-guangzhou-example")
    response = client_as(city_officer).post(
        reverse("funding:sharing-table-deactivate", args=[table.pk])
    )
    assert response.status_code == 302
    table.refresh_from_db()
    assert not table.is_active

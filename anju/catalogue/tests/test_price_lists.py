"""Price lists (价格清单): the city office keeps a year's unit prices, versioned; a published
version is never edited (a correction is version n+1, copied from the last); a spreadsheet
imports all or nothing."""

import io
from decimal import Decimal

import pytest
import xlsxwriter
from django.urls import reverse

from anju.catalogue import selectors, services
from anju.catalogue.models import CatalogueItem, PriceList, PriceListEntry
from anju.core.errors import Conflict, DomainError, PermissionDenied
from anju.core.models import AuditEvent
from anju.core.scope import Scope

pytestmark = pytest.mark.django_db

CITY = Scope(roles=frozenset({"city_office"}), node_paths=("4201/",))
DISTRICT = Scope(roles=frozenset({"district_task_force"}), node_paths=("4201/420102/",))
HEADERS = ["编码", "名称", "计量单位", "单价"]


def item(code):
    return CatalogueItem.objects.get(code=code)


def published(year=2027, prices=None):
    price_list = services.create_price_list(
        actor=None,
        scope=CITY,
        year=year,
        prices=prices or {item("B01"): ("m", Decimal("320.00"))},
    )
    return services.publish_price_list(actor=None, scope=CITY, price_list=price_list)


def xlsx(rows, sheet="价格清单"):
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    worksheet = book.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                worksheet.write(r, c, value)
    book.close()
    output.seek(0)
    output.name = "prices.xlsx"
    return output


def test_a_correction_is_the_next_version_copied_from_the_last():
    first = published()

    correction = services.create_price_list(actor=None, scope=CITY, year=2027, note="更正")

    assert (first.version, correction.version) == (1, 2)
    assert list(correction.entries.values_list("item__code", "unit", "unit_price")) == [
        ("B01", "m", Decimal("320.00"))
    ]
    assert correction.is_published is False
    assert AuditEvent.objects.filter(verb="catalogue.price_list_created").count() == 2


def test_a_published_list_is_never_edited():
    price_list = published()

    with pytest.raises(Conflict):
        services.save_price_entry(
            actor=None,
            scope=CITY,
            price_list=price_list,
            item=item("B01"),
            unit="m",
            unit_price=Decimal("1"),
        )

    assert price_list.entries.get().unit_price == Decimal("320.00")


def test_a_year_has_one_draft_at_a_time():
    services.create_price_list(actor=None, scope=CITY, year=2027)
    with pytest.raises(Conflict):
        services.create_price_list(actor=None, scope=CITY, year=2027)


def test_a_negative_price_is_refused():
    price_list = services.create_price_list(actor=None, scope=CITY, year=2027)
    with pytest.raises(DomainError) as refused:
        services.save_price_entry(
            actor=None,
            scope=CITY,
            price_list=price_list,
            item=item("B01"),
            unit="m",
            unit_price=Decimal("-1"),
        )
    assert "unit_price" in refused.value.fields
    assert not price_list.entries.exists()


def test_only_the_city_office_keeps_price_lists():
    with pytest.raises(PermissionDenied):
        services.create_price_list(actor=None, scope=DISTRICT, year=2027)


def test_plans_are_priced_with_the_years_latest_published_version():
    published()
    second = services.create_price_list(actor=None, scope=CITY, year=2027)
    assert selectors.latest_published_price_list(2027).version == 1
    services.publish_price_list(actor=None, scope=CITY, price_list=second)
    assert selectors.latest_published_price_list(2027).version == 2
    assert selectors.latest_published_price_list(2026) is None


# --- pages -----------------------------------------------------------------------------------


def test_staff_read_price_lists_but_only_the_city_office_creates(client_as, jiangan_officer):
    published()
    client = client_as(jiangan_officer)

    listing = client.get(reverse("catalogue:price-list-list"))
    created = client.post(reverse("catalogue:price-list-create"), {"year": 2028})

    assert listing.status_code == 200 and "2027" in listing.text
    assert created.status_code == 403
    assert not PriceList.objects.filter(year=2028).exists()


def test_city_office_creates_and_publishes_a_list_audited(client_as, city_officer):
    client = client_as(city_officer)
    response = client.post(reverse("catalogue:price-list-create"), {"year": 2028, "note": "首版"})
    price_list = PriceList.objects.get(year=2028)
    client.post(
        reverse("catalogue:price-entry-save", args=[price_list.pk]),
        {"item": item("B01").pk, "unit": "m", "unit_price": "300.50"},
    )
    published_response = client.post(reverse("catalogue:price-list-publish", args=[price_list.pk]))

    assert response.status_code == 302 and published_response.status_code == 302
    price_list.refresh_from_db()
    assert price_list.is_published
    assert price_list.entries.get().unit_price == Decimal("300.50")
    assert AuditEvent.objects.filter(verb="catalogue.price_list_published").exists()


def test_publishing_an_empty_list_is_a_clear_400(client_as, city_officer):
    price_list = services.create_price_list(actor=None, scope=CITY, year=2028)
    response = client_as(city_officer).post(
        reverse("catalogue:price-list-publish", args=[price_list.pk])
    )
    assert response.status_code == 400
    assert "没有任何条目" in response.text


# --- import ----------------------------------------------------------------------------------


def import_file(client, price_list, upload):
    return client.post(
        reverse("catalogue:price-list-import", args=[price_list.pk]), {"file": upload}
    )


def test_importing_replaces_the_drafts_entries_and_is_audited(client_as, city_officer):
    price_list = services.create_price_list(
        actor=None, scope=CITY, year=2027, prices={item("B02"): ("项", Decimal("1"))}
    )
    rows = [HEADERS, ["B01", item("B01").name, "m", 320], ["B15", None, "m²", "85.5"]]

    response = import_file(client_as(city_officer), price_list, xlsx(rows))

    assert response.status_code == 302
    assert sorted(price_list.entries.values_list("item__code", "unit", "unit_price")) == [
        ("B01", "m", Decimal("320.00")),
        ("B15", "m²", Decimal("85.50")),
    ]
    event = AuditEvent.objects.get(verb="catalogue.price_list_imported")
    assert event.after["entries_written"] == 2 and event.after["entries_removed"] == 1


def test_a_file_with_problems_imports_nothing_and_names_row_and_column(client_as, city_officer):
    price_list = services.create_price_list(
        actor=None, scope=CITY, year=2027, prices={item("B02"): ("项", Decimal("1"))}
    )
    rows = [
        HEADERS,
        ["B01", None, "m", 320],
        ["ZZ99", None, "m", 1],
        ["B01", None, "m", 2],
        ["B15", "不是这个名称", "m²", 3],
        ["B16", None, "项", -5],
        ["B14", None, None, 5],
        ["B13", None, "项", None],
    ]

    response = import_file(client_as(city_officer), price_list, xlsx(rows))

    page = response.content.decode()
    assert response.status_code == 400
    assert list(price_list.entries.values_list("item__code", flat=True)) == ["B02"]
    assert "第3行" in page and "没有编码“ZZ99”" in page
    assert "第4行" in page and "与第2行重复" in page
    assert "第5行" in page and "B（名称）" in page
    assert "第6行" in page and "不能为负数" in page
    assert "第7行" in page and "C（计量单位）" in page
    assert not AuditEvent.objects.filter(verb="catalogue.price_list_imported").exists()


def test_a_published_list_refuses_an_import(client_as, city_officer):
    price_list = published()
    response = import_file(
        client_as(city_officer), price_list, xlsx([HEADERS, ["B02", None, "项", 1]])
    )
    assert response.status_code == 409
    assert list(price_list.entries.values_list("item__code", flat=True)) == ["B01"]


def test_the_template_has_instructions_and_reimports_unchanged(client_as, city_officer):
    price_list = services.create_price_list(
        actor=None, scope=CITY, year=2027, prices={item("B01"): ("m", Decimal("320.00"))}
    )
    client = client_as(city_officer)
    template = client.get(reverse("catalogue:price-list-template", args=[price_list.pk]))
    assert template.status_code == 200

    from anju.core import excel

    book = excel.read_workbook(template.content, filename="t.xlsx")
    assert "填写说明" in book.names and "价格清单" in book.names
    upload = io.BytesIO(template.content)
    upload.name = "prices.xlsx"
    response = import_file(client, price_list, upload)
    assert response.status_code == 302
    assert list(
        PriceListEntry.objects.filter(price_list=price_list).values_list("unit_price", flat=True)
    ) == [Decimal("320.00")]

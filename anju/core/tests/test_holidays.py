"""The holiday table: seeded at migrate time, edited and imported by the city office, audited,
and a warning when the current or next year has no entries."""

import datetime as dt
import io

import pytest
import xlsxwriter
from django.urls import reverse

from anju.core.calendar import WorkingCalendar
from anju.core.models import AuditEvent, Holiday

pytestmark = pytest.mark.django_db


def test_a_fresh_database_already_has_the_official_holidays_and_make_up_days():
    """`anju migrate` alone (no demo) seeds what chinese-calendar knows."""
    calendar = WorkingCalendar.from_database()

    assert not calendar.is_working_day(dt.date(2025, 10, 1))  # National Day, a Wednesday
    assert calendar.is_working_day(dt.date(2025, 9, 28))  # make-up Sunday
    assert Holiday.objects.get(date=dt.date(2026, 1, 1)).name == "元旦"
    assert Holiday.objects.filter(date__year=2004).exists()
    assert not Holiday.objects.filter(date__year=2027).exists()


# --- the workbench page ------------------------------------------------------------------


def holidays_page(client, year):
    response = client.get(reverse("core:holiday-list"), {"year": year})
    assert response.status_code == 200
    return response.content.decode()


def test_staff_read_a_year_but_only_the_city_office_may_change_it(client_as, jiangan_officer):
    client = client_as(jiangan_officer)

    page = holidays_page(client, 2025)
    create = client.post(reverse("core:holiday-create"), {"date": "2027-02-08", "name": "春节"})

    assert "2025-10-01" in page and "国庆节" in page
    assert reverse("core:holiday-create") not in page
    assert create.status_code == 403
    assert not Holiday.objects.filter(date__year=2027).exists()


def test_city_office_adds_edits_and_deletes_entries_each_audited(client_as, city_officer):
    client = client_as(city_officer)

    added = client.post(
        reverse("core:holiday-create"),
        {"date": "2027-02-06", "is_working_day": "on", "name": "春节调休"},
    )
    holiday = Holiday.objects.get(date=dt.date(2027, 2, 6))
    edited = client.post(
        reverse("core:holiday-edit", args=[holiday.pk]),
        {"date": "2027-02-06", "is_working_day": "on", "name": "春节调休上班"},
    )
    deleted = client.post(reverse("core:holiday-delete", args=[holiday.pk]))

    assert [added.status_code, edited.status_code, deleted.status_code] == [302, 302, 302]
    assert not Holiday.objects.filter(date=dt.date(2027, 2, 6)).exists()
    verbs = list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))
    assert verbs == ["holiday.saved", "holiday.saved", "holiday.deleted"]
    edit_event = AuditEvent.objects.filter(verb="holiday.saved").order_by("id").last()
    assert edit_event.before == {"name": "春节调休"}
    assert edit_event.after == {"name": "春节调休上班"}


def test_a_make_up_working_day_must_be_a_weekend(client_as, city_officer):
    response = client_as(city_officer).post(
        reverse("core:holiday-create"),
        {"date": "2027-02-08", "is_working_day": "on", "name": "调休"},  # a Monday
    )

    assert response.status_code == 400
    assert "调休上班日应为周六或周日" in response.content.decode()
    assert not Holiday.objects.filter(date=dt.date(2027, 2, 8)).exists()


def test_a_date_already_in_the_table_is_a_form_error_not_a_500(client_as, city_officer):
    response = client_as(city_officer).post(
        reverse("core:holiday-create"), {"date": "2025-10-01", "name": "重复"}
    )

    assert response.status_code == 400
    assert Holiday.objects.get(date=dt.date(2025, 10, 1)).name == "国庆节"


def test_the_page_warns_when_the_current_or_next_year_has_no_entries(
    client_as, city_officer, monkeypatch
):
    monkeypatch.setattr("anju.core.holidays.today", lambda: dt.date(2026, 12, 2))
    client = client_as(city_officer)

    warned = holidays_page(client, 2026)
    Holiday.objects.create(date=dt.date(2027, 1, 1), name="元旦")
    not_warned = holidays_page(client, 2026)

    assert "2027年的节假日尚未录入" in warned
    assert "尚未录入" not in not_warned


def test_the_database_check_warns_about_a_year_without_entries(monkeypatch):
    from django.core import checks

    monkeypatch.setattr("anju.core.holidays.today", lambda: dt.date(2026, 12, 2))

    messages = checks.run_checks(tags=[checks.Tags.database], databases=["default"])

    warning = next(m for m in messages if m.id == "anju.W001")
    assert "2027" in warning.msg


# --- importing a year --------------------------------------------------------------------

HEADERS = ["日期", "类型", "名称"]


def xlsx(rows, sheet="节假日"):
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    worksheet = book.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                worksheet.write(r, c, value)
    book.close()
    output.seek(0)
    output.name = "2027.xlsx"
    return output


def import_year(client, year, upload):
    return client.post(reverse("core:holiday-import"), {"year": year, "file": upload})


def test_importing_a_year_replaces_that_year_and_is_audited(client_as, city_officer):
    Holiday.objects.create(date=dt.date(2027, 5, 5), name="录错的")
    rows = [HEADERS, ["2027-01-01", "放假", "元旦"], ["2027/2/6", "调休上班", "春节调休"]]

    response = import_year(client_as(city_officer), 2027, xlsx(rows))

    assert response.status_code == 302
    assert list(Holiday.objects.filter(date__year=2027).values_list("date", "is_working_day")) == [
        (dt.date(2027, 1, 1), False),
        (dt.date(2027, 2, 6), True),
    ]
    event = AuditEvent.objects.get(verb="holiday.imported")
    assert event.after["holidays_created"] == 2 and event.after["holidays_removed"] == 1
    assert Holiday.objects.filter(date__year=2026).exists()  # other years untouched


def test_a_file_with_problems_imports_nothing_and_names_row_and_column(client_as, city_officer):
    Holiday.objects.create(date=dt.date(2027, 5, 5), name="保留")
    rows = [
        HEADERS,
        ["2027-01-01", "放假", "元旦"],
        ["2027-02-08", "调休上班", "周一不能调休"],
        ["2028-01-01", "放假", "不是这一年"],
        ["2027-01-01", "放假", "重复"],
        ["不是日期", "放假", ""],
    ]

    response = import_year(client_as(city_officer), 2027, xlsx(rows))

    page = response.content.decode()
    assert response.status_code == 400
    assert list(Holiday.objects.filter(date__year=2027).values_list("name", flat=True)) == ["保留"]
    assert "第3行" in page and "调休上班日应为周六或周日" in page
    assert "第4行" in page and "不在2027年" in page
    assert "第5行" in page and "与第2行重复" in page
    assert "第6行" in page and "A（日期）" in page
    assert not AuditEvent.objects.filter(verb="holiday.imported").exists()


def test_district_officer_cannot_import(client_as, jiangan_officer):
    rows = [HEADERS, ["2027-01-01", "放假", "元旦"]]

    response = import_year(client_as(jiangan_officer), 2027, xlsx(rows))

    assert response.status_code == 403
    assert not Holiday.objects.filter(date__year=2027).exists()


def test_the_template_of_a_year_lists_its_entries_and_reimports_unchanged(client_as, city_officer):
    client = client_as(city_officer)

    template = client.get(reverse("core:holiday-template"), {"year": 2025})
    upload = io.BytesIO(template.content)
    upload.name = "2025.xlsx"
    before = list(
        Holiday.objects.filter(date__year=2025).values_list("date", "is_working_day", "name")
    )
    response = import_year(client, 2025, upload)

    assert template.status_code == 200
    assert response.status_code == 302
    after = list(
        Holiday.objects.filter(date__year=2025).values_list("date", "is_working_day", "name")
    )
    assert after == before

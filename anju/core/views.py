from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import audit, holidays, selectors
from .calendar import today
from .decorators import staff_required
from .errors import DomainError, NotFound, PermissionDenied
from .forms import HolidayForm, HolidayImportForm, errors_on
from .importing import ImportRejected


@staff_required
def audit_list(request):
    params = request.GET
    try:
        filters = selectors.EventFilters(
            verb=params.get("verb", "")[:60],
            territory=params.get("territory", "")[:20],
            actor=params.get("actor", "")[:60],
            since=_date(params.get("since")),
            until=_date(params.get("until")),
            object_type=params.get("object_type", "")[:120],
        )
    except ValidationError:
        filters = selectors.EventFilters()
    events = selectors.event_list(scope=request.scope, filters=filters)
    page = Paginator(events, 50).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "verb_choices": audit.verb_choices(),
            "object_type_choices": audit.object_type_choices(
                selectors.visible_events(scope=request.scope)
            ),
        },
    )


def _date(text):
    from django.forms import DateField

    return DateField(required=False).clean(text) if text else None


@staff_required
def task_detail(request, pk):
    progress = selectors.get_task_progress(request.scope, request.user, pk)
    template = "core/_task_progress.html" if request.htmx else "core/task_detail.html"
    return render(request, template, {"task": progress})


# --- the holiday table -----------------------------------------------------------------------


def _year(text) -> int:
    try:
        year = int(text)
    except (TypeError, ValueError):
        return today().year
    return year if 2000 <= year <= 2100 else today().year


@staff_required
def holiday_list(request, *, import_form=None, problems=None, status=200):
    year = _year(request.GET.get("year") or (import_form and import_form.data.get("year")))
    entries = list(holidays.holidays_of_year(year))
    missing = holidays.years_without_entries()
    context = {
        "year": year,
        "entries": entries,
        "day_off_count": sum(not h.is_working_day for h in entries),
        "make_up_count": sum(h.is_working_day for h in entries),
        "missing_message": holidays.missing_years_message(missing) if missing else "",
        "missing_years": missing,
        "may_edit": holidays.may_edit_holidays(request.scope),
        "import_form": import_form or HolidayImportForm(initial={"year": year}),
        "problems": problems or [],
        "years": range(today().year - 2, today().year + 3),
    }
    return render(request, "core/holiday_list.html", context, status=status)


@staff_required
def holiday_edit(request, pk=None):
    holidays.require_editor(request.scope)
    holiday = holidays.get_holiday(pk) if pk else None
    form = HolidayForm(request.POST or None, instance=holiday, initial=_initial(request))
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as attempt:
            saved = holidays.save_holiday(
                actor=request.user,
                scope=request.scope,
                holiday=holiday,
                values=dict(form.cleaned_data),
            )
        if attempt.succeeded:
            return _to_year(saved.date.year)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "core/holiday_form.html", {"form": form, "holiday": holiday}, status=status
    )


def _initial(request) -> dict:
    date = request.GET.get("date", "")
    return {"date": date} if date else {}


@require_POST
@staff_required
def holiday_delete(request, pk):
    holiday = holidays.get_holiday(pk)
    holidays.delete_holiday(actor=request.user, scope=request.scope, holiday=holiday)
    return _to_year(holiday.date.year)


@require_POST
@staff_required
def holiday_import(request):
    holidays.require_editor(request.scope)
    form = HolidayImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return holiday_list(request, import_form=form, status=400)
    year, upload = form.cleaned_data["year"], form.cleaned_data["file"]
    try:
        report = holidays.import_year(
            actor=request.user, scope=request.scope, year=year, source=upload, filename=upload.name
        )
    except ImportRejected as rejected:
        form.add_error(None, rejected.message)
        return holiday_list(
            request, import_form=form, problems=[str(p) for p in rejected.problems], status=400
        )
    except DomainError as error:
        if isinstance(error, NotFound | PermissionDenied):
            raise
        form.add_error(None, error.message)
        return holiday_list(request, import_form=form, status=400)
    messages.success(
        request,
        _("已导入%(year)d年节假日 %(count)d 条。")
        % {"year": year, "count": report.counts["holidays_created"]},
    )
    return _to_year(year)


@staff_required
def holiday_template(request):
    year = _year(request.GET.get("year"))
    response = HttpResponse(
        holidays.year_template(year),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(True, f"holidays-{year}.xlsx")
    return response


def _to_year(year: int):
    return redirect(f"{reverse('core:holiday-list')}?year={year}")

"""Workbench pages of residents' problem reports (/workbench/stewardship/reports/).

The list (filters: status, category, overdue, escalated) and a report's page (its steps,
photos, and exactly the steps the viewer may take now, from `selectors.next_steps`; reassign
and mark duplicate when the rules allow), staff filing for a caller (phone, visit, 12345
hotline), the routing rules, and the handling figures by compound, property company and
district (.xlsx too). Each page fetches through the scoped selectors (another territory's
report, compound or rule answers 404); the services decide, and a refusal comes back on the
page with 400 (403 for someone who may only read it).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anju.access.models import Organisation
from anju.core import excel
from anju.core.calendar import today
from anju.core.decorators import staff_or_organisation_required, staff_required
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.forms import errors_on
from anju.engagement.photos import MAX_PHOTOS
from anju.territory import selectors as territory
from anju.territory.models import Node
from anju.territory.services import mask_phone

from .. import rules
from ..forms import (
    CallerReportForm,
    ReportAdvanceForm,
    ReportCompoundForm,
    ReportDuplicateForm,
    ReportFilterForm,
    ReportReassignForm,
    RoutingRuleForm,
)
from ..models import OPEN_STATUSES, ReportCategory, ReportStep, Status
from ..selectors import reports as selectors
from ..services import reports as services

PAGE_SIZE = 50
SUGGESTIONS_SHOWN = 5
ROUTING_NODE_KINDS = ("district", "street", "community")

# --- shared with the portal -----------------------------------------------------------------


def compound_map_data(compound) -> dict:
    """What the report form's map draws: the compound's boundary and point (no tiles)."""
    return territory.map_data_for(compound)


def point_map_data(report) -> dict | None:
    """What the report page's small read-only map draws around the report's point: the same
    compound data as the form's map, or None when no point was marked (no map then)."""
    if report.longitude is None or report.latitude is None:
        return None
    return compound_map_data(report.compound)


def _float(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if -180.0 <= number <= 180.0 else None


def place_from(params, compound):
    """(category, building, longitude, latitude) from a suggest request; what does not parse
    or does not belong to the compound is left out (a suggestion never answers 400)."""
    category = building = None
    category_id = params.get("category", "")
    if category_id.isascii() and category_id.isdigit() and len(category_id) < 10:
        category = selectors.categories().filter(pk=int(category_id)).first()
    building_id = params.get("building", "")
    if building_id.isascii() and building_id.isdigit() and len(building_id) < 19:
        building = compound.buildings.filter(pk=int(building_id)).first()
    longitude, latitude = _float(params.get("longitude")), _float(params.get("latitude"))
    if longitude is None or latitude is None:
        longitude = latitude = None
    return category, building, longitude, latitude


def suggestions_for(compound, category, building, longitude, latitude) -> list:
    if category is None:
        return []
    found = selectors.suggest_duplicates(
        compound, category, building=building, longitude=longitude, latitude=latitude
    )
    return found[:SUGGESTIONS_SHOWN]


def report_photo_response(report, photo_id: int) -> FileResponse:
    photo = report.photos.filter(pk=photo_id).first()
    if photo is None:
        raise NotFound()
    response = FileResponse(default_storage.open(photo.image.name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def first_photos(report) -> list:
    """The photos sent with the report (the later steps' photos show in the time line)."""
    return list(
        report.photos.filter(Q(step__isnull=True) | Q(step__kind=ReportStep.Kind.SUBMITTED))
    )


def mask_name(name: str) -> str:
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def reporter_of(report, scope) -> dict:
    """Who reported, as this viewer may see it (names and phones masked unless the viewer's
    role works with residents' personal data)."""
    personal = scope.may_see_personal_data
    household = ""
    if report.household_id:
        household = str(report.household) if personal else _("本小区住户")
    return {
        "household": household,
        "caller_name": report.caller_name if personal else mask_name(report.caller_name),
        "caller_phone": report.caller_phone if personal else mask_phone(report.caller_phone),
        "filed_by": report.filed_by.get_full_name() or report.filed_by.username
        if report.filed_by_id
        else "",
    }


# --- list -----------------------------------------------------------------------------------


def filtered_reports(scope, form: ReportFilterForm):
    reports = selectors.reports_for(scope)
    if not form.is_valid():
        return reports
    data = form.cleaned_data
    if data["status"] == "open":
        reports = reports.filter(status__in=OPEN_STATUSES)
    elif data["status"]:
        reports = reports.filter(status=data["status"])
    if data["category"]:
        reports = reports.filter(category=data["category"])
    if data["overdue"]:
        reports = selectors.only_overdue(reports, today())
    if data["escalated"]:
        reports = selectors.only_escalated(reports)
    if data["q"]:
        term = data["q"].strip()
        reports = reports.filter(
            Q(number__icontains=term) | Q(compound__name__icontains=term) | Q(compound__code=term)
        )
    return reports


@staff_or_organisation_required
@require_GET
def report_list(request):
    """The reports the viewer may see, newest first, filtered."""
    form = ReportFilterForm(request.GET or None)
    reports = filtered_reports(request.scope, form)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "today": today(),
        "query": query.urlencode(),
        "may_file": request.scope.is_staff and request.scope.has_role(*rules.KEEPERS),
        "may_see_routing": request.scope.is_staff and bool(request.scope.node_paths),
        "may_see_metrics": rules.may_see_report_metrics(request.scope),
        "may_manage_categories": rules.may_manage_report_categories(request.scope),
    }
    return render(request, "stewardship/report_list.html", context)


# --- one report -----------------------------------------------------------------------------


def _organisations():
    return Organisation.objects.filter(
        kind__in=[
            Organisation.Kind.PROPERTY,
            Organisation.Kind.UTILITY,
            Organisation.Kind.GOVERNMENT,
        ]
    ).order_by("kind", "name")


def render_report(
    request, report, *, advance_form=None, reassign_form=None, duplicate_form=None, status=200
):
    scope = request.scope
    allowed = selectors.next_steps(report, scope)
    steps = list(selectors.steps_for(report))
    context = {
        "report": report,
        "steps": steps,
        "photos": first_photos(report),
        "reporter": reporter_of(report, scope),
        "next_steps": [(value, Status(value).label) for value in allowed],
        "allowed": set(allowed),
        "advance_form": advance_form or ReportAdvanceForm(),
        "may_reassign": rules.may_reassign_report(scope, report),
        "reassign_form": reassign_form
        or ReportReassignForm(organisations=_organisations(), initial={"handler": report.handler}),
        "may_mark_duplicate": rules.may_mark_duplicate(scope, report)
        and report.is_open
        and report.duplicate_of_id is None,
        "duplicate_form": duplicate_form or ReportDuplicateForm(),
        "duplicates": list(report.duplicates.all()),
        "is_overdue": report.is_overdue(today()),
        "max_photos": MAX_PHOTOS,
        "point_map": point_map_data(report),
    }
    return render(request, "stewardship/report_detail.html", context, status=status)


@staff_or_organisation_required
@require_GET
def report_detail(request, pk: int):
    report = selectors.get_report(request.scope, pk)
    return render_report(request, report)


def _refused_here(form, error: PermissionDenied) -> None:
    """A who-may refusal on an action the page offered (another viewer may have acted
    meanwhile): shown on the form, answered 403."""
    form.add_error(None, str(error.message))


@staff_or_organisation_required
@require_POST
def report_advance(request, pk: int):
    """One step: accept, start, resolve (with a note, photos optional), confirm for a caller,
    reopen with a reason."""
    report = selectors.get_report(request.scope, pk)
    form = ReportAdvanceForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            with errors_on(form) as attempt:
                services.advance_report(
                    actor=request.user,
                    scope=request.scope,
                    report=report,
                    to_status=data["to_status"],
                    note=data["note"],
                    photos=data["photos"],
                    rating=data["rating"],
                    rating_comment=data["rating_comment"],
                )
        except PermissionDenied as error:
            _refused_here(form, error)
            status = 403
        else:
            if attempt.succeeded:
                report.refresh_from_db()
                messages.success(
                    request,
                    _("报告 %(number)s 已更新为“%(status)s”。")
                    % {"number": report.number, "status": report.get_status_display()},
                )
                return redirect("stewardship:report-detail", pk=report.pk)
    return render_report(request, report, advance_form=form, status=status)


@staff_or_organisation_required
@require_POST
def report_reassign(request, pk: int):
    report = selectors.get_report(request.scope, pk)
    form = ReportReassignForm(request.POST, organisations=_organisations())
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            with errors_on(form) as attempt:
                services.reassign_report(
                    actor=request.user,
                    scope=request.scope,
                    report=report,
                    handler=data["handler"],
                    organisation=data["organisation"],
                    note=data["note"],
                )
        except PermissionDenied as error:
            _refused_here(form, error)
            status = 403
        else:
            if attempt.succeeded:
                messages.success(request, _("已改派。"))
                return redirect("stewardship:report-detail", pk=report.pk)
    return render_report(request, report, reassign_form=form, status=status)


@staff_or_organisation_required
@require_POST
def report_duplicate(request, pk: int):
    """Mark the report as a duplicate of another report of the same compound (by number)."""
    report = selectors.get_report(request.scope, pk)
    form = ReportDuplicateForm(request.POST)
    status = 400
    if form.is_valid():
        number = form.cleaned_data["of"].strip()
        original = selectors.reports_for(request.scope).filter(number=number).first()
        if original is None:
            form.add_error("of", _("找不到编号为 %(number)s 的报告。") % {"number": number})
        else:
            try:
                with errors_on(form) as attempt:
                    services.mark_duplicate(
                        actor=request.user, scope=request.scope, report=report, of=original
                    )
            except PermissionDenied as error:
                _refused_here(form, error)
                status = 403
            else:
                if attempt.succeeded:
                    messages.success(
                        request,
                        _("已标记为 %(number)s 的重复报告。") % {"number": original.number},
                    )
                    return redirect("stewardship:report-detail", pk=report.pk)
    return render_report(request, report, duplicate_form=form, status=status)


@staff_or_organisation_required
@require_GET
def report_photo(request, pk: int, photo_id: int):
    """A report's photo, served only to staff who may see the report."""
    return report_photo_response(selectors.get_report(request.scope, pk), photo_id)


# --- filing for a caller --------------------------------------------------------------------


def _caller_form(compound, data=None, files=None) -> CallerReportForm:
    return CallerReportForm(data, files, buildings=territory.buildings_of(compound))


@staff_required
@require_http_methods(["GET", "POST"])
def report_file(request):
    """代为登记: staff record a report for a caller. First the compound (by code, looked up in
    the viewer's territory), then the report."""
    code = request.GET.get("compound", "").strip()
    if not code:
        compounds = territory.compound_list(scope=request.scope)[:500]
        return render(
            request,
            "stewardship/report_file.html",
            {"compound_form": ReportCompoundForm(), "compounds": compounds},
        )
    compound = territory.get_compound(request.scope, code)
    posted = request.method == "POST"
    form = _caller_form(compound, *((request.POST, request.FILES) if posted else ()))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            with errors_on(form) as attempt:
                report = services.file_report(
                    actor=request.user,
                    scope=request.scope,
                    compound=compound,
                    category=data["category"],
                    description=data["description"],
                    channel=data["channel"],
                    photos=data["photos"],
                    building=data["building"],
                    longitude=data["longitude"],
                    latitude=data["latitude"],
                    caller_name=data["caller_name"],
                    caller_phone=data["caller_phone"],
                )
            if attempt.succeeded:
                messages.success(
                    request, _("已登记，编号 %(number)s。") % {"number": report.number}
                )
                return redirect("stewardship:report-detail", pk=report.pk)
    context = {
        "compound": compound,
        "form": form,
        "may_file": rules.may_file_for_caller(request.scope, compound),
        "max_photos": MAX_PHOTOS,
        "map_data": compound_map_data(compound),
    }
    return render(request, "stewardship/report_file.html", context, status=status)


@staff_required
@require_GET
def report_suggest(request):
    """Possible duplicates while staff fill the caller's report (htmx)."""
    compound = territory.get_compound(request.scope, request.GET.get("compound", "").strip())
    category, building, longitude, latitude = place_from(request.GET, compound)
    reports = suggestions_for(compound, category, building, longitude, latitude)
    return render(
        request, "stewardship/report_suggestions.html", {"reports": reports, "category": category}
    )


# --- the compound hub's panel ---------------------------------------------------------------


@staff_or_organisation_required
@require_GET
def compound_reports_panel(request, code: str):
    """Counts and the latest reports of one compound (loaded into the stewardship compound
    page through `_reports_panel.html`)."""
    compound = territory.get_compound(request.scope, code)
    reports = selectors.reports_for(request.scope).filter(compound=compound)
    day = today()
    counts = {
        "total": reports.count(),
        "open": reports.filter(status__in=OPEN_STATUSES).count(),
        "overdue": selectors.only_overdue(reports, day).count(),
        "escalated": selectors.only_escalated(reports).count(),
    }
    context = {
        "compound": compound,
        "counts": counts,
        "latest": list(reports[:5]),
        "today": day,
        "may_file": rules.may_file_for_caller(request.scope, compound),
    }
    return render(request, "stewardship/report_compound_panel.html", context)


# --- routing rules --------------------------------------------------------------------------


def _routing_nodes(scope):
    prefixes = Q(pk__in=[])
    for prefix in scope.node_paths:
        prefixes |= Q(path__startswith=prefix)
    return Node.objects.valid_on().filter(prefixes, kind__in=ROUTING_NODE_KINDS).order_by("path")


def _routing_form(scope, data=None) -> RoutingRuleForm:
    return RoutingRuleForm(data, nodes=_routing_nodes(scope), organisations=_organisations())


def render_routing(request, *, form=None, status=200):
    scope = request.scope
    rules_ = list(selectors.routing_rules(scope))
    may_manage_city = rules.may_manage_routing_rule(scope, None)
    may_manage_some = may_manage_city or scope.has_role(rules.DISTRICT_TASK_FORCE)
    rows = [(rule, rules.may_manage_routing_rule(scope, rule.node)) for rule in rules_]
    context = {
        "rows": rows,
        "form": form or (_routing_form(scope) if may_manage_some else None),
        "categories": ReportCategory.objects.all(),
    }
    return render(request, "stewardship/report_routing.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def routing_rules(request):
    """The routing rules (city-wide and in the viewer's territory); POST adds or replaces one."""
    if not request.scope.node_paths:
        raise NotFound()
    if request.method == "GET":
        return render_routing(request)
    form = _routing_form(request.scope, request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            with errors_on(form) as attempt:
                services.save_routing_rule(
                    actor=request.user,
                    scope=request.scope,
                    category=data["category"],
                    node=data["node"],
                    handler=data["handler"],
                    organisation=data["organisation"],
                )
        except PermissionDenied as error:
            _refused_here(form, error)
            status = 403
        else:
            if attempt.succeeded:
                messages.success(request, _("已保存分派规则。"))
                return redirect("stewardship:routing-rules")
    return render_routing(request, form=form, status=status)


@staff_required
@require_POST
def routing_rule_delete(request, pk: int):
    rule = selectors.get_routing_rule(request.scope, pk)
    try:
        services.delete_routing_rule(actor=request.user, scope=request.scope, rule=rule)
    except NotFound:
        raise
    except PermissionDenied as error:
        messages.error(request, error.message)
        return render_routing(request, status=403)
    except DomainError as error:
        messages.error(request, error.message)
        return render_routing(request, status=error.status)
    messages.success(request, _("已删除分派规则。"))
    return redirect("stewardship:routing-rules")


# --- figures --------------------------------------------------------------------------------

GROUPINGS = {
    "compound": gettext_lazy("按小区"),
    "company": gettext_lazy("按物业企业"),
    "district": gettext_lazy("按区"),
}


def _grouping(request) -> str:
    by = request.GET.get("by", "compound")
    return by if by in selectors.METRIC_GROUPINGS else "compound"


def _metrics_allowed(request):
    if not rules.may_see_report_metrics(request.scope):
        raise NotFound()


@staff_required
@require_GET
def report_metrics(request):
    """Reports, open, overdue, resolved, working days to resolve, reopen rate and the residents'
    rating, by compound, property company or district (the viewer's reports only)."""
    _metrics_allowed(request)
    by = _grouping(request)
    rows = selectors.report_metrics(request.scope, by)
    context = {"rows": rows, "by": by, "groupings": list(GROUPINGS.items())}
    return render(request, "stewardship/report_metrics.html", context)


def metrics_columns(by: str) -> list[excel.TableColumn]:
    first = {"compound": _("小区"), "company": _("物业企业"), "district": _("区")}[by]
    return [
        excel.TableColumn(_("编码"), 16, is_text=True),
        excel.TableColumn(first, 28),
        excel.TableColumn(_("报告数"), 10),
        excel.TableColumn(_("未办结"), 10),
        excel.TableColumn(_("已超期"), 10),
        excel.TableColumn(_("已办结"), 10),
        excel.TableColumn(_("办结用时中位数(工作日)"), 14),
        excel.TableColumn(_("平均办结用时(工作日)"), 14),
        excel.TableColumn(_("重新打开率"), 12),
        excel.TableColumn(_("平均满意度"), 12),
        excel.TableColumn(_("评价数"), 10),
    ]


def metrics_xlsx(rows, by: str) -> bytes:
    def build(book):
        formats = excel.Formats(book)
        values = (
            (
                row.key if by != "company" else "",
                row.label,
                row.reports,
                row.open,
                row.overdue,
                row.resolved,
                row.median_days_to_resolve,
                row.mean_days_to_resolve,
                row.reopen_rate,
                row.mean_rating,
                row.ratings,
            )
            for row in rows
        )
        excel.write_table(book, _("问题报告办理情况"), metrics_columns(by), values, formats=formats)

    return excel.workbook_bytes(build)


@staff_required
@require_GET
def report_metrics_export(request):
    _metrics_allowed(request)
    by = _grouping(request)
    data = metrics_xlsx(selectors.report_metrics(request.scope, by), by)
    filename = _("问题报告办理情况-%(day)s.xlsx") % {"day": today().isoformat()}
    return HttpResponse(
        data,
        content_type=excel.XLSX_CONTENT_TYPE,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )

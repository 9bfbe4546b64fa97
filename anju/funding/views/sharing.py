"""Cost sharing in the workbench: a project's shares per approved item (how each is shared,
with a form per item), the recomputation, the contribution sheets (PDF, .xlsx) per unit or
for the whole project, and the city's floor-coefficient tables. Every project is fetched
through the scoped selector (404 outside the viewer's territory); refusals come back on the
page with the form (400)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anju.access.models import Organisation
from anju.core.decorators import staff_required
from anju.core.errors import DomainError, NotFound
from anju.core.excel import Formats, TableColumn, workbook_bytes, write_table
from anju.core.forms import add_domain_error, errors_on
from anju.core.money import format_yuan
from anju.core.params import optional_id
from anju.territory.models import Building

from .. import rules
from ..forms import SharingTableForm, SharingTermsForm
from ..models import CostShare
from ..selectors import projects as project_selectors
from ..selectors import sharing as selectors
from ..services import sharing as services

PAGE = "funding:sharing"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def terms_form(item, share=None, data=None) -> SharingTermsForm:
    initial = {}
    if share is not None:
        initial = {
            "utility_owner": share.utility_owner_id,
            "residents_share": share.residents_share,
            "residents_amount": share.residents_amount,
            "method": share.method,
            "table": share.table_id,
            "buildings": [b.pk for b in share.buildings.all()],
        }
    return SharingTermsForm(
        data,
        initial=initial,
        utilities=Organisation.objects.filter(kind=Organisation.Kind.UTILITY).order_by("name"),
        tables=selectors.active_tables(),
        buildings=Building.objects.filter(compound_id=item.compound_id).order_by("number"),
        methods=CostShare.Method.choices,
        prefix=f"item{item.pk}",
    )


def _may_see(scope, project) -> bool:
    return rules.may_see_cost_shares(scope, project.path or project.district.path)


def sharing_context(request, project, *, bad_item=None, bad_form=None, error="") -> dict:
    scope = request.scope
    may_share = project_selectors.is_fundable(project) and rules.may_share_costs(
        scope, project.path or project.district.path
    )
    shares = {share.plan_item_id: share for share in selectors.shares_of(project)}
    rows = []
    for item in selectors.approved_items(project):
        share = shares.get(item.pk)
        form = None
        if may_share:
            form = bad_form if bad_item == item.pk else terms_form(item, share)
        rows.append({"item": item, "share": share, "form": form})
    return {
        "project": project,
        "scope": scope,
        "rows": rows,
        "may_share": may_share,
        "units": list(selectors.units_of(project)),
        "error": error,
        "has_version": project_selectors.approved_version(project) is not None,
    }


def _get_project(request, pk):
    project = selectors.get_project(request.scope, pk)
    if not _may_see(request.scope, project):
        raise NotFound()
    return project


@staff_required
@require_GET
def sharing_page(request, pk):
    project = _get_project(request, pk)
    return render(request, "funding/sharing_project.html", sharing_context(request, project))


@staff_required
@require_POST
def sharing_compute(request, pk):
    project = _get_project(request, pk)
    try:
        shares = services.compute_cost_shares(
            actor=request.user, scope=request.scope, project=project
        )
    except DomainError as error:
        if error.status in (403, 404):
            raise
        return render(
            request,
            "funding/sharing_project.html",
            sharing_context(request, project, error=error.message),
            status=error.status,
        )
    messages.success(request, _("已重新计算%(count)s个条目的费用分摊。") % {"count": len(shares)})
    return redirect(PAGE, pk=project.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def sharing_item(request, pk, item_id):
    """GET: the item's household lines; POST: save how it is shared and recompute."""
    item = selectors.get_plan_item(request.scope, pk, item_id)
    project = item.version.project
    if not _may_see(request.scope, project):
        raise NotFound()
    share = CostShare.objects.filter(plan_item=item).first()
    if request.method == "GET":
        return render(
            request,
            "funding/sharing_item.html",
            {
                "project": project,
                "item": item,
                "share": share,
                "lines": list(selectors.contributions_of(share)) if share else [],
                "weight_total": selectors.weight_total(share) if share else None,
                "may_see_names": request.scope.may_see_personal_data,
            },
        )
    form = terms_form(item, share, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        terms = services.ShareTerms(
            utility_owner=data["utility_owner"],
            method=data["method"],
            residents_share=data["residents_share"],
            residents_amount=data["residents_amount"],
            table=data["table"],
            buildings=list(data["buildings"]),
        )
        with errors_on(form) as attempt:
            share = services.set_cost_share(
                actor=request.user, scope=request.scope, plan_item=item, terms=terms
            )
        if attempt.succeeded:
            messages.success(
                request,
                _("已计算“%(item)s”的费用分摊：居民分摊%(amount)s，%(count)s户。")
                % {
                    "item": item.item,
                    "amount": format_yuan(share.residents_part),
                    "count": share.contributions.count(),
                },
            )
            return redirect(PAGE, pk=project.pk)
    return render(
        request,
        "funding/sharing_project.html",
        sharing_context(request, project, bad_item=item.pk, bad_form=form),
        status=400,
    )


# --- contribution sheets --------------------------------------------------------------------


def _sheet(request, pk):
    project = _get_project(request, pk)
    unit_id = optional_id(request.GET.get("unit"), name="unit")
    unit = selectors.get_unit(project, unit_id) if unit_id else None
    return project, unit, selectors.sheet(project, unit)


def _filename(project, unit, extension: str) -> str:
    suffix = f"-unit{unit.pk}" if unit else ""
    return f"contributions-{project.code}{suffix}.{extension}"


@staff_required
@require_GET
def sheet_pdf(request, pk):
    from ..pdf import contribution_sheet_pdf

    project, unit, sheet = _sheet(request, pk)
    return HttpResponse(
        contribution_sheet_pdf(sheet),
        content_type="application/pdf",
        headers={
            "Content-Disposition": content_disposition_header(
                False, _filename(project, unit, "pdf")
            )
        },
    )


@staff_required
@require_GET
def sheet_xlsx(request, pk):
    project, unit, sheet = _sheet(request, pk)

    def build(book):
        write_table(
            book,
            _("分户分摊明细"),
            [
                TableColumn(_("小区"), 18, is_text=True),
                TableColumn(_("楼栋"), 10, is_text=True),
                TableColumn(_("单元"), 10, is_text=True),
                TableColumn(_("房号"), 10, is_text=True),
                TableColumn(_("楼层"), 6),
                TableColumn(_("专有面积(m²)"), 12),
                TableColumn(_("改造内容"), 24),
                TableColumn(_("分摊方式"), 14),
                TableColumn(_("楼层系数"), 10),
                TableColumn(_("分摊权重"), 14),
                TableColumn(_("分摊金额(元)"), 14),
                TableColumn(_("尾差进位"), 8),
            ],
            (
                [
                    entry.household.unit.building.compound.name,
                    entry.household.unit.building.number,
                    entry.household.unit.number,
                    entry.household.room,
                    line.contribution.floor,
                    line.contribution.area,
                    str(line.share.plan_item.item),
                    line.share.get_method_display() or _("按专有面积"),
                    line.contribution.coefficient,
                    line.contribution.weight,
                    line.contribution.amount,
                    _("是") if line.contribution.rounded_up else "",
                ]
                for entry in sheet.households
                for line in entry.lines
            ),
            formats=Formats(book),
        )

    return HttpResponse(
        workbook_bytes(build),
        content_type=XLSX,
        headers={
            "Content-Disposition": content_disposition_header(
                True, _filename(project, unit, "xlsx")
            )
        },
    )


# --- coefficient tables (city-wide data) ----------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def table_list(request):
    may_manage = rules.may_manage_coefficient_tables(request.scope)
    form = SharingTableForm(request.POST or None) if may_manage else None
    status = 200
    if request.method == "POST":
        if not may_manage:
            from anju.core.errors import PermissionDenied

            raise PermissionDenied(_("只有市改造办可以维护楼层系数表。"))
        if form.is_valid():
            data = form.cleaned_data
            try:
                rows = services.parse_coefficient_rows(data["rows"])
            except DomainError as error:
                add_domain_error(form, error)
            else:
                with errors_on(form) as attempt:
                    table = services.create_coefficient_table(
                        actor=request.user,
                        scope=request.scope,
                        code=data["code"],
                        name=data["name"],
                        note=data["note"],
                        multiply_by_area=data["multiply_by_area"],
                        rows=rows,
                    )
                if attempt.succeeded:
                    messages.success(
                        request, _("已新建楼层系数表“%(name)s”。") % {"name": table.name}
                    )
                    return redirect("funding:sharing-tables")
        status = 400
    return render(
        request,
        "funding/sharing_tables.html",
        {"tables": selectors.coefficient_tables(), "form": form, "may_manage": may_manage},
        status=status,
    )


@staff_required
@require_POST
def table_deactivate(request, pk):
    table = selectors.get_table(pk)
    try:
        services.deactivate_coefficient_table(actor=request.user, scope=request.scope, table=table)
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("已停用楼层系数表“%(name)s”。") % {"name": table.name})
    return redirect("funding:sharing-tables")

"""Workbench pages of coverage: the stewardship index (the viewer's coverage at a glance and
the way to the other chapters), the coverage report with the compounds still uncovered and its
.xlsx export, and a compound's coverage page (contracts, governance profile and owners'
committee, party members and their service hours) with the forms that change them.

Compounds are fetched through the territory's scoped accessor (404 outside the viewer's
territory); the services decide who may change what, and a refusal comes back on the page
with 400 (403 for a viewer who may only read).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anju.core.calendar import today
from anju.core.decorators import staff_required
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.excel import XLSX_CONTENT_TYPE, Formats, TableColumn, workbook_bytes, write_table
from anju.core.forms import errors_on
from anju.territory.models import Compound
from anju.territory.selectors import compound_list, get_compound

from .. import forms, rules
from ..selectors import coverage as selectors
from ..services import coverage as services


def _url_if(name: str, *args) -> str | None:
    """Other chapters' pages, linked only once they exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _may(predicate: str, scope) -> bool:
    """Another chapter's predicate, when it has declared it."""
    rule = getattr(rules, predicate, None)
    return bool(rule and rule(scope))


def _lacking_choices():
    return [
        ("", _("全部未覆盖")),
        ("property", _("缺物业服务")),
        ("owners_committee", _("缺业委会")),
        ("party", _("缺党组织")),
    ]


def _level_choices():
    return [("district", _("按区")), ("street", _("按街道")), ("community", _("按社区"))]


@staff_required
@require_GET
def index(request):
    """长效管理: the viewer's coverage overview, and links to schemes and reports."""
    scope = request.scope
    if not rules.may_see_stewardship(scope):
        raise NotFound()
    report = None
    if rules.may_see_coverage_report(scope):
        report = selectors.coverage_report(scope, over_time=False)
    served = []
    if not scope.node_paths and scope.compound_ids:
        served = list(compound_list(scope=scope).order_by("path"))
    context = {
        "report": report,
        "served": served,
        "links": [
            (label, url)
            for label, url, may_use in (
                (_("小区长效管理"), _url_if("stewardship:compound-list"), True),
                (_("管护经费"), _url_if("stewardship:upkeep"), _may("may_see_upkeep", scope)),
                (_("逾期事项"), _url_if("stewardship:task-overdue"), bool(scope.node_paths)),
                (_("居民报事"), _url_if("stewardship:report-list"), _may("may_see_reports", scope)),
                (
                    _("报事统计"),
                    _url_if("stewardship:report-metrics"),
                    _may("may_see_report_metrics", scope),
                ),
                (_("报事分派规则"), _url_if("stewardship:routing-rules"), bool(scope.node_paths)),
            )
            if url and may_use
        ],
    }
    return render(request, "stewardship/index.html", context)


def _report_context(request):
    scope = request.scope
    if not rules.may_see_coverage_report(scope):
        raise PermissionDenied(_("只有市、区、街道和社区工作人员可以查看覆盖情况。"))
    level = request.GET.get("by", "")
    lacking = request.GET.get("lacking", "")
    if lacking not in {value for value, _label in _lacking_choices()}:
        lacking = ""
    report = selectors.coverage_report(scope, level=level if level in selectors.LEVELS else None)
    uncovered = selectors.uncovered_compounds(scope, lacking=lacking)
    return report, uncovered, lacking


@staff_required
@require_GET
def coverage_report(request):
    """Coverage by district (street, community), change over time and the uncovered list."""
    report, uncovered, lacking = _report_context(request)
    level_depth = selectors.LEVELS[report.level]
    names = selectors.node_names(uncovered, level_depth)
    context = {
        "report": report,
        "uncovered": [
            (row, selectors.group_name(names, row.path, level_depth)) for row in uncovered[:500]
        ],
        "uncovered_count": len(uncovered),
        "lacking": lacking,
        "lacking_choices": _lacking_choices(),
        "level_choices": _level_choices(),
        "edit_url": "stewardship:coverage-compound",
    }
    return render(request, "stewardship/coverage_report.html", context)


@staff_required
@require_GET
def coverage_export(request):
    report, uncovered, _lacking = _report_context(request)
    data = coverage_xlsx(report, uncovered)
    filename = _("物业和党组织覆盖情况-%(day)s.xlsx") % {"day": today().isoformat()}
    return HttpResponse(
        data,
        content_type=XLSX_CONTENT_TYPE,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


def coverage_xlsx(report, uncovered) -> bytes:
    """The report as .xlsx: the groups with counts and shares, the change over time, and the
    uncovered compounds with what each lacks."""
    level_depth = selectors.LEVELS[report.level]
    names = selectors.node_names(uncovered, level_depth)
    level_label = dict(_level_choices())[report.level]
    share_columns = [
        TableColumn(_("小区数"), 10),
        TableColumn(_("有物业服务"), 12),
        TableColumn(_("物业服务覆盖率(%)"), 16),
        TableColumn(_("有业委会"), 10),
        TableColumn(_("业委会覆盖率(%)"), 16),
        TableColumn(_("有党组织"), 10),
        TableColumn(_("党组织覆盖率(%)"), 16),
    ]

    def figures(row):
        return [
            row.compounds,
            row.with_property,
            row.property_share,
            row.with_owners_committee,
            row.owners_committee_share,
            row.with_party,
            row.party_share,
        ]

    def build(book):
        formats = Formats(book)
        rows = [[row.code, row.name, *figures(row)] for row in report.rows]
        rows.append(["", _("合计"), *figures(report.total)])
        columns = [TableColumn(_("编码"), 16, is_text=True), TableColumn(level_label, 18)]
        write_table(book, _("覆盖率"), columns + share_columns, rows, formats=formats)
        write_table(
            book,
            _("变化趋势"),
            [TableColumn(_("日期"), 12), *share_columns],
            [[point.day, *figures(point.total)] for point in report.over_time],
            formats=formats,
        )
        yes, no = _("缺"), ""
        write_table(
            book,
            _("未覆盖小区"),
            [
                TableColumn(_("小区编码"), 18, is_text=True),
                TableColumn(_("小区"), 22),
                TableColumn(level_label, 16),
                TableColumn(_("管理状态"), 12),
                TableColumn(_("物业服务"), 10),
                TableColumn(_("业委会"), 10),
                TableColumn(_("党组织"), 10),
            ],
            (
                [
                    row.code,
                    row.name,
                    selectors.group_name(names, row.path, level_depth),
                    row.get_management_status_display(),
                    yes if row.lacks_property else no,
                    yes if row.lacks_owners_committee else no,
                    yes if row.lacks_party else no,
                ]
                for row in uncovered
            ),
            formats=formats,
        )

    return workbook_bytes(build)


# --- one compound -------------------------------------------------------------------------


def _compound_context(request, compound: Compound, **bound_forms):
    scope = request.scope
    may_edit = rules.may_edit_coverage(scope, compound)
    profile = selectors.profile_of(compound)
    context = {
        "compound": compound,
        "may_edit": may_edit,
        "contracts": list(selectors.contracts_of(compound)),
        "current_contract": selectors.current_contract(compound),
        "profile": profile,
        "members": list(selectors.committee_members_of(compound)),
        "party_members": selectors.party_members_of(scope, compound),
        "recent_services": list(selectors.recent_services(compound)),
        "today": today(),
        "hub_url": _url_if("stewardship:compound", compound.code),
    }
    if may_edit:
        initial_profile = {}
        if profile is not None:
            initial_profile = {name: getattr(profile, name) for name in services.PROFILE_FIELDS}
        initial_profile["party_organisation"] = compound.party_organisation
        context.update(
            contract_form=bound_forms.get("contract_form")
            or forms.PropertyContractForm(companies=selectors.property_companies()),
            end_form=bound_forms.get("end_form") or forms.ContractEndForm(),
            status_form=bound_forms.get("status_form")
            or forms.ManagementStatusForm(initial={"status": compound.management_status}),
            profile_form=bound_forms.get("profile_form")
            or forms.GovernanceProfileForm(initial=initial_profile),
            member_form=bound_forms.get("member_form") or forms.CommitteeMemberForm(),
            party_member_form=bound_forms.get("party_member_form") or forms.PartyMemberForm(),
            leave_form=bound_forms.get("leave_form") or forms.PartyMemberLeaveForm(),
            service_form=bound_forms.get("service_form") or forms.ServiceRecordForm(),
        )
    return context


def _render_compound(request, compound, *, status=200, **bound_forms):
    context = _compound_context(request, compound, **bound_forms)
    return render(request, "stewardship/coverage_compound.html", context, status=status)


@staff_required
@require_GET
def compound_coverage(request, code):
    compound = get_compound(request.scope, code)
    return _render_compound(request, compound)


def _back(compound):
    return redirect("stewardship:coverage-compound", code=compound.code)


def _submit(request, compound, *, form, form_name, service, success):
    """Validate the form's shape, run the service, and come back to the compound's page."""
    services.check_may_edit(request.scope, compound)
    if form.is_valid():
        with errors_on(form) as attempt:
            service(form.cleaned_data)
        if attempt.succeeded:
            messages.success(request, success)
            return _back(compound)
    return _render_compound(request, compound, status=400, **{form_name: form})


@staff_required
@require_POST
def contract_add(request, code):
    compound = get_compound(request.scope, code)
    form = forms.PropertyContractForm(request.POST, companies=selectors.property_companies())
    return _submit(
        request,
        compound,
        form=form,
        form_name="contract_form",
        service=lambda data: services.record_property_contract(
            actor=request.user,
            scope=request.scope,
            compound=compound,
            company=data["company"],
            service_kind=data["service_kind"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            monthly_fee_per_m2=data["monthly_fee_per_m2"],
            note=data["note"],
        ),
        success=_("已登记物业服务合同。"),
    )


@staff_required
@require_POST
def contract_end(request, pk):
    contract = selectors.get_contract(request.scope, pk)
    form = forms.ContractEndForm(request.POST)
    return _submit(
        request,
        contract.compound,
        form=form,
        form_name="end_form",
        service=lambda data: services.end_property_contract(
            actor=request.user,
            scope=request.scope,
            contract=contract,
            ended_on=data["ended_on"],
            note=data["note"],
        ),
        success=_("已终止物业服务合同。"),
    )


@staff_required
@require_POST
def management_status(request, code):
    compound = get_compound(request.scope, code)
    return _submit(
        request,
        compound,
        form=forms.ManagementStatusForm(request.POST),
        form_name="status_form",
        service=lambda data: services.set_management_status(
            actor=request.user, scope=request.scope, compound=compound, status=data["status"]
        ),
        success=_("已更新管理状态。"),
    )


@staff_required
@require_POST
def governance_profile(request, code):
    compound = get_compound(request.scope, code)
    return _submit(
        request,
        compound,
        form=forms.GovernanceProfileForm(request.POST),
        form_name="profile_form",
        service=lambda data: services.save_governance_profile(
            actor=request.user, scope=request.scope, compound=compound, **data
        ),
        success=_("已保存小区治理信息。"),
    )


@staff_required
@require_POST
def member_add(request, code):
    compound = get_compound(request.scope, code)
    return _submit(
        request,
        compound,
        form=forms.CommitteeMemberForm(request.POST),
        form_name="member_form",
        service=lambda data: services.add_committee_member(
            actor=request.user,
            scope=request.scope,
            compound=compound,
            name=data["name"],
            position=data["position"],
        ),
        success=_("已登记业委会成员。"),
    )


@staff_required
@require_POST
def member_remove(request, pk):
    member = selectors.get_committee_member(request.scope, pk)
    compound = member.profile.compound
    try:
        services.remove_committee_member(actor=request.user, scope=request.scope, member=member)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as error:
        messages.error(request, error.message)
        return _render_compound(request, compound, status=400)
    messages.success(request, _("已移除业委会成员。"))
    return _back(compound)


@staff_required
@require_POST
def party_member_add(request, code):
    compound = get_compound(request.scope, code)
    return _submit(
        request,
        compound,
        form=forms.PartyMemberForm(request.POST),
        form_name="party_member_form",
        service=lambda data: services.register_party_member(
            actor=request.user, scope=request.scope, compound=compound, **data
        ),
        success=_("已登记下沉党员。"),
    )


@staff_required
@require_POST
def party_member_leave(request, pk):
    member = selectors.get_party_member(request.scope, pk)
    return _submit(
        request,
        member.compound,
        form=forms.PartyMemberLeaveForm(request.POST),
        form_name="leave_form",
        service=lambda data: services.record_party_member_leaving(
            actor=request.user, scope=request.scope, member=member, left_on=data["left_on"]
        ),
        success=_("已登记党员离开。"),
    )


@staff_required
@require_POST
def service_add(request, pk):
    member = selectors.get_party_member(request.scope, pk)
    return _submit(
        request,
        member.compound,
        form=forms.ServiceRecordForm(request.POST),
        form_name="service_form",
        service=lambda data: services.record_service(
            actor=request.user, scope=request.scope, member=member, **data
        ),
        success=_("已登记服务记录。"),
    )

"""Workbench pages of contiguous renovation (连片改造): the proposals of a district or street
on a map and in a table, the form that runs a proposal, one proposal's page, and the
decisions (accept, reject, split, merge).

Every page fetches through `packages` accessors, so another territory's proposal or node
answers 404. A decision's refusal (not contiguous, already decided, planning refused) comes
back as a message on the page the button was pressed on.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anju.core.audit import events_for
from anju.core.decorators import staff_required
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.forms import errors_on
from anju.territory.models import Compound

from .. import packages
from ..forms import AcceptForm, MergeForm, ProposeForm, RejectForm, SplitForm
from ..models import PackageLevel, ProposalStatus

PAGE_SIZE = 50
SINGLES_SHOWN = 300


def may_decide(request) -> bool:
    return request.scope.has_role(*packages.PACKAGING_ROLES)


def member_names():
    return Prefetch("compounds", queryset=Compound.objects.only("pk", "code", "name", "path"))


def list_context(request, node, form) -> dict:
    scope = request.scope
    proposals = packages.proposal_list(scope=scope, node=node)
    groups = proposals.exclude(level=PackageLevel.SINGLE).prefetch_related(member_names())
    page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    singles = proposals.filter(level=PackageLevel.SINGLE)
    shown_singles = list(singles.prefetch_related(member_names())[:SINGLES_SHOWN])
    rows = [*page, *shown_singles]
    choices = packages.merge_choices(proposals)
    names = packages.node_names(row.group_path for row in rows)
    approvals = packages.plan_approvals()
    for row in rows:
        row.group_name = names.get(row.group_path, "")
        row.partners = choices.get(row.key, [])
        row.suggested_name = packages.suggested_name([c.name for c in row.compounds.all()])
        row.stale_since = packages.approved_since(row, approvals)
        row.consequences = packages.acceptance_consequences(row, len(row.compounds.all()))
    return {
        "node": node,
        "nodes": form.fields["node"].widget.choices,
        "form": form,
        "page": page,
        "singles": shown_singles,
        "single_total": singles.count(),
        "map_data": packages.map_data(packages.proposal_list(scope=scope, node=node)),
        "may_decide": may_decide(request),
    }


def propose_form(request, node, data=None) -> ProposeForm:
    nodes = list(packages.picker_nodes(scope=request.scope))
    if node not in nodes:
        nodes.append(node)
    initial = {"node": node.code}
    return ProposeForm(data, initial=initial, nodes=sorted(nodes, key=lambda n: n.path))


@staff_required
@require_GET
def package_list(request):
    """The proposals under a district or street (the viewer's first one by default)."""
    code = request.GET.get("node")
    if code:
        node = packages.get_packaging_node(request.scope, code)
    else:
        node = packages.default_node(request.scope)
        if node is None:
            raise NotFound()
    context = list_context(request, node, propose_form(request, node))
    return render(request, "coordination/packages_list.html", context)


@staff_required
@require_POST
def package_propose(request):
    """Run a proposal for the node named in the form (404 outside the territory)."""
    node = packages.get_packaging_node(request.scope, request.POST.get("node", ""))
    packages.require_role(request.scope)
    form = propose_form(request, node, request.POST)
    if form.is_valid():
        options = {name: value for name, value in form.cleaned_data.items() if name != "node"}
        with errors_on(form) as attempt:
            run = packages.propose_packages(
                actor=request.user, scope=request.scope, node=node, **options
            )
        if attempt.succeeded:
            messages.success(
                request,
                _(
                    "已生成%(total)s条建议，其中%(grouped)s条为两个及以上小区连片；"
                    "替换了%(replaced)s条未决定的旧建议。"
                )
                % {"total": len(run.proposals), "grouped": run.grouped, "replaced": run.replaced},
            )
            if run.left_out:
                messages.warning(
                    request,
                    _("以下小区没有边界也没有坐标，未参加连片：%(names)s")
                    % {"names": "、".join(run.left_out)},
                )
            return redirect(f"{reverse('coordination:package-list')}?node={node.code}")
    context = list_context(request, node, form)
    return render(request, "coordination/packages_list.html", context, status=400)


@staff_required
@require_GET
def package_detail(request, key: str):
    proposal = packages.get_proposal(request.scope, key)
    members = list(packages.proposal_members(proposal))
    partners = packages.merge_partners(request.scope, proposal)
    context = {
        "proposal": proposal,
        "members": members,
        "group_name": packages.node_names([proposal.group_path]).get(proposal.group_path, ""),
        "map_data": packages.map_data(
            packages.proposal_list(scope=request.scope).filter(pk=proposal.pk),
            include_singles=True,
        ),
        "accept_form": AcceptForm(
            initial={"name": packages.suggested_name([c.name for c in members])}
        ),
        "consequences": packages.acceptance_consequences(proposal, len(members)),
        "stale_since": packages.approved_since(proposal),
        "reject_form": RejectForm(),
        "split_form": SplitForm(members=members),
        "partners": partners,
        "events": events_for(proposal).select_related("actor")[:50],
        "may_decide": may_decide(request),
        "is_open": proposal.status == ProposalStatus.PROPOSED,
    }
    return render(request, "coordination/packages_detail.html", context)


def back(request, proposal=None) -> HttpResponseRedirect:
    """To the page the form was on (the list or the proposal), else the proposal."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    if proposal is not None and proposal.pk:
        return redirect("coordination:package-detail", key=proposal.key)
    return redirect("coordination:package-list")


def decide(request, form, service, success, **arguments):
    """Run a decision; bad input or a refusal becomes a message. Returns its result."""
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return None
    try:
        result = service(actor=request.user, scope=request.scope, **arguments)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as error:
        messages.error(request, error.message)
        return None
    messages.success(request, success(result))
    return result


@staff_required
@require_POST
def package_accept(request, key: str):
    proposal = packages.get_proposal(request.scope, key)
    form = AcceptForm(request.POST)
    cleaned = form.cleaned_data if form.is_valid() else {}
    decide(
        request,
        form,
        packages.accept_proposal,
        lambda package: (
            _("已采纳：片区“%(name)s”（%(key)s）将在评分和年度计划中整体参选。")
            % {"name": package.name, "key": package.key}
        ),
        proposal=proposal,
        name=cleaned.get("name", ""),
        is_model_project=cleaned.get("is_model_project", False),
        confirmed=cleaned.get("confirm", False),
    )
    return back(request, proposal)


@staff_required
@require_POST
def package_reject(request, key: str):
    proposal = packages.get_proposal(request.scope, key)
    form = RejectForm(request.POST)
    decide(
        request,
        form,
        packages.reject_proposal,
        lambda rejected: _("已不采纳建议%(key)s。") % {"key": rejected.key},
        proposal=proposal,
        reason=form.cleaned_data.get("reason", "") if form.is_valid() else "",
    )
    return back(request, proposal)


@staff_required
@require_POST
def package_split(request, key: str):
    proposal = packages.get_proposal(request.scope, key)
    form = SplitForm(request.POST, members=packages.proposal_members(proposal))
    decide(
        request,
        form,
        packages.split_proposal,
        lambda part: (
            _("已拆分：所选小区成为新建议%(part)s，其余留在%(key)s。")
            % {"part": part.key, "key": proposal.key}
        ),
        proposal=proposal,
        member_ids=form.cleaned_data.get("members", []) if form.is_valid() else [],
    )
    return back(request, proposal)


@staff_required
@require_POST
def package_merge(request, key: str):
    proposal = packages.get_proposal(request.scope, key)
    form = MergeForm(request.POST)
    other = (
        packages.get_proposal(request.scope, form.cleaned_data["other"])
        if form.is_valid()
        else None
    )
    decide(
        request,
        form,
        packages.merge_proposals,
        lambda merged: _("已合并为建议%(key)s。") % {"key": merged.key},
        first=proposal,
        second=other,
    )
    return back(request, proposal)


urlpatterns = [
    path("packages/", package_list, name="package-list"),
    path("packages/propose/", package_propose, name="package-propose"),
    path("packages/<str:key>/", package_detail, name="package-detail"),
    path("packages/<str:key>/accept/", package_accept, name="package-accept"),
    path("packages/<str:key>/reject/", package_reject, name="package-reject"),
    path("packages/<str:key>/split/", package_split, name="package-split"),
    path("packages/<str:key>/merge/", package_merge, name="package-merge"),
]

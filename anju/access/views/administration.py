"""Administration pages under /workbench/admin/: people, organisations, assignments, onboarding.

For the city office and district task forces (`rules.may_administer`); others get 404. The
services check every rule; a refusal shows on the form (400), an account or assignment outside
the actor's authority answers 404. Generated passwords are shown once on the response page
and never stored in clear. Onboarding files are small (a city's staff and companies), so the
upload runs synchronously: the generated passwords go straight to the page, never into a
task's stored result.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anju.core.errors import NotFound
from anju.core.excel import XLSX_CONTENT_TYPE
from anju.core.forms import errors_on
from anju.core.importing import ImportParams, ImportRejected

from .. import administration as admin
from .. import rules, selectors
from ..forms import (
    AssignmentForm,
    OnboardUploadForm,
    OrganisationForm,
    PasswordForm,
    RoleFields,
    StaffCreateForm,
)
from ..onboarding import OnboardingImporter, labelled_counts, onboarding_template

ONBOARD_MAX_ROWS = 5000


def authority_for(request) -> rules.Authority:
    authority = rules.authority_of(request.user)
    if not rules.may_administer(authority):
        raise NotFound()
    return authority


def _grant(form) -> admin.RoleGrant:
    data = form.cleaned_data
    return admin.RoleGrant(data["role"], data.get("node"), data.get("organisation"))


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def people(request):
    authority = authority_for(request)
    nodes = selectors.grantable_nodes(authority=authority)
    form = StaffCreateForm(request.POST or None, nodes=nodes)
    if form.is_bound and form.is_valid():
        with errors_on(form) as attempt:
            data = form.cleaned_data
            account = admin.create_staff(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                password=data["password"] or None,
                grants=[_grant(form)],
            )
        if attempt.succeeded:
            return render(
                request,
                "access/admin/account_created.html",
                {"account": account.user, "password": account.generated_password},
            )
    search = request.GET.get("q", "")[:60]
    staff = selectors.staff_list(authority=authority, search=search)
    page = Paginator(staff, 50).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "search": search, "authority": authority}
    return render(request, "access/admin/people.html", context, status=_status(form))


@login_required
@never_cache
@require_GET
def person(request, pk):
    authority = authority_for(request)
    user = selectors.get_staff(authority, pk)
    context = {
        "person": user,
        "role_form": RoleFields(nodes=selectors.grantable_nodes(authority=authority)),
        "password_form": PasswordForm(),
        "may_manage": rules.may_manage_account(authority, user.role_assignments.all())
        and user.pk != request.user.pk,
    }
    return render(request, "access/admin/person.html", context)


@login_required
@require_POST
def person_role(request, pk):
    authority = authority_for(request)
    user = selectors.get_staff(authority, pk)
    form = RoleFields(request.POST, nodes=selectors.grantable_nodes(authority=authority))
    if form.is_valid():
        with errors_on(form) as attempt:
            admin.grant_role(actor=request.user, user=user, grant=_grant(form))
        if attempt.succeeded:
            messages.success(request, _("已分配角色。"))
            return redirect("access:admin-person", pk=user.pk)
    context = {
        "person": user,
        "role_form": form,
        "password_form": PasswordForm(),
        "may_manage": True,
    }
    return render(request, "access/admin/person.html", context, status=400)


@login_required
@require_POST
def revoke_role(request, pk):
    authority = authority_for(request)
    assignment = selectors.get_role_assignment(authority, pk)
    admin.revoke_role(actor=request.user, assignment=assignment)
    messages.success(request, _("已撤销角色。"))
    return redirect("access:admin-person", pk=assignment.user_id)


@login_required
@require_POST
def person_active(request, pk):
    authority = authority_for(request)
    user = selectors.get_staff(authority, pk)
    is_active = request.POST.get("active") == "1"
    admin.set_staff_active(actor=request.user, user=user, is_active=is_active)
    messages.success(
        request, _("账号已恢复。") if is_active else _("账号已停用，角色保留但不再生效。")
    )
    return redirect("access:admin-person", pk=user.pk)


@login_required
@never_cache
@require_POST
def person_password(request, pk):
    authority = authority_for(request)
    user = selectors.get_staff(authority, pk)
    form = PasswordForm(request.POST)
    form.is_valid()
    with errors_on(form) as attempt:
        generated = admin.set_staff_password(
            actor=request.user, user=user, password=form.cleaned_data.get("password") or None
        )
    if not attempt.succeeded:
        context = {
            "person": user,
            "password_form": form,
            "may_manage": True,
            "role_form": RoleFields(nodes=selectors.grantable_nodes(authority=authority)),
        }
        return render(request, "access/admin/person.html", context, status=400)
    return render(
        request,
        "access/admin/account_created.html",
        {"account": user, "password": generated, "reset": True},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisations(request):
    authority = authority_for(request)
    may_register = rules.may_register_organisations(authority)
    form = OrganisationForm(request.POST or None)
    if form.is_bound and form.is_valid():
        with errors_on(form) as attempt:
            admin.register_organisation(actor=request.user, **form.cleaned_data)
        if attempt.succeeded:
            messages.success(request, _("已登记机构。"))
            return redirect("access:admin-organisations")
    context = {
        "form": form if may_register else None,
        "organisations": selectors.organisation_list(authority=authority),
    }
    return render(request, "access/admin/organisations.html", context, status=_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def assignments(request):
    authority = authority_for(request)
    form = AssignmentForm(request.POST or None)
    if form.is_bound and form.is_valid():
        compound = selectors.get_assignable_compound(authority, form.cleaned_data["compound"])
        with errors_on(form) as attempt:
            admin.assign_organisation(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                compound=compound,
            )
        if attempt.succeeded:
            messages.success(request, _("已委托。"))
            return redirect("access:admin-assignments")
    page = Paginator(selectors.assignment_list(authority=authority), 50).get_page(
        request.GET.get("page")
    )
    context = {"form": form, "page": page}
    return render(request, "access/admin/assignments.html", context, status=_status(form))


@login_required
@require_POST
def unassign(request, pk):
    authority = authority_for(request)
    assignment = selectors.get_assignment(authority, pk)
    admin.unassign_organisation(actor=request.user, assignment=assignment)
    messages.success(request, _("已撤销委托。"))
    return redirect("access:admin-assignments")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def onboard(request):
    authority_for(request)
    form = OnboardUploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    context = {"form": form}
    status = _status(form)
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        params = ImportParams(
            actor=request.user,
            scope=request.scope,
            filename=upload.name,
            dry_run=form.cleaned_data["dry_run"],
            max_rows=ONBOARD_MAX_ROWS,
        )
        importer = OnboardingImporter()
        try:
            report = importer.run(upload, params)
        except ImportRejected as rejected:
            context["rejected"] = rejected
            status = 400
        else:
            context["report"] = report
            context["counts"] = labelled_counts(report.counts)
            context["passwords"] = sorted(importer.passwords.items())
    return render(request, "access/admin/onboard.html", context, status=status)


@require_GET
def onboard_template(request):
    """The blank workbook with its 填写说明: no data, open to anyone."""
    return HttpResponse(
        onboarding_template(),
        content_type=XLSX_CONTENT_TYPE,
        headers={
            "Content-Disposition": content_disposition_header(True, _("人员和机构导入模板.xlsx"))
        },
    )

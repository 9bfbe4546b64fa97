"""Staff pages of access: household-code sheets (issue, as a PDF of slips) and the logged
phone reveal. The services check the role and write the audit event."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from anju.core.calendar import today
from anju.core.errors import DomainError, PermissionDenied
from anju.territory import selectors as territory
from anju.territory import services as territory_services

from .. import services
from ..forms import RevealPhoneForm
from ..pdf import code_sheet_pdf

# --- Staff: household-code sheets -----------------------------------------------------------


@login_required
@require_GET
def code_sheet_form(request, code):
    """The page that warns that issuing invalidates the codes already handed out."""
    services.require_code_issuer(request.scope)
    compound = territory.get_compound(request.scope, code)
    buildings = list(territory.buildings_of(compound))
    for building in buildings:
        building.label = services.building_label(building.number)
    context = {
        "compound": compound,
        "buildings": buildings,
        "issued": services.issued_code_summary(compound),
    }
    return render(request, "access/code_sheet_form.html", context)


@require_POST
@login_required
def code_sheet(request, code):
    """Issue new codes (all households, or `?building=<number>`) and return them as a PDF."""
    services.require_code_issuer(request.scope)
    compound = territory.get_compound(request.scope, code)
    building = (request.GET.get("building") or request.POST.get("building") or "").strip()
    slips = services.issue_code_sheet(
        actor=request.user, scope=request.scope, compound=compound, building_number=building
    )
    pdf = code_sheet_pdf(
        compound=compound,
        slips=slips,
        code_url=lambda c: request.build_absolute_uri(reverse("portal:code", args=[c])),
        sign_in_url=request.build_absolute_uri(reverse("portal:sign-in")),
        issued_on=today(),
    )
    filename = "household-codes-" + compound.code + ("-" + building if building else "") + ".pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


# --- Staff: logged phone reveal -------------------------------------------------------------


@require_POST
@login_required
def reveal_phone(request, pk):
    """An htmx fragment with the phone; the service checks the role and writes the audit.

    The reason is what the user typed (required; it goes into the audit event). A missing
    reason answers 400 with the form again and the message, so the user can type one."""
    household = territory.get_household(request.scope, pk)
    form = RevealPhoneForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        phone = territory_services.reveal_phone(
            actor=request.user, scope=request.scope, household=household, reason=reason
        )
    except DomainError as error:
        if not request.htmx:
            raise
        if isinstance(error, PermissionDenied):
            template, context = "access/_phone_reveal_error.html", {"message": error.message}
        else:
            template = "access/_phone_reveal_form.html"
            context = {
                "masked_phone": territory_services.mask_phone(household.phone),
                "error": error.message,
            }
        return render(request, template, {"household": household, **context}, status=error.status)
    response = render(
        request, "access/_phone_revealed.html", {"household": household, "phone": phone}
    )
    response["Cache-Control"] = "no-store"
    return response

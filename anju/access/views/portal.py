"""Residents' portal: sign-in by household code, home, sign-out.

A resident session is not a Django login: it keeps only the household id under
`RESIDENT_SESSION_KEY`, `request.user` stays anonymous, so staff pages (`login_required`)
send a resident to the staff sign-in, and `request.scope` is the household's compound only.

QR codes on the slips open `/portal/c/<code>/`. That GET only shows the sign-in form with the
code filled in and one "登录" button: a GET never signs anyone in, because link previewers,
prefetchers and chat apps open URLs on their own, and because URLs end up in logs. The form
posts to `/portal/sign-in/`, so the code leaves the address bar after one tap.
"""

from __future__ import annotations

from functools import wraps

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anju.core.calendar import today
from anju.core.errors import DomainError
from anju.engine import household_codes
from anju.territory import selectors as territory
from anju.territory import services as territory_services
from anju.territory.models import Stage

from .. import services
from ..forms import CodeSignInForm
from ..portal_cards import cards_for
from ..scope import RESIDENT_SESSION_KEY

# What each stage means to the people who live in the compound (not the office's wording).
STAGE_FOR_RESIDENTS = {
    Stage.REGISTERED: gettext_lazy(
        "小区已列入老旧小区改造摸底名录，社区正在核实楼栋、设施和住户的基本情况。"
    ),
    Stage.CONSULTED: gettext_lazy(
        "正在征询居民意见：改什么、怎么改，由大家一起商量。请留意社区通知，参与问卷和表决。"
    ),
    Stage.CANDIDATE: gettext_lazy(
        "小区正在参加改造项目的竞争性评选，居民的参与和支持程度是重要的评分依据。"
    ),
    Stage.PLANNED: gettext_lazy(
        "小区已列入年度改造计划，接下来将委托设计单位根据居民意见编制改造方案。"
    ),
    Stage.DESIGNED: gettext_lazy("设计单位正在编制“一小区一方案”，方案形成后会向居民征求意见。"),
    Stage.NOTICED: gettext_lazy("改造方案正在公示，您可以查看方案，并在公示期内提出意见。"),
    Stage.APPROVED: gettext_lazy("改造方案已通过相关部门联合审查，正在做施工前的准备。"),
    Stage.BUILDING: gettext_lazy(
        "小区正在施工。请注意出行安全，施工中的问题可以向社区或施工单位反映。"
    ),
    Stage.ACCEPTED: gettext_lazy(
        "改造工程已经完工，正在组织联合验收，欢迎居民参与验收、反映问题。"
    ),
    Stage.STEWARDED: gettext_lazy(
        "改造已经完成，进入长效管理：物业服务和设施维护将持续进行，有问题请及时反映。"
    ),
}


# --- Residents' portal ---------------------------------------------------------------------


def resident_required(view):
    """A resident session, or the portal sign-in page. Staff are not residents."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.scope.is_resident:
            # back to the page asked for (a notice's QR code) once signed in
            request.session[NEXT_PAGE_KEY] = request.get_full_path()
            return redirect("portal:sign-in")
        return view(request, *args, **kwargs)

    return wrapper


RESIDENT_SESSION_SECONDS = 2 * 60 * 60
NEXT_PAGE_KEY = "portal_next_page"


def _start_resident_session(request, household) -> None:
    if request.user.is_authenticated:
        logout(request)
    request.session.cycle_key()
    request.session[RESIDENT_SESSION_KEY] = household.pk
    # Phones are shared in a family: a resident session lasts 2 hours.
    request.session.set_expiry(RESIDENT_SESSION_SECONDS)


def _next_page(request) -> str:
    """The portal page a resident was sent to sign in from (kept in the session), if any."""
    target = request.session.pop(NEXT_PAGE_KEY, "")
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts=None)
    return target if safe and target.startswith("/portal/") else ""


def _render_sign_in(request, form, *, status=200, from_qr=False):
    response = render(
        request, "portal/sign_in.html", {"form": form, "from_qr": from_qr}, status=status
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def portal_sign_in(request):
    if request.method == "GET":
        return _render_sign_in(request, CodeSignInForm())
    form = CodeSignInForm(request.POST)
    if not form.is_valid():
        return _render_sign_in(request, form, status=400)
    try:
        household = services.sign_in_with_code(
            request_address=get_client_ip_address(request) or "",
            code_text=form.cleaned_data["code"],
        )
    except DomainError as error:
        form.add_error(None, error.message)
        return _render_sign_in(request, form, status=error.status)
    target = _next_page(request)
    _start_resident_session(request, household)
    return redirect(target or "portal:home")


@require_GET
def portal_code(request, code):
    """The QR target: the form, filled in. Signing in still takes a tap (see module docs)."""
    canonical = household_codes.normalise(code)[:40]
    shown = (
        household_codes.format_code(canonical)
        if household_codes.is_well_formed(canonical)
        else canonical
    )
    response = _render_sign_in(request, CodeSignInForm(initial={"code": shown}), from_qr=True)
    # The code is in this URL: it may be sent as Referer only to anju itself. ("no-referrer"
    # would make the form's POST carry "Origin: null", which CSRF protection refuses.)
    response["Referrer-Policy"] = "same-origin"
    return response


@never_cache
@resident_required
def portal_home(request):
    scope = request.scope
    household = territory.get_household(scope, scope.household_id)
    compound = household.compound
    stages = list(Stage)
    position = stages.index(Stage(compound.stage)) + 1
    context = {
        "household": household,
        "household_label": services.household_label(household),
        "masked_phone": territory_services.mask_phone(household.phone),
        "compound": compound,
        "building_count": compound.building_count or compound.buildings.count(),
        "household_count": compound.household_count or compound.households.count(),
        "stage_label": compound.get_stage_display(),
        "stage_explanation": STAGE_FOR_RESIDENTS[compound.stage],
        "stage_position": position,
        "stage_total": len(stages),
        "stage_percent": round(position * 100 / len(stages)),
        "stages": [(s.label, i + 1 <= position, s == compound.stage) for i, s in enumerate(stages)],
    }
    cards = cards_for(household, today())
    context["urgent_cards"] = [card for card in cards if card.urgent]
    context["cards"] = [card for card in cards if not card.urgent]
    return render(request, "portal/home.html", context)


@require_POST
def portal_sign_out(request):
    request.session.flush()
    messages.info(request, _("您已退出登录。"))
    return redirect("portal:sign-in")

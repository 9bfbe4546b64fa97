"""Residents' sign-in by household code, and issuing the printed code sheets.

Sign-in is guarded by fixed-window failure counters in the database (`SignInCounter`), one per
address and one per code digest: django-ratelimit would need a shared cache anju does not run.
The limits are checked before the code is looked at, so while an address or a code is limited
even the right code is refused; guessing therefore costs the same whatever the answer. Unknown,
wrong and malformed codes all get one message, so an answer never tells whether a code exists.

The limits differ on purpose (issue 13, defect 8). A code is locked after a few failures
(`ANJU_CODE_SIGN_IN_LIMIT_PER_CODE`, 5) from any address. An address is locked only when it is
clearly guessing (`ANJU_CODE_SIGN_IN_LIMIT_PER_ADDRESS`, 300 per 15 minutes): the residents of a
compound often share one community Wi-Fi, so the typos of many people come from one address,
and a lower limit locked everybody out at a consultation meeting. 300 failures per 15 minutes
is 28,800 guesses a day; against 10^6 codes among 25^10 ≈ 9.5×10^13 possible ones, an address
needs about 9 years on average to hit any code. A refusal says how many minutes are left in
the window.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anju.core.errors import DomainError, NotFound, PermissionDenied, RateLimited
from anju.core.scope import Scope
from anju.territory import selectors as territory
from anju.territory.models import Compound, Household

from .codes import digest_of, issue_household_codes
from .models import HouseholdCode, SignInCounter

INVALID_CODE_MESSAGE = _("住户码无效或已失效，请核对后重新输入。")

# Roles that hand out household codes: they run the consultation door to door.
CODE_ISSUERS = ("city_office", "district_task_force", "street_office", "community_worker")


def _window_start(now: dt.datetime) -> dt.datetime:
    seconds = int(settings.ANJU_CODE_SIGN_IN_WINDOW_SECONDS)
    start = int(now.timestamp()) // seconds * seconds
    return dt.datetime.fromtimestamp(start, tz=dt.UTC)


def _address_key(address: str) -> str:
    return "address:" + (address or "unknown")[:80]


def _code_key(digest: str) -> str:
    return "code:" + digest


def _failures(key: str, window_start: dt.datetime) -> int:
    return (
        SignInCounter.objects.filter(key=key, window_start=window_start)
        .values_list("failures", flat=True)
        .first()
        or 0
    )


def _count_failure(key: str, window_start: dt.datetime) -> None:
    """Add one failure. The row is created once (the unique constraint settles races) and
    incremented in the database, so concurrent failures are never lost."""
    counter, _created = SignInCounter.objects.get_or_create(key=key, window_start=window_start)
    SignInCounter.objects.filter(pk=counter.pk).update(failures=F("failures") + 1)


def sign_in_with_code(*, request_address: str, code_text: str) -> Household:
    """The household whose code a resident typed, or RateLimited / DomainError("invalid_code").

    A malformed input counts against the address only (it has no digest); an unknown code
    counts against the address and the digest. A success counts nothing and resets nothing.
    The check and the count are separate statements, so a burst of parallel guesses can pass
    the limit by at most the number of requests in flight; the window bounds the rest.
    """
    window_start = _window_start(timezone.now())
    address_key = _address_key(request_address)
    digest = digest_of(code_text or "")
    limits = {address_key: settings.ANJU_CODE_SIGN_IN_LIMIT_PER_ADDRESS}
    if digest is not None:
        limits[_code_key(digest)] = settings.ANJU_CODE_SIGN_IN_LIMIT_PER_CODE
    for key, limit in limits.items():
        if _failures(key, window_start) >= limit:
            raise RateLimited(wait_message(window_start))

    code = None
    if digest is not None:
        code = (
            HouseholdCode.objects.filter(digest=digest)
            .select_related("household__compound", "household__unit__building")
            .first()
        )
    if code is None:
        for key in limits:
            _count_failure(key, window_start)
        raise DomainError(INVALID_CODE_MESSAGE, code="invalid_code")
    return code.household


def wait_message(window_start: dt.datetime):
    """ "请 12 分钟后再试": the minutes (rounded up) until the window of the limit ends."""
    window_end = window_start + dt.timedelta(seconds=int(settings.ANJU_CODE_SIGN_IN_WINDOW_SECONDS))
    seconds = max((window_end - timezone.now()).total_seconds(), 1)
    minutes = math.ceil(seconds / 60)
    return _("尝试次数过多，请 %(minutes)d 分钟后再试。") % {"minutes": minutes}


def prune_sign_in_counters(*, now: dt.datetime | None = None) -> int:
    """Delete counters of windows that have ended; they no longer limit anyone."""
    current = _window_start(now or timezone.now())
    deleted, _details = SignInCounter.objects.filter(window_start__lt=current).delete()
    return deleted


@dataclass(frozen=True)
class CodeSlip:
    """One printed slip: where the household is and its new code (clear, only in memory)."""

    household: Household
    code: str

    @property
    def label(self) -> str:
        return household_label(self.household)


def _with_suffix(number: str, suffix: str) -> str:
    number = str(number).strip()
    return number if not number or number.endswith(suffix) else number + suffix


def building_label(number: str) -> str:
    """ "3栋" whether the registry says "3" or "3栋" (issue 13: the form showed "1栋 栋")."""
    return _with_suffix(number, "栋")


def household_label(household: Household) -> str:
    """ "3栋2单元501室": the way residents write their address."""
    unit = household.unit
    return "".join(
        [
            _with_suffix(unit.building.number, "栋"),
            _with_suffix(unit.number, "单元"),
            _with_suffix(household.room, "室"),
        ]
    )


def require_code_issuer(scope: Scope) -> None:
    """Checked before the compound is fetched, so a refused role learns nothing of it."""
    if not scope.has_role(*CODE_ISSUERS):
        raise PermissionDenied(_("只有街道、社区和改造专班工作人员可以发放住户码。"))


def issued_code_summary(compound: Compound) -> dict:
    """How many of a compound's households hold a code, and when codes were last issued."""
    return HouseholdCode.objects.filter(household__compound=compound).aggregate(
        households=Count("id"), last_issued_at=Max("issued_at")
    )


def issue_code_sheet(
    *, actor, scope: Scope, compound: Compound, building_number: str = ""
) -> list[CodeSlip]:
    """New codes for every household of a compound (or of one building), for printing.

    Issuing replaces each household's code, so slips printed earlier stop working: the page
    that asks for a sheet says so. Only territorial staff covering the compound may issue.
    """
    require_code_issuer(scope)
    if not scope.covers_path(compound.path):
        raise NotFound()
    households = territory.households_of(compound)
    if building_number:
        if not compound.buildings.filter(number=building_number).exists():
            raise NotFound()
        households = households.filter(unit__building__number=building_number)
    households = list(households)
    if not households:
        raise DomainError(_("该小区还没有登记住户，无法生成住户码。"), code="no_households")
    codes = issue_household_codes(actor=actor, compound=compound, households=households)
    return [CodeSlip(household=h, code=codes[h.pk]) for h in households]

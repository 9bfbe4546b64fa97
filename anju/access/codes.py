"""Issuing and checking household codes (see anju.engine.household_codes for the format)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import transaction

from anju.engine import household_codes

from . import events
from .models import HouseholdCode


def code_key() -> bytes:
    key = settings.CODE_HASH_KEY or ("household-code:" + settings.SECRET_KEY)
    return hashlib.sha256(key.encode()).digest()


def digest_of(text: str) -> str | None:
    """The stored digest for what a resident typed, or None when it cannot be a code."""
    canonical = household_codes.normalise(text)
    if not household_codes.is_well_formed(canonical):
        return None
    return household_codes.code_digest(canonical, code_key())


def issue_household_codes(*, actor, compound, households) -> dict[int, str]:
    """Give each household a new code, invalidating any old one. Returns {household_id: code}.

    The clear codes exist only in the return value (for printing); the database keeps digests.
    """
    households = list(households)
    issued: dict[int, str] = {}
    with transaction.atomic():
        HouseholdCode.objects.filter(household__in=households).delete()
        rows = []
        for household in households:
            code = household_codes.new_code()
            issued[household.pk] = code
            rows.append(HouseholdCode(household=household, digest=digest_of(code)))
        HouseholdCode.objects.bulk_create(rows)
        events.household_codes_issued(
            actor=actor, compound=compound, count=len(rows), scope_label=str(compound)
        )
    return issued

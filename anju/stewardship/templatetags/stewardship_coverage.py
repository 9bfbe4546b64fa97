"""`{% coverage_panel compound scope as panel %}`: coverage's part of the compound hub page (the
current contract, the governance profile, party members and their hours), computed by the
coverage chapter so the hub only includes `stewardship/_coverage_panel.html`. Three queries."""

from decimal import Decimal

from django import template
from django.db.models import Count, Sum

from anju.stewardship.models import PartyMember, ServiceRecord
from anju.stewardship.rules import may_edit_coverage
from anju.stewardship.selectors.coverage import current_contract, profile_of

register = template.Library()


@register.simple_tag
def coverage_panel(compound, scope):
    active = PartyMember.objects.filter(compound=compound, left_on__isnull=True)
    hours = ServiceRecord.objects.filter(member__compound=compound).aggregate(
        hours=Sum("hours"), count=Count("pk")
    )["hours"]
    return {
        "contract": current_contract(compound),
        "profile": profile_of(compound),
        "party_members": active.count(),
        "hours": hours or Decimal("0"),
        "may_edit": scope is not None and may_edit_coverage(scope, compound),
    }

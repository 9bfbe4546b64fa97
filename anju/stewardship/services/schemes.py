"""Writes of stewardship: the management scheme each compound needs before its plan is noticed.

改管并重: a plan may not go to public notice until every compound it covers has a management
scheme (the management model after renovation and the yearly upkeep budget). The compound's
own district, street and community staff keep it; design asks for it through
`save_management_scheme`, whose caller's scope decides.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from anju.core.audit import snapshot
from anju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from anju.core.scope import Scope
from anju.territory.models import Compound

from .. import events
from ..models import ManagementScheme
from ..rules import may_save_management_scheme

SCHEME_FIELDS = ["management_model", "yearly_upkeep_budget", "note"]


def save_management_scheme(
    *,
    actor,
    scope: Scope,
    compound: Compound,
    management_model: str,
    yearly_upkeep_budget: Decimal,
    note: str = "",
) -> ManagementScheme:
    """Create or change the compound's scheme (one per compound), audited with its changes."""
    if not scope.covers_path(compound.path) and compound.pk not in scope.compound_ids:
        raise NotFound()
    if not may_save_management_scheme(scope, compound):
        raise PermissionDenied(_("只有小区所在的区、街道或社区可以填写长效管理方案。"))
    try:
        return _save(actor, compound, management_model, yearly_upkeep_budget, note)
    except IntegrityError as exc:  # another keeper created the compound's scheme meanwhile
        raise Conflict() from exc


def _save(actor, compound, management_model, yearly_upkeep_budget, note) -> ManagementScheme:
    with transaction.atomic(durable=True):
        scheme = ManagementScheme.objects.select_for_update().filter(compound=compound).first()
        before = snapshot(scheme, SCHEME_FIELDS) if scheme else {}
        scheme = scheme or ManagementScheme(compound=compound)
        scheme.management_model = management_model
        scheme.yearly_upkeep_budget = yearly_upkeep_budget
        scheme.note = note
        scheme.updated_by = actor if getattr(actor, "pk", None) else None
        try:
            scheme.full_clean()
        except ValidationError as exc:
            raise DomainError(_("输入有误。"), fields=exc.message_dict) from exc
        scheme.save()
        events.scheme_saved(
            actor=actor, scheme=scheme, before=before, after=snapshot(scheme, SCHEME_FIELDS)
        )
    return scheme

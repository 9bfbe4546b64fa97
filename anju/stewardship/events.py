"""Named constructors for stewardship's audit events, a section per chapter."""

from django.utils.translation import gettext_lazy as _

from anju.core.audit import changed_fields, record_event, register_verbs

# --- schemes ---

register_verbs({"stewardship.scheme_saved": _("保存长效管理方案")})


def scheme_saved(*, actor, scheme, before, after):
    before, after = changed_fields(before, after)
    return record_event(
        actor=actor,
        verb="stewardship.scheme_saved",
        target=scheme,
        territory_path=scheme.compound.path,
        summary=scheme.compound.code,
        before=before,
        after=after,
    )


# --- end of schemes ---

# --- coverage ---

# --- end of coverage ---

# --- governance ---

# --- end of governance ---

# --- reports ---

# --- end of reports ---

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StewardshipConfig(AppConfig):
    name = "anju.stewardship"
    label = "stewardship"
    verbose_name = _("长效管理")

    def ready(self) -> None:
        # --- reports ---
        import datetime as dt

        from anju.core.duties import register_duty
        from anju.territory.signals import registry_replacing, territory_moved

        from .handlers import forget_reports
        from .services.reports import escalate_overdue_reports, follow_territory_move

        registry_replacing.connect(
            forget_reports, sender=self, dispatch_uid="stewardship.forget_reports"
        )

        territory_moved.connect(
            follow_territory_move, dispatch_uid="stewardship.reports.follow_territory_move"
        )

        register_duty(
            "stewardship.escalate_overdue_reports",
            escalate_overdue_reports,
            every=dt.timedelta(hours=1),
        )
        # --- end of reports ---
        # --- coverage ---
        from .services.coverage import contract_coverage_duty, owners_committee_term_duty

        register_duty(
            "stewardship.sync_contract_coverage", contract_coverage_duty, every=dt.timedelta(days=1)
        )
        register_duty(
            "stewardship.sync_owners_committee_terms",
            owners_committee_term_duty,
            every=dt.timedelta(days=1),
        )
        # --- end of coverage ---

    def seed_reference_data(self) -> None:
        """Put back the report categories and routing rules (the test suite calls this after a
        transactional test flushed the tables its data migration filled)."""
        from django.apps import apps

        from .seed import seed_stewardship_reference

        seed_stewardship_reference(apps)

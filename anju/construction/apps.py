import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConstructionConfig(AppConfig):
    name = "anju.construction"
    label = "construction"
    verbose_name = _("施工管理")

    def ready(self) -> None:
        from anju.access.portal_cards import register_card_source
        from anju.core.duties import register_duty
        from anju.territory.signals import registry_replacing

        from .handlers import forget_delivery
        from .views.portal_home import home_cards

        register_card_source("construction", home_cards, position=20)
        registry_replacing.connect(
            forget_delivery, sender=self, dispatch_uid="construction.forget_delivery"
        )

        # --- inspections ---
        from .services.inspections import escalate_overdue_findings

        register_duty(
            "construction.escalate_overdue_findings",
            escalate_overdue_findings,
            every=dt.timedelta(hours=1),
        )
        # --- end of inspections ---
        # --- sampling ---
        from .services.sampling import close_due_surveys

        register_duty(
            "construction.close_due_satisfaction_surveys",
            close_due_surveys,
            every=dt.timedelta(hours=6),
        )
        # --- end of sampling ---

    def seed_reference_data(self) -> None:
        """Put back the inspection checklists (the test suite calls this after a transactional
        test flushed the tables the data migration filled)."""
        from django.apps import apps

        from .seed import seed_construction_reference

        seed_construction_reference(apps)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "anju.funding"
    label = "funding"
    verbose_name = _("资金管理")

    def seed_reference_data(self) -> None:
        """Put back the funding sources and floor-coefficient templates (the test suite calls
        this after a transactional test flushed the tables the data migration filled)."""
        from django.apps import apps

        from .seed import seed_funding_reference

        seed_funding_reference(apps)

    def ready(self) -> None:
        from anju.access.portal_cards import register_card_source
        from anju.territory.signals import registry_replacing

        from .handlers import forget_ledgers
        from .views.portal import home_cards

        register_card_source("funding", home_cards, position=30)
        registry_replacing.connect(
            forget_ledgers, sender=self, dispatch_uid="funding.forget_ledgers"
        )

"""Design's receiver of territory's `registry_replacing` signal (docs/architecture.md)."""

from .models import Notice, PlanVersion, Review


def forget_designs(sender, **kwargs):
    """The registry is being replaced (demo and test cities only): plan versions, notices
    and reviews made for the old compounds go (a notice and a review protect their version,
    a version's items protect their compounds); the rest goes by CASCADE with the projects
    when planning forgets them."""
    for model in (Notice, Review, PlanVersion):
        model.objects.all().delete()

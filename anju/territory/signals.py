"""Signals other apps listen to without territory importing them."""

from django.dispatch import Signal

# Sent inside the transaction of `generate_city --replace`, before the registry is deleted:
# apps whose records only make sense for this registry (plans, rounds) delete them here.
# A listener that must refuse raises CommandError, and the replace leaves everything as it was.
registry_replacing = Signal()

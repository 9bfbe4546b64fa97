"""Signals other apps listen to without territory importing them."""

from django.dispatch import Signal

# Sent inside the transaction of `generate_city --replace`, before the registry is deleted:
# apps whose records only make sense for this registry (plans, rounds) delete them here.
# A listener that must refuse raises CommandError, and the replace leaves everything as it was.
registry_replacing = Signal()

# Sent inside `services.move_node`'s transaction after the node's subtree and compounds got
# their new materialised paths: `old_prefix` and `new_prefix` ("4201/420111/420111005/" →
# "4201/420171/420111005/"). Apps above territory that keep a copy of a compound's or node's
# path rewrite it here, so their prefix filters follow the move in the same transaction.
territory_moved = Signal()

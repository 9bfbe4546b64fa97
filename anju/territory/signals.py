"""Signals other apps listen to without territory importing them."""

from django.apps import apps
from django.dispatch import Signal

# Sent inside the transaction of `generate_city --replace`, before the registry is deleted:
# apps whose records only make sense for this registry (plans, rounds, designs, ledgers)
# delete them here. It is sent once per installed app, from the top layer down, with that
# app's AppConfig as sender (`send_registry_replacing`); an app connects its listener with
# `sender=` its own config, so funding drops the ledger lines that protect a project before
# construction, design and planning drop theirs, whatever order the listeners connected in.
# A listener that must refuse raises CommandError, and the replace leaves everything as it was.
registry_replacing = Signal()


def send_registry_replacing() -> None:
    for config in reversed(list(apps.get_app_configs())):
        registry_replacing.send(sender=config)


# Sent inside `services.move_node`'s transaction after the node's subtree and compounds got
# their new materialised paths: `old_prefix` and `new_prefix` ("4201/420111/420111005/" →
# "4201/420171/420111005/"). Apps above territory that keep a copy of a compound's or node's
# path rewrite it here, so their prefix filters follow the move in the same transaction.
territory_moved = Signal()

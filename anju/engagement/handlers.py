"""Engagement's answers to other apps' signals."""

from anju.territory.paths import rewrite_path_prefix

from .models import Campaign


def follow_territory_move(sender, *, old_prefix, new_prefix, **kwargs):
    """A node moved (`territory.services.move_node`, in its transaction): campaigns started
    under it take the new path, so the old district's staff no longer see them and the new
    district's do. Votes, submissions and forums are reached through their compound, whose
    path territory has already rewritten. One UPDATE and no history rows: the path is a copy
    of the node's, and the move is recorded where it happened (NodeChange, node.moved)."""
    rewrite_path_prefix(Campaign.objects.all(), "path", old_prefix, new_prefix)

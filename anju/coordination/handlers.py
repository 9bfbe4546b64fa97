"""Coordination's answers to other apps' signals."""

import shapely

from anju.engine import geo
from anju.territory.models import Node
from anju.territory.paths import common_path, district_path, rewrite_path_prefix

from .models import Conflict, PackageProposal, Work
from .works import DistrictLocator

# Coordination's copies of a territory path: the compound's (conflicts), the community's or
# street's (proposals), the district's (works).
PATH_COPIES = ((Conflict, "path"), (PackageProposal, "path"), (PackageProposal, "group_path"))


def follow_territory_move(sender, *, old_prefix, new_prefix, **kwargs):
    """A node moved (`territory.services.move_node`, in its transaction): conflicts, package
    proposals and works under it follow, so the new district's staff see them and the old
    district's do not.

    Paths under the old prefix get the new one (one UPDATE per column). A work is placed in a
    district (works.py, "Where a work lies"), so when a street or community changes district
    the works of the old district are placed again by the same rule: one drawn on the map
    goes along when it lies in the moved node's outline (a node without an outline keeps its
    works where the district outlines put them), one given by its compounds goes to their
    common district. Plain updates, no history rows: these are copies of the placement, and
    the move is recorded once, where it happened (NodeChange, node.moved)."""
    for model, field in (*PATH_COPIES, (Work, "path")):
        rewrite_path_prefix(model.objects.all(), field, old_prefix, new_prefix)
    old_district, new_district = district_path(old_prefix), district_path(new_prefix)
    if old_district in ("", old_prefix) or old_district == new_district:
        return
    placed: dict[str, list[int]] = {}
    in_old_district = Work.objects.filter(path=old_district)
    named = in_old_district.filter(geometry__isnull=True, compounds__path__startswith=new_prefix)
    for work in named.distinct().prefetch_related("compounds"):
        path = common_path(district_path(c.path) for c in work.compounds.all())
        placed.setdefault(path, []).append(work.pk)
    node = Node.objects.filter(path=new_prefix).only("path", "outline").first()
    if node is not None and node.outline:
        locator = DistrictLocator([node])
        for work in in_old_district.filter(geometry__isnull=False).only("pk", "geometry"):
            try:
                shape = geo.geometry_from_geojson(work.geometry)
            except geo.GeometryError:
                continue
            if not shapely.is_empty(shape) and locator.path_of(shape):
                placed.setdefault(new_district, []).append(work.pk)
    for path, ids in placed.items():
        if path != old_district:
            Work.objects.filter(pk__in=ids).update(path=path)

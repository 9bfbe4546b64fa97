"""Workbench pages of coordination, mounted at /workbench/coordination/: others' works,
dig-once conflicts and package proposals, each area in its own module of `views`."""

from .views import conflicts, packages, works

app_name = "coordination"
urlpatterns = [
    *works.urlpatterns,
    *conflicts.urlpatterns,
    *packages.urlpatterns,
]

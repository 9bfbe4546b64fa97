"""Workbench pages of coordination, mounted at /workbench/coordination/: others' works,
dig-once conflicts and package proposals, each area in its own views module."""

from . import views_conflicts, views_packages, views_works

app_name = "coordination"
urlpatterns = [
    *views_works.urlpatterns,
    *views_conflicts.urlpatterns,
    *views_packages.urlpatterns,
]

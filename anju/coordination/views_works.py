"""Workbench pages: works (filled in by its owner)."""

urlpatterns = []

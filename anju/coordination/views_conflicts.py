"""Workbench pages: conflicts (filled in by its owner)."""

urlpatterns = []

"""Workbench pages: packages (filled in by its owner)."""

urlpatterns = []

"""Residents' pages of design (notices, objections), mounted under /portal/plan/."""

from django.urls import path  # noqa: F401

app_name = "design-portal"
urlpatterns = []

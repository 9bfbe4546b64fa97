"""The residents' side of planning, mounted under /portal/plans/."""

from django.urls import path

from . import portal_views as views

app_name = "planning-portal"
urlpatterns = [path("score/", views.compound_score, name="score")]

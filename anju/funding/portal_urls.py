"""Residents' pages of funding (their own contribution), mounted under /portal/funding/."""

from django.urls import path

from .views import portal

app_name = "funding-portal"
urlpatterns = [
    # --- sharing ---
    path("", portal.my_share, name="share"),
    path("contributions/<id:pk>/", portal.my_contribution, name="contribution"),
    # --- end of sharing ---
]

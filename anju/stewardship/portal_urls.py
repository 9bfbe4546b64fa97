"""Residents' pages of stewardship (problem reports), mounted under /portal/stewardship/."""

from django.urls import path

from .views import portal as views

app_name = "stewardship-portal"
urlpatterns = [
    # --- reports ---
    path("", views.reports_home, name="home"),
    path("new/", views.report_new, name="report-new"),
    path("suggest/", views.report_suggest, name="suggest"),
    path("public/", views.public_list, name="public-list"),
    path("reports/<id:pk>/", views.report_detail, name="report"),
    path("reports/<id:pk>/confirm/", views.report_confirm, name="report-confirm"),
    path("reports/<id:pk>/reopen/", views.report_reopen, name="report-reopen"),
    path("reports/<id:pk>/photos/<id:photo_id>/", views.report_photo, name="photo"),
]

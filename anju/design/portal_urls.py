"""Residents' pages of design (notices, objections), mounted under /portal/plan/."""

from django.urls import path

from .views import portal

app_name = "design-portal"
urlpatterns = [
    # --- notices ---
    path("notice/", portal.current_notice, name="current-notice"),
    path("notices/<id:pk>/", portal.notice_detail, name="notice"),
    path("notices/<id:pk>/notice.pdf", portal.notice_pdf, name="notice-pdf"),
]

"""Residents' pages of construction (notice, complaints, satisfaction): /portal/construction/."""

from django.urls import path

from .views import acceptance, portal

app_name = "construction-portal"
urlpatterns = [
    # --- notices ---
    path("notices/<id:pk>/", portal.construction_notice, name="notice"),
    path("notices/<id:pk>/complain/", portal.notice_complain, name="notice-complain"),
    # --- acceptance ---
    path("acceptance/<id:pk>/", acceptance.portal_acceptance, name="acceptance"),
    path(
        "acceptance/<id:pk>/certificate.pdf",
        acceptance.portal_certificate,
        name="acceptance-certificate",
    ),
    # --- sampling ---
    path("satisfaction/", portal.satisfaction_list, name="satisfaction"),
    path("satisfaction/<id:pk>/", portal.satisfaction_answer, name="satisfaction-answer"),
]

"""Staff pages of access, mounted under /workbench/."""

from django.urls import path

from . import views

app_name = "access"
urlpatterns = [
    path(
        "compounds/<str:code>/household-codes/",
        views.code_sheet_form,
        name="code-sheet-form",
    ),
    path("compounds/<str:code>/household-codes.pdf", views.code_sheet, name="code-sheet"),
    path("households/<int:pk>/reveal-phone/", views.reveal_phone, name="reveal-phone"),
]

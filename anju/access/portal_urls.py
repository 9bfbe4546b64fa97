"""The residents' portal, mounted under /portal/."""

from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.portal_home, name="home"),
    path("sign-in/", views.portal_sign_in, name="sign-in"),
    path("c/<str:code>/", views.portal_code, name="code"),
    path("sign-out/", views.portal_sign_out, name="sign-out"),
]

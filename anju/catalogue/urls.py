from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("", views.item_list, name="item-list"),
    path("new/", views.item_edit, name="item-create"),
    path("<id:pk>/", views.item_edit, name="item-edit"),
]

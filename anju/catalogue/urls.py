from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("", views.item_list, name="item-list"),
    path("new/", views.item_edit, name="item-create"),
    path("<id:pk>/", views.item_edit, name="item-edit"),
    # --- price lists ---
    path("prices/", views.price_list_list, name="price-list-list"),
    path("prices/new/", views.price_list_create, name="price-list-create"),
    path("prices/<id:pk>/", views.price_list_detail, name="price-list-detail"),
    path("prices/<id:pk>/entries/", views.price_entry_save, name="price-entry-save"),
    path("prices/<id:pk>/publish/", views.price_list_publish, name="price-list-publish"),
    path("prices/<id:pk>/import/", views.price_list_import, name="price-list-import"),
    path("prices/<id:pk>/template/", views.price_list_template, name="price-list-template"),
]

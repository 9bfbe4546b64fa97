"""Workbench pages of engagement, mounted at /workbench/engagement/."""

from django.urls import path

from . import views

app_name = "engagement"
urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaign-list"),
    path("campaigns/new/", views.campaign_create, name="campaign-create"),
    path("campaigns/<id:pk>/", views.campaign_detail, name="campaign-detail"),
    path("campaigns/<id:pk>/answers/new/", views.campaign_answer, name="campaign-answer"),
    path("campaigns/<id:pk>/forums/new/", views.campaign_forum, name="campaign-forum"),
    path("campaigns/<id:pk>/export/", views.campaign_export, name="campaign-export"),
    path("campaigns/<id:pk>/import/", views.needs_import, name="needs-import"),
    path(
        "campaigns/<id:pk>/import/template/",
        views.needs_import_template,
        name="needs-import-template",
    ),
    path(
        "imports/<uuid:pk>/annotated/",
        views.needs_import_annotated,
        name="needs-import-annotated",
    ),
    path("votes/", views.vote_list, name="vote-list"),
    path("votes/new/", views.vote_create, name="vote-create"),
    path("votes/<id:pk>/", views.vote_detail, name="vote-detail"),
    path("votes/<id:pk>/ballots/new/", views.vote_ballot, name="vote-ballot"),
    path("votes/<id:pk>/tally/", views.vote_tally, name="vote-tally"),
    path("votes/<id:pk>/inputs.csv", views.vote_inputs, name="vote-inputs"),
]

"""Construction's workbench pages, mounted under /workbench/construction/."""

from django.urls import path  # noqa: F401

from .views import sampling

app_name = "construction"
urlpatterns = [
    # --- parties and schedule ---
    # --- notices ---
    # --- inspections ---
    # --- acceptance ---
    # --- sampling ---
    path("projects/<id:pk>/sampling/", sampling.project_sampling, name="sampling"),
    path("projects/<id:pk>/sampling/answers/", sampling.sampling_answer, name="sampling-answer"),
    path("projects/<id:pk>/sampling/close/", sampling.sampling_close, name="sampling-close"),
    path("satisfaction/", sampling.satisfaction_overview, name="satisfaction"),
]

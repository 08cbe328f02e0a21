from django.urls import path

from relance.scenarios import views

app_name = "scenarios"
urlpatterns = [
    path("", views.scenario_list, name="list"),
    path("new/", views.scenario_form, name="create"),
    path("<int:pk>/", views.scenario_detail, name="detail"),
    path("<int:pk>/edit/", views.scenario_form, name="edit"),
    path("<int:pk>/duplicate/", views.scenario_duplicate, name="duplicate"),
    path("<int:pk>/delete/", views.scenario_delete, name="delete"),
    path("<int:scenario_pk>/steps/new/", views.step_form, name="step-create"),
    path("steps/<int:pk>/", views.step_form, name="step-edit"),
    path(
        "steps/<int:pk>/<str:operation>/",
        views.step_operation,
        name="step-operation",
    ),
]

from django.urls import path

from relance.delivery import views

app_name = "delivery"
urlpatterns = [
    path(
        "callbacks/<int:connector_id>/<str:token>/",
        views.status_callback,
        name="callback",
    ),
]

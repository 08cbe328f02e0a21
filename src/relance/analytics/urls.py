from django.urls import path

from relance.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.analytics_index, name="index"),
]

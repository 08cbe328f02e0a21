from django.urls import path

from relance.alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.alert_list, name="list"),
    path("new/", views.alert_form, name="create"),
    path("<int:pk>/", views.alert_detail, name="detail"),
    path("<int:pk>/edit/", views.alert_form, name="edit"),
    path("<int:pk>/delete/", views.alert_delete, name="delete"),
]

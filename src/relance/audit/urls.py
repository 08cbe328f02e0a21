from django.urls import path

from relance.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.AuditLogListView.as_view(), name="list"),
    path("users/<int:pk>/", views.UserHistoryView.as_view(), name="user"),
    path(
        "<slug:app_label>/<slug:model>/<int:pk>/",
        views.ObjectHistoryView.as_view(),
        name="object",
    ),
]

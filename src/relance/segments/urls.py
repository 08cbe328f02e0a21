from django.urls import path

from relance.segments import views

app_name = "segments"
urlpatterns = [
    path("", views.segment_list, name="list"),
    path("new/", views.segment_form, name="create"),
    path("count/", views.segment_count, name="count"),
    path("recompute/", views.segment_recompute, name="recompute"),
    path("<int:pk>/", views.segment_form, name="edit"),
    path("<int:pk>/delete/", views.segment_delete, name="delete"),
]

from django.urls import path

from relance.ledger import import_views

urlpatterns = [
    path("imports/", import_views.import_list, name="import-list"),
    path("imports/new/", import_views.import_new, name="import-new"),
    path("imports/<int:pk>/", import_views.import_detail, name="import-detail"),
    path("imports/<int:pk>/columns/", import_views.import_columns_view, name="import-columns"),
    path("imports/<int:pk>/progress/", import_views.import_progress_view, name="import-progress"),
    path("imports/<int:pk>/confirm/", import_views.import_confirm, name="import-confirm"),
]

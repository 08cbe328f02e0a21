from django.urls import path

from relance.banking import views

app_name = "banking"

urlpatterns = [
    path("statements/", views.statement_list, name="statement-list"),
    path("statements/new/", views.statement_new, name="statement-new"),
    path("statements/<int:pk>/", views.statement_detail, name="statement-detail"),
    path("uploads/<int:pk>/", views.upload_detail, name="upload-detail"),
    path("uploads/<int:pk>/progress/", views.upload_progress_view, name="upload-progress"),
    path("lines/<int:pk>/allocate/", views.line_allocate_view, name="line-allocate"),
    path("lines/<int:pk>/customers/", views.line_customers, name="line-customers"),
    path("lines/<int:pk>/items/", views.line_items, name="line-items"),
]

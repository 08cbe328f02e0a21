from django.urls import path

from relance.templating import views

app_name = "templating"
urlpatterns = [
    path("", views.template_list, name="list"),
    path("new/<str:channel>/", views.template_new, name="new"),
    path("sms-length/", views.sms_length_view, name="sms-length"),
    path("<int:pk>/", views.template_detail, name="detail"),
    path("<int:pk>/edit/", views.template_edit, name="edit"),
    path("<int:pk>/delete/", views.template_delete_view, name="delete"),
    path("<int:pk>/preview/", views.template_preview, name="preview"),
    path("<int:pk>/preview/customers/", views.preview_customer_search, name="preview-customers"),
    path("<int:pk>/preview.pdf", views.template_preview_pdf, name="preview-pdf"),
]

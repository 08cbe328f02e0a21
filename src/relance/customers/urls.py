from django.urls import path

from relance.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.CustomerListView.as_view(), name="list"),
    path("<int:pk>/", views.customer_detail, name="detail"),
    path("<int:pk>/credit-cover/", views.credit_cover_edit, name="credit-cover"),
    path("<int:pk>/contacts/new/", views.contact_edit, name="contact-add"),
    path("<int:pk>/contacts/<int:contact_pk>/", views.contact_edit, name="contact-edit"),
]

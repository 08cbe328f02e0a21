from django.urls import path

from relance.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.CustomerListView.as_view(), name="list"),
    path("<int:pk>/", views.customer_detail, name="detail"),
]

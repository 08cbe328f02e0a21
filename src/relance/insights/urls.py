from django.urls import path

from relance.insights import urls_behaviour, views

app_name = "insights"
urlpatterns = [
    path("", views.insights_dashboard, name="dashboard"),
    path("customers/", views.insights_customers, name="customers"),
    path("customers/items/", views.insights_customer_items, name="customer-items"),
    *urls_behaviour.urlpatterns,
]

"""The URL patterns of the behaviour, steps and forecast pages, included by insights/urls.py."""

from django.urls import path

from relance.insights import views_behaviour as views

urlpatterns = [
    path("steps/", views.step_effectiveness_page, name="steps"),
    path("forecast/", views.forecast_page, name="forecast"),
    path("forecast/items/", views.forecast_items_page, name="forecast-items"),
    path(
        "customers/<int:pk>/behaviour/",
        views.customer_behaviour_card,
        name="customer-behaviour",
    ),
]

from django.urls import path

from relance.portal import views

app_name = "portal"

urlpatterns = [
    # Users' side (login required), before the token patterns.
    path("customers/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("<str:token>/", views.page, name="page"),
    path("<str:token>/answer/<slug:kind>/", views.answer, name="answer"),
    path("<str:token>/statement.pdf", views.statement, name="statement"),
    path("<str:token>/items/<int:item_id>.pdf", views.invoice_pdf, name="item-pdf"),
    path("<str:token>/new-link/", views.resend, name="resend"),
    path("<str:token>/pay/", views.checkout, name="checkout"),
]

from django.urls import path

from relance.inbound import views

app_name = "inbound"
urlpatterns = [
    path("unassigned/", views.UnassignedListView.as_view(), name="unassigned"),
    path("emails/<int:pk>/", views.email_detail, name="email-detail"),
    path("emails/<int:pk>/message.eml", views.email_raw, name="email-raw"),
    path("emails/<int:pk>/customers/", views.customer_choices, name="email-customers"),
    path("emails/<int:pk>/assign/", views.email_assign, name="email-assign"),
    path("emails/<int:pk>/ignore/", views.email_ignore, name="email-ignore"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("contacts/<int:pk>/revalidate/", views.contact_revalidate, name="contact-revalidate"),
]

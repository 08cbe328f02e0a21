from django.urls import path

from relance.assistant import views

app_name = "assistant"
urlpatterns = [
    path("responses/<int:pk>/proposal/", views.proposal_panel, name="proposal"),
    path("responses/<int:pk>/proposal/accept/", views.proposal_accept, name="proposal-accept"),
    path("responses/<int:pk>/proposal/correct/", views.proposal_correct, name="proposal-correct"),
    path("responses/<int:pk>/proposal/dismiss/", views.proposal_dismiss, name="proposal-dismiss"),
]

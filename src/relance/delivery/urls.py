from django.urls import path

from relance.delivery import letter_views, views

app_name = "delivery"
urlpatterns = [
    path(
        "callbacks/<int:connector_id>/<str:token>/",
        views.status_callback,
        name="callback",
    ),
    path("letters/hand-over/", letter_views.letters_hand_over, name="letters-hand-over"),
    path("actions/<int:pk>/ereg/", letter_views.action_ereg_send, name="action-ereg-send"),
    path("proofs/<int:pk>/", letter_views.proof_download, name="proof-download"),
]

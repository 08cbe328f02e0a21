from django.urls import path
from django.views.generic import RedirectView

from relance.agenda import response_views, views, workbench_views
from relance.agenda.choices import AgendaTab

app_name = "agenda"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="agenda:manual"), name="index"),
    path("manual/", views.AgendaView.as_view(tab=AgendaTab.MANUAL), name="manual"),
    path("automatic/", views.AgendaView.as_view(tab=AgendaTab.AUTOMATIC), name="automatic"),
    path("history/", views.AgendaView.as_view(tab=AgendaTab.HISTORY), name="history"),
    path("responses/", response_views.ResponseListView.as_view(), name="responses"),
    path("responses/<int:pk>/", response_views.response_detail, name="response-detail"),
    path(
        "responses/<int:pk>/file/",
        response_views.response_attachment,
        name="response-attachment",
    ),
    path("responses/<int:pk>/handle/", response_views.response_handle, name="response-handle"),
    path("responses/<int:pk>/answer/", response_views.response_answer, name="response-answer"),
    path(
        "responses/<int:pk>/contact/accept/",
        response_views.response_contact_accept,
        name="response-contact-accept",
    ),
    path(
        "responses/<int:pk>/contact/reject/",
        response_views.response_contact_reject,
        name="response-contact-reject",
    ),
    path("responses/<int:pk>/undo/", response_views.response_undo, name="response-undo"),
    path("customers/<int:pk>/comment/", response_views.customer_comment, name="customer-comment"),
    path(
        "customers/<int:pk>/workbench/",
        workbench_views.customer_workbench,
        name="customer-workbench",
    ),
    path("customers/<int:pk>/hold/", workbench_views.customer_hold, name="customer-hold"),
    path("customers/<int:pk>/release/", workbench_views.customer_release, name="customer-release"),
    path(
        "customers/<int:pk>/scenario/",
        workbench_views.customer_scenario,
        name="customer-scenario",
    ),
    path("customers/<int:pk>/message/", workbench_views.customer_message, name="customer-message"),
    path("customers/<int:pk>/items/", workbench_views.customer_items, name="customer-items"),
    path(
        "customers/<int:pk>/actions/<int:action_pk>/<slug:operation>/",
        workbench_views.customer_action,
        name="customer-action",
    ),
    path("items/<int:pk>/", workbench_views.item_detail, name="item-detail"),
    path("errors/", views.engine_errors, name="errors"),
    path("reset/", views.agenda_reset, name="reset"),
    path("confirm/", views.action_confirm_many, name="confirm-many"),
    path("letters.pdf", views.actions_letters_pdf, name="letters-pdf"),
    path("letters/done/", views.actions_letters_done, name="letters-done"),
    path("customers/<int:pk>/timeline/", views.customer_timeline, name="customer-timeline"),
    path("actions/<int:pk>/", views.action_detail, name="action-detail"),
    path("actions/<int:pk>/letter.pdf", views.action_pdf, name="action-pdf"),
    path("actions/<int:pk>/complete/", views.action_complete, name="action-complete"),
    path("actions/<int:pk>/send/", views.action_send, name="action-send"),
    path("actions/<int:pk>/skip/", views.action_skip, name="action-skip"),
    path("actions/<int:pk>/reschedule/", views.action_reschedule, name="action-reschedule"),
    path("actions/<int:pk>/reassign/", views.action_reassign, name="action-reassign"),
    path("actions/<int:pk>/call/", views.action_call_outcome, name="action-call-outcome"),
    path("actions/<int:pk>/confirm/", views.action_confirm, name="action-confirm"),
    path("actions/<int:pk>/retry/", views.action_retry, name="action-retry"),
]

from django.urls import path

from relance.ledger import views
from relance.ledger.import_urls import urlpatterns as import_urlpatterns

app_name = "ledger"
urlpatterns = [
    path("items/", views.ItemListView.as_view(), name="item-list"),
]
# The import pages (import-list, import-new, import-detail, import-progress, import-confirm).
urlpatterns += import_urlpatterns

from relance.insights import urls_behaviour

app_name = "insights"

urlpatterns = [*urls_behaviour.urlpatterns]

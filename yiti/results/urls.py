from yiti.results.views import registry

app_name = "results"
urlpatterns = registry.urls()

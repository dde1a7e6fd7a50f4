from yiti.orgs.views import registry

app_name = "orgs"
urlpatterns = registry.urls()

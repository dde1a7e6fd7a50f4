from yiti.needs.views import registry

app_name = "needs"
urlpatterns = registry.urls()

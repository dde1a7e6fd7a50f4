from yiti.talents.views import registry

app_name = "talents"
urlpatterns = registry.urls()

from yiti.platforms.views import registry

app_name = "platforms"
urlpatterns = registry.urls()

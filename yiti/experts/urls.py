from yiti.experts.views import registry

app_name = "experts"
urlpatterns = registry.urls()

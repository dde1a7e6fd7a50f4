from yiti.agreements.views import registry

app_name = "agreements"
urlpatterns = registry.urls()

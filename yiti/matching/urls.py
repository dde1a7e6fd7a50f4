"""/matching/…: the pages of matching that belong to no single record (lists, 我的对接, search, the index)."""

app_name = "matching"
urlpatterns: list = []

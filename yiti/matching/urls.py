"""/matching/…: the pages of matching that belong to no single record (lists, 我的对接, search, the index)."""

from django.urls import path

from yiti.matching import index_views

app_name = "matching"
urlpatterns: list = [
    path("index/", index_views.index_status, name="index_status"),
    path("index/rebuild/", index_views.index_rebuild, name="index_rebuild"),
]

"""/matching/…: the pages of matching that belong to no single record (lists, 我的对接, search, the index).

The recommendation panels of a record live under the record's registry (/needs/12/recommendations/, mounted by
`yiti.matching.panels.panel_urls` through `extensions.add_urls`), in the registry's namespace."""

from django.urls import path

from yiti.matching import recommend_views

app_name = "matching"
urlpatterns: list = [
    path("search/", recommend_views.search, name="search"),
    path("feedback/", recommend_views.feedback_reasons, name="reasons"),
]

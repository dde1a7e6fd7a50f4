"""/matching/…: the pages of matching that belong to no single record (lists, 我的对接, search, the index).

The recommendation panels of a record live under the record's registry (/needs/12/recommendations/, mounted by
`yiti.matching.panels.panel_urls` through `extensions.add_urls`), in the registry's namespace."""

from django.urls import path

from yiti.matching import coverage_views, index_views, list_views, recommend_views

app_name = "matching"
urlpatterns: list = [
    path("search/", recommend_views.search, name="search"),
    path("feedback/", recommend_views.feedback_reasons, name="reasons"),
    # matching lists (对接清单): run, review, publish, follow-up, funnel, export — yiti/matching/list_views.py
    path("lists/", list_views.index, name="lists"),
    path("lists/new/", list_views.new_run, name="list_new"),
    path("lists/new-by-hand/", list_views.new_by_hand, name="list_new_by_hand"),
    path("lists/adopt/", list_views.adopt, name="list_adopt"),
    path("lists/runs/<int:pk>/", list_views.run_page, name="run"),
    path("lists/<int:pk>/", list_views.list_detail, name="list_detail"),
    path("lists/<int:pk>/add/", list_views.list_add, name="list_add"),
    path("lists/<int:pk>/publish/", list_views.list_publish, name="list_publish"),
    path("lists/<int:pk>/export/", list_views.list_export, name="list_export"),
    path("items/", list_views.items, name="items"),
    path("items/<int:pk>/", list_views.item_detail, name="item_detail"),
    path("items/<int:pk>/review/", list_views.item_review, name="item_review"),
    path("items/<int:pk>/contact/", list_views.item_contact, name="item_contact"),
    path("items/<int:pk>/stage/", list_views.item_stage, name="item_stage"),
    path("items/<int:pk>/sign/", list_views.item_sign, name="item_sign"),
    path("items/<int:pk>/follow-up/", list_views.item_follow_up, name="item_follow_up"),
    path("items/<int:pk>/answer/", list_views.item_answer, name="item_answer"),
    path("mine/", list_views.mine, name="mine"),
    path("overdue/", list_views.overdue, name="overdue"),
    path("funnel/", list_views.funnel, name="funnel"),
    path("index/", index_views.index_status, name="index_status"),
    path("index/rebuild/", index_views.index_rebuild, name="index_rebuild"),
    # §4 commissioner coverage (科技特派员全覆盖)
    path("coverage/", coverage_views.index, name="coverage"),
    path("coverage/new/", coverage_views.new_run, name="coverage_new"),
    path("coverage/<int:pk>/", coverage_views.run_page, name="coverage_run"),
    path("coverage/<int:pk>/resolve/", coverage_views.resolve, name="coverage_resolve"),
    path("coverage/<int:pk>/publish/", coverage_views.publish, name="coverage_publish"),
    path("coverage/line/<int:pk>/lock/", coverage_views.lock, name="coverage_line_lock"),
    path("coverage/line/<int:pk>/remove/", coverage_views.remove, name="coverage_line_remove"),
    path("coverage/line/<int:pk>/swap/", coverage_views.swap, name="coverage_line_swap"),
]

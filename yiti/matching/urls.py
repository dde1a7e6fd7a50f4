"""/matching/…: the pages of matching that belong to no single record (lists, 我的对接, search, the index)."""

from django.urls import path

from yiti.matching import coverage_views

app_name = "matching"
urlpatterns: list = [
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

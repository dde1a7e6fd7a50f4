"""/supervision/todo/, /supervision/rollups/ …: supervision's pages that are not the Task registry's.

Mounted in yiti/urls.py after the registries (so /supervision/<pk>/ … stay the registry's), in their own
namespace `supervise` — the registry's namespace `supervision` is built by core from its declaration."""

from django.urls import path

from yiti.supervision import notify_views

app_name = "supervise"
urlpatterns = [
    path("todo/", notify_views.todo, name="todo"),
    path("bell/", notify_views.bell, name="bell"),
    path("notifications/<int:pk>/read/", notify_views.read, name="read"),
    path("notifications/read-all/", notify_views.read_all, name="read_all"),
    path("remind/<int:pk>/", notify_views.remind, name="remind"),
    path("rollups/", notify_views.rollup_page, name="rollups"),
]

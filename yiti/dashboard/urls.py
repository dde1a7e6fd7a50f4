"""/dashboard/…: the leaders' view (the indicator ledger's pages: yiti/dashboard/ledger_views.py)."""

from django.urls import path

from yiti.dashboard import ledger_views

app_name = "dashboard"
urlpatterns: list = [
    path("ledger/", ledger_views.ledger_page, name="ledger"),
    path("ledger/targets/", ledger_views.targets_page, name="targets"),
    path("ledger/targets/template/", ledger_views.targets_template, name="targets_template"),
    path("ledger/targets/import/", ledger_views.targets_import, name="targets_import"),
    path("ledger/snapshots/", ledger_views.snapshot_list, name="snapshots"),
    path("ledger/snapshots/take/", ledger_views.snapshot_take, name="snapshot_take"),
    path("ledger/snapshots/<int:pk>/", ledger_views.snapshot_changes, name="snapshot_changes"),
    path("ledger/<str:code>/", ledger_views.drill_down, name="drill_down"),
    path("ledger/<str:code>/export/", ledger_views.drill_down_export, name="drill_down_export"),
    path("ledger/<str:code>/by/<str:name>/", ledger_views.by_dimension, name="by_dimension"),
]

"""The dashboards' URLs (namespace "dashui"): the charts' JSON and Excel, and the 数据大屏. The home page itself
is "" in yiti/urls.py; the ledger's pages (drill-down, targets) have their own URLs."""

from django.urls import path

from yiti.dashboard import charts, screen

app_name = "dashui"
urlpatterns = [
    path("dashboard/charts/<str:chart>/", charts.chart_json, name="chart_json"),
    path("dashboard/charts/<str:chart>/xlsx/", charts.chart_xlsx, name="chart_xlsx"),
    path("screen/", screen.screen, name="screen"),
    path("screen/data/", screen.screen_data, name="screen_data"),
    path("screen/map/", screen.screen_map, name="screen_map"),
]

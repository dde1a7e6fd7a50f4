"""/reports/…: work reports (工作报告) and their templates — yiti/dashboard/report_views.py."""

from django.urls import path

from yiti.dashboard import report_views

app_name = "reports"
urlpatterns: list = [
    path("", report_views.index, name="index"),
    path("new/", report_views.new, name="new"),
    path("<int:pk>/", report_views.report_page, name="report"),
    path("<int:pk>/<str:kind>/", report_views.download, name="download"),
    path("templates/", report_views.templates, name="templates"),
    path("templates/default/", report_views.default_template, name="default_template"),
    path("templates/<int:pk>/", report_views.template_download, name="template_download"),
    path("templates/<int:pk>/activate/", report_views.template_activate, name="template_activate"),
]

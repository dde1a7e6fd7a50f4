from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from yiti.accounts import audit
from yiti.accounts import views as account_views
from yiti.core import lookups
from yiti.core.api import api_urls
from yiti.core.registry import registry_urls
from yiti.dashboard import home as dashboard_home

urlpatterns = [
    path("", dashboard_home.home, name="home"),  # the dashboard by role; the count cards for other roles
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("lookup/<str:model_label>/", lookups.lookup, name="lookup"),
    path("security/", include("yiti.security.urls")),
    path("audit/", audit.record_changes, name="audit_changes"),
    path("audit/reveals/", audit.reveals, name="audit_reveals"),
    path("audit/logins/", audit.logins, name="audit_logins"),
    path("reveal/<str:model_label>/<int:pk>/<str:field>/", account_views.reveal, name="reveal"),
    *registry_urls(),  # /orgs/, /talents/ …: one per declared registry (yiti.core.registry)
    path("imports/", include("yiti.imports.job_urls")),
    path("matching/", include("yiti.matching.urls")),
    path("dashboard/", include("yiti.dashboard.urls")),
    path("supervision/", include("yiti.supervision.notify_urls")),  # 我的待办, 督办汇总 (after the registry's /supervision/)
    path("reports/", include("yiti.dashboard.report_urls")),
    path("api/", api_urls()),
    path("admin/", admin.site.urls),
    path("", include("yiti.dashboard.ui_urls")),  # /dashboard/charts/…, /screen/
]

# A write that waited out SQLite's busy timeout behind a large import gets "please retry" (503), not a 500.
handler500 = "yiti.core.views.server_error"
handler400 = "yiti.core.views.bad_request"  # a session save that met the busy database

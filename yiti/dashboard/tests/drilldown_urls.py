"""The project's URLs plus a stand-in for the ledger's drill-down page (`dashboard:drilldown`), so that the
charts' click-through links can be checked before the ledger's page is merged."""

from django.http import HttpResponse
from django.urls import include, path

from yiti.urls import urlpatterns as project

drilldown = ([path("drilldown/", lambda request: HttpResponse("drilldown"), name="drilldown")], "dashboard")
urlpatterns = [*project, path("dashboard/", include(drilldown))]

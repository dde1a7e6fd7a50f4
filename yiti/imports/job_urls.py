from django.urls import path

from yiti.imports import referrals, suggestions, views

app_name = "imports"
urlpatterns = [
    path("<int:pk>/", views.job_page, name="job"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/organisations/", views.choose_organisations, name="choose_organisations"),
    path("<int:pk>/restart/", views.restart, name="restart"),
    path("cross-scope/", referrals.referral_list, name="referrals"),
    path("cross-scope/<int:pk>/", referrals.resolve, name="referral_resolve"),
    path("<int:pk>/errors/", views.error_rows, name="errors"),
    path("suggestions/<int:pk>/", suggestions.job_page, name="suggestions"),
    path("suggestions/<int:pk>/apply/", suggestions.apply, name="suggestions_apply"),
    path("suggestions/<int:pk>/sheet/", suggestions.sheet, name="suggestions_sheet"),
]

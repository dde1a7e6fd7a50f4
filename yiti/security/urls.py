from django.urls import path

from yiti.security import views

app_name = "security"

urlpatterns = [
    path("password/", views.PasswordChange.as_view(), name="password_change"),
    path("otp/", views.otp_verify, name="otp_verify"),
    path("otp/setup/", views.otp_setup, name="otp_setup"),
]

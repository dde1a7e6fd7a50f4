"""Authentication events, password history and per-account password state (graded protection level 3)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuthEvent(models.Model):
    """One authentication event: who (or which user name was tried), what, when, from where.

    Written from Django's login/logout/failed-login signals, axes' lockout signal and the
    password-change and second-factor views. Never edited: the auditor reads it.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("Logged in")
        LOGOUT = "logout", _("Logged out")
        LOGIN_FAILED = "login_failed", _("Login failed")
        LOCKED_OUT = "locked_out", _("Locked out")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        OTP_FAILED = "otp_failed", _("Wrong verification code")
        SESSION_TIMEOUT = "session_timeout", _("Session timed out")
        ACCESS_DENIED = "access_denied", _("Access denied")
        CSRF_FAILED = "csrf_failed", _("Forged or expired form")

    timestamp = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    event = models.CharField(_("event"), max_length=20, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="auth_events",
    )
    # The user name as typed (a failed login may name no existing account), kept if the account goes.
    username = models.CharField(_("user name"), max_length=150, blank=True, db_index=True)
    remote_addr = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True, help_text=_("What was attempted, e.g. the address."))

    class Meta:
        verbose_name = _("authentication event")
        verbose_name_plural = _("authentication events")
        ordering = ["-timestamp", "-id"]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M:%S} {self.username} {self.get_event_display()}"


class AccountSecurity(models.Model):
    """When the account's password was last set, and whether its owner must change it at next login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), primary_key=True, on_delete=models.CASCADE,
        related_name="account_security",
    )
    password_changed_at = models.DateTimeField(_("password changed"), default=timezone.now)
    must_change_password = models.BooleanField(
        _("must change password"), default=False,
        help_text=_("The user is sent to the password-change page after the next login until they change it."),
    )

    class Meta:
        verbose_name = _("account password state")
        verbose_name_plural = _("account password states")

    def __str__(self) -> str:
        return str(self.user)


class PasswordHistory(models.Model):
    """The hash of a password an account has had; the last few may not be used again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="password_history"
    )
    password_hash = models.CharField(_("password hash"), max_length=256)
    created_at = models.DateTimeField(_("set at"), default=timezone.now)

    class Meta:
        verbose_name = _("password history entry")
        verbose_name_plural = _("password history")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"

"""Authentication events, password history and per-account password state (graded protection level 3)."""

from typing import Any

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
        API_KEY_REFUSED = "api_key_refused", _("API key refused")

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


class ApiKey(models.Model):
    """A key another system (the province's talent platform, 一网通办 …) calls the API with, instead of a session.

    Issued by the security administrator; only a hash is stored (the key is shown once, when it is made). The key
    reads and writes as its account — that account's role, data scope and masking — and only on the registries and
    actions of its grants; it stops at its expiry or when revoked, and is held to a number of calls a minute.
    """

    name = models.CharField(_("system"), max_length=100, help_text=_("The system that calls with this key, e.g. "
                                                                      "省人才服务平台."))
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("acts as account"), on_delete=models.PROTECT, related_name="api_keys",
        help_text=_("The key sees and changes what this account may: its role, data scope and masking. Use an account "
                    "made for the system, not a person's."),
    )
    prefix = models.CharField(_("key prefix"), max_length=16, unique=True, editable=False,
                              help_text=_("The start of the key, to tell keys apart; the rest is not stored."))
    key_hash = models.CharField(_("key hash"), max_length=64, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    rate_limit = models.PositiveIntegerField(_("calls per minute"), default=60)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   editable=False, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("revoked by"), null=True, blank=True,
                                   editable=False, on_delete=models.SET_NULL, related_name="+")
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    last_used_from = models.GenericIPAddressField(_("last used from"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    def state(self, now: Any = None) -> str:
        """Why the key works or not, in words."""
        if self.revoked_at is not None:
            return str(_("Revoked"))
        if self.expires_at <= (now or timezone.now()):
            return str(_("Expired"))
        return str(_("In use"))


class ApiKeyGrant(models.Model):
    """One registry an API key may call, and how."""

    key = models.ForeignKey(ApiKey, verbose_name=_("API key"), on_delete=models.CASCADE, related_name="grants")
    content_type = models.ForeignKey("contenttypes.ContentType", verbose_name=_("record type"),
                                     on_delete=models.CASCADE, related_name="+")
    may_view = models.BooleanField(_("view"), default=True)
    may_add = models.BooleanField(_("create"), default=False)
    may_change = models.BooleanField(_("change"), default=False)

    class Meta:
        verbose_name = _("API key grant")
        verbose_name_plural = _("API key grants")
        constraints = [models.UniqueConstraint(fields=["key", "content_type"], name="api_key_grant_unique")]

    def __str__(self) -> str:
        return f"{self.key} {self.content_type}"

    def actions(self) -> set[str]:
        return {action for action, held in (("view", self.may_view), ("add", self.may_add),
                                            ("change", self.may_change)) if held}


class ApiCall(models.Model):
    """One call to the API with a key (or with something presented as one): the auditor's trail of what other systems
    did. Never edited."""

    timestamp = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    key = models.ForeignKey(ApiKey, verbose_name=_("API key"), null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="calls")
    key_prefix = models.CharField(_("key prefix"), max_length=16, blank=True, db_index=True)
    account = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("address"), max_length=300)
    status = models.PositiveSmallIntegerField(_("status"))
    remote_addr = models.GenericIPAddressField(_("address"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("milliseconds"), default=0)

    class Meta:
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")
        ordering = ["-timestamp", "-id"]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M:%S} {self.method} {self.path} {self.status}"

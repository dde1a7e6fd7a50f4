"""Permissions of the three administrator roles, from the role itself rather than hand-set flags.

Graded protection asks that the system administrator, the security administrator and the
auditor hold separate powers: the first manages accounts but cannot read the audit log, the
second manages roles, grants and lockouts, the third reads the audit log and changes nothing.
"""

from typing import Any

from django.contrib.auth.backends import ModelBackend

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "sysadmin": frozenset({
        "accounts.view_user", "accounts.add_user", "accounts.change_user",
        "accounts.view_department", "accounts.add_department", "accounts.change_department",
        "accounts.delete_department",
    }),
    "secadmin": frozenset({
        "accounts.view_user", "accounts.change_user",
        "accounts.view_objectgrant", "accounts.add_objectgrant", "accounts.change_objectgrant",
        "accounts.delete_objectgrant",
        "axes.view_accessattempt", "axes.delete_accessattempt", "axes.view_accesslog",
        # a lost phone: remove the device so that its owner enrols again
        "otp_totp.view_totpdevice", "otp_totp.delete_totpdevice",
        "security.view_accountsecurity", "security.change_accountsecurity",
        # keys for other systems' calls to the API: issued, limited and revoked here, never deleted (the trail)
        "security.view_apikey", "security.add_apikey", "security.change_apikey",
        "security.view_apikeygrant", "security.add_apikeygrant", "security.change_apikeygrant",
        "security.delete_apikeygrant",
    }),
    "auditor": frozenset({
        "auditlog.view_logentry", "accounts.view_revealevent", "security.view_authevent", "security.view_apicall",
        "security.view_apikey",
    }),
}
ADMIN_ROLES = frozenset(ROLE_PERMISSIONS)


def role_permissions(user: Any) -> frozenset[str]:
    if not user.is_active or user.is_anonymous:
        return frozenset()
    return ROLE_PERMISSIONS.get(getattr(user, "role", ""), frozenset())


class RoleBackend(ModelBackend):
    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return {*super().get_all_permissions(user_obj, obj), *role_permissions(user_obj)}

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return perm in role_permissions(user_obj) or super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return any(p.startswith(f"{app_label}.") for p in role_permissions(user_obj)) or super().has_module_perms(
            user_obj, app_label
        )

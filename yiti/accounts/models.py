from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from yiti.core.models import Division


class DepartmentKind(models.TextChoices):
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    OFFICE = "office", _("Office")


class Department(models.Model):
    """A node of the department tree: city → county → office (科技局, 人才办 …)."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=DepartmentKind.choices)
    parent = models.ForeignKey("self", verbose_name=_("parent department"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    division = models.ForeignKey(Division, verbose_name=_("division"), on_delete=models.PROTECT, related_name="+",
                                 help_text=_("The city or county whose records this department keeps."))

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["division__code", "name"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="department_unique_name")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """The three-role separation of graded protection, plus the platform's working roles."""

    SYSADMIN = "sysadmin", _("System administrator")
    SECADMIN = "secadmin", _("Security administrator")
    AUDITOR = "auditor", _("Auditor")
    STAFF = "staff", _("Office staff")
    ORG_CONTACT = "org_contact", _("Organisation contact")
    LEADER = "leader", _("Leader")


class Scope(models.TextChoices):
    DEPARTMENT = "department", _("Own department")
    COUNTY = "county", _("Own county")
    CITY = "city", _("Whole city")


class PeopleManager(UserManager):
    """Users come with their department and organisation: a person is shown as "name（department）"
    (`User.__str__`), and a select of users (a talent's liaison) must not query once per option."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().select_related("department", "organisation")


class User(AbstractUser):
    """A platform account with a role and, for office staff, a data scope."""

    # The stubs declare `objects` a ClassVar of UserManager; this is one.
    objects = PeopleManager()  # type: ignore[misc]

    # No role until an administrator gives one: a new account sees nothing.
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True, default="")
    scope = models.CharField(_("data scope"), max_length=20, choices=Scope.choices, default=Scope.DEPARTMENT)
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="users")
    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("organisation"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="accounts",
                                     help_text=_("For organisation contacts: the university or enterprise they speak for."))
    may_reveal_personal_data = models.BooleanField(
        _("may reveal personal data"), default=False,
        help_text=_("Sees unmasked phone, ID number and e-mail after a logged click."),
    )

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]
        verbose_name = _("user")  # type: ignore[assignment]
        verbose_name_plural = _("users")  # type: ignore[assignment]

    def __str__(self) -> str:
        """How a person appears as 创建人/登记人/操作人: "张三（榆次区科技局）"; the login name only
        when no name is set. (Select `department` and `organisation` with the user in lists; `User.objects`
        does.)"""
        name = self.display_name
        if name == self.username:
            return name
        unit = self.department if self.department_id else self.organisation if self.organisation_id else None
        return f"{name}（{unit}）" if unit else name

    @property
    def display_name(self) -> str:
        """The person's name (family name first), or the login name when none is set."""
        return f"{self.last_name}{self.first_name}".strip() or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        from yiti.accounts.backends import ADMIN_ROLES

        # The administrator roles work in Django's admin; nobody else needs it.
        self.is_staff = self.is_superuser or self.role in ADMIN_ROLES
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.role == Role.ORG_CONTACT and not self.organisation_id:
            raise ValidationError({"organisation": _("An organisation contact needs the organisation they speak for.")})
        if self.role == Role.STAFF and self.scope != Scope.CITY and not self.department_id:
            raise ValidationError({"department": _("Office staff with a department or county scope need a department.")})


class ObjectGrant(models.Model):
    """An exception to the scope rules: these users may do these actions on the records matching the constraints.

    The constraints are field lookups on the model, e.g. {"division__code__startswith": "140702"} or
    {"pk__in": [12, 15]} — NetBox's object permissions are the model for this.
    """

    name = models.CharField(_("name"), max_length=100)
    users = models.ManyToManyField(User, verbose_name=_("users"), related_name="grants")
    content_type = models.ForeignKey(ContentType, verbose_name=_("record type"), on_delete=models.CASCADE)
    actions = models.CharField(_("actions"), max_length=50, help_text=_("Comma-separated: view, add, change, delete"))
    constraints = models.JSONField(_("constraints"), default=dict, blank=True)

    class Meta:
        verbose_name = _("object grant")
        verbose_name_plural = _("object grants")

    def __str__(self) -> str:
        return self.name

    def action_list(self) -> list[str]:
        return [a.strip() for a in self.actions.split(",") if a.strip()]

    def clean(self) -> None:
        from yiti.core.access import ACTIONS

        bad = [a for a in self.action_list() if a not in ACTIONS]
        if bad:
            raise ValidationError({"actions": _("Unknown actions: %(bad)s") % {"bad": ", ".join(bad)}})
        if not isinstance(self.constraints, dict):
            raise ValidationError({"constraints": _("Constraints are an object of field lookups.")})
        model = self.content_type.model_class() if self.content_type_id else None
        for lookup in self.constraints:
            field_name = lookup.split("__")[0]
            try:
                if model is not None and field_name != "pk":
                    model._meta.get_field(field_name)
            except FieldDoesNotExist:
                raise ValidationError(
                    {"constraints": _("%(field)s is not a field of this record type.") % {"field": field_name}}
                ) from None


class RevealEvent(models.Model):
    """Somebody looked at unmasked personal data: who, whose, which field, when, from where."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, verbose_name=_("record type"), on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(_("record id"))
    object_repr = models.CharField(_("record"), max_length=200)
    field = models.CharField(_("field"), max_length=50)
    remote_addr = models.GenericIPAddressField(_("address"), null=True, blank=True)
    timestamp = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("reveal of personal data")
        verbose_name_plural = _("reveals of personal data")
        ordering = ["-timestamp"]

    def __str__(self) -> str:
        return f"{self.user} → {self.object_repr}.{self.field}"

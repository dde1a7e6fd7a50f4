
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiti.core.fields import BlindIndexField, EncryptedCharField, blind_index_for, with_blind_indexes
from yiti.core.history import track
from yiti.core.models import BaseModel, Discipline, Division, Industry
from yiti.core.validators import clean_id_number, clean_mobile, not_in_future
from yiti.orgs.models import Organisation
from yiti.talents.choices import TITLE_LEVEL_CHOICES, Category, ContactChannel, Degree, Gender, Population


class Programme(models.Model):
    """A talent programme (人才计划), e.g. 三晋英才; kept in sync with the package code table."""

    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=20)

    class Meta:
        verbose_name = _("talent programme")
        verbose_name_plural = _("talent programmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Talent(BaseModel):
    """A person in the talent database (人才库)."""

    search_fields = ("name", "expertise", "position")
    name = models.CharField(_("full name"), max_length=50, db_index=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    # Encrypted at rest; the keyed hashes find a number without storing it (docs/personal-data.md).
    id_number = EncryptedCharField(_("resident ID number"), max_length=18, null=True, blank=True)
    id_number_hash = BlindIndexField(source="id_number", unique=True)
    mobile = EncryptedCharField(_("mobile number"), max_length=11, blank=True)
    mobile_hash = BlindIndexField(source="mobile", db_index=True)
    email = models.EmailField(_("e-mail"), blank=True)
    population = models.CharField(_("population"), max_length=20, choices=Population.choices, db_index=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    division = models.ForeignKey(
        Division, verbose_name=_("managing division"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    hometown = models.ForeignKey(
        Division, verbose_name=_("hometown"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("liaison"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    degree = models.CharField(_("highest degree"), max_length=20, choices=Degree.choices, blank=True)
    title_level = models.CharField(_("title level"), max_length=20, choices=TITLE_LEVEL_CHOICES, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="talents",
    )
    position = models.CharField(_("position"), max_length=100, blank=True)
    discipline = models.ForeignKey(
        Discipline, verbose_name=_("discipline"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("industry field"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    expertise = models.CharField(_("expertise keywords"), max_length=300, blank=True)
    # 回国/返乡日期 of a returned overseas or home-coming talent: it happened, so never after today.
    returned_on = models.DateField(_("return date"), null=True, blank=True, validators=[not_in_future])
    programmes = models.ManyToManyField(Programme, verbose_name=_("talent programmes"), blank=True)
    consent_to_recommend = models.BooleanField(_("consents to be recommended"), default=False)
    # 不公开 when False: an expert's public profile then stays in the county's scope (docs/access.md).
    profile_public = models.BooleanField(
        _("public expert profile"), default=True, db_index=True,
        help_text=_("Untick (not public) to keep this expert's profile out of the city-wide pool."))
    # Whether the talent is in the city-wide pool (an active expert role and a public profile): derived, kept by the
    # database's triggers (yiti/experts/pool.py) on every write; restrict() reads it as one indexed column.
    in_pool = models.BooleanField(_("in the city-wide pool"), default=False, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    lookup_search_fields = ("name",)
    lookup_select_related = ("organisation", "division")

    class Meta:
        verbose_name = _("talent")
        verbose_name_plural = _("talents")
        ordering = ["-id"]
        permissions = [("reveal_personal_data", _("Can see unmasked phone, ID number and e-mail"))]
        indexes = [
            # What a county officer's list checks on every row (the county or the pool), in the list's order:
            # counting and walking their list (scope OR city-wide pool) reads this instead of the rows.
            models.Index(fields=["id", "division", "in_pool"], name="talent_scope_pool_scan"),
            # The pool's talents alone: PostgreSQL ANDs a keyword's matches with this bitmap ORed with the county's
            # (a county officer's ?q=王 checks 5,934 rows instead of the 30,168 matches), and the capped count
            # of the pool alone reads it (paging.CappedPaginator).
            models.Index(fields=["id"], condition=models.Q(in_pool=True), name="talent_in_pool"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if "update_fields" in kwargs:
            kwargs["update_fields"] = with_blind_indexes(type(self), kwargs["update_fields"])
        super().save(*args, **kwargs)

    def lookup_label(self) -> str:
        """Namesakes are common: the organisation (or the division) tells them apart."""
        where = self.organisation if self.organisation_id else self.division if self.division_id else None
        return f"{self.name}（{where}）" if where else self.name

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        if self.id_number:
            try:
                self.id_number = clean_id_number(self.id_number)
            except ValidationError as exc:
                errors["id_number"] = exc
            else:
                # The unique constraint sits on the hash, which forms do not validate: check it here.
                others = type(self)._default_manager.filter(id_number_hash=blind_index_for(self.id_number))
                if others.exclude(pk=self.pk).exists() if self.pk else others.exists():
                    errors["id_number"] = self.unique_error_message(type(self), ("id_number",))
        else:
            self.id_number = None
        if self.mobile:
            try:
                self.mobile = clean_mobile(self.mobile)
            except ValidationError as exc:
                errors["mobile"] = exc
        this_year = timezone.localdate().year
        if self.birth_year is not None and not 1900 <= self.birth_year <= this_year:
            errors["birth_year"] = ValidationError(
                _("The birth year must lie between 1900 and %(year)d."), params={"year": this_year},
                code="birth_year_range",
            )
        if self.id_number and "id_number" not in errors and self.birth_year:
            if int(self.id_number[6:10]) != self.birth_year:
                errors["birth_year"] = ValidationError(
                    _("The birth year %(year)d differs from the one in the ID number (%(id_year)s)."),
                    params={"year": self.birth_year, "id_year": self.id_number[6:10]}, code="birth_year_mismatch",
                )
        if self.population == Population.NATIVE_ELSEWHERE and not self.category:
            errors["category"] = ValidationError(_("A native working elsewhere needs one of the seven categories."),
                                                 code="category_needed")
        if errors:
            raise ValidationError(errors)


class ContactLog(models.Model):
    """One contact with a talent: a phone follow-up, a WeChat message, a visit."""

    talent = models.ForeignKey(Talent, verbose_name=_("talent"), on_delete=models.CASCADE, related_name="contacts")
    date = models.DateField(_("date"), validators=[not_in_future])
    channel = models.CharField(_("channel"), max_length=20, choices=ContactChannel.choices)
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(_("summary"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact log entry")
        verbose_name_plural = _("contact log")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.talent} {self.date:%Y-%m-%d}"


track(Talent, m2m_fields={"programmes"}, mask_fields=["id_number", "mobile", "email"],
      exclude_fields=["id_number_hash", "mobile_hash"])
track(ContactLog)

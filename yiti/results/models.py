
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiti.core.history import track
from yiti.core.models import BaseModel, Discipline, Industry
from yiti.orgs.models import Organisation
from yiti.results.choices import TRL_CHOICES, ResultStatus, ResultType, TransferMode
from yiti.talents.models import Talent


class Result(BaseModel):
    """A research result a university or institute intends to transfer (成果)."""

    title = models.CharField(_("title"), max_length=200)
    result_type = models.CharField(_("result type"), max_length=20, choices=ResultType.choices, db_index=True)
    owner = models.ForeignKey(
        Organisation, verbose_name=_("owner organisation"), on_delete=models.PROTECT, related_name="results"
    )
    leader = models.ForeignKey(
        Talent, verbose_name=_("team leader"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="led_results",
    )
    team_members = models.ManyToManyField(
        Talent, verbose_name=_("team members"), blank=True, related_name="results"
    )
    identifier = models.CharField(_("patent or registration number"), max_length=50, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    # The programme a funded project came from (国家社科基金一般项目, 青年项目 …).
    project_category = models.CharField(_("project category"), max_length=50, blank=True)
    discipline = models.ForeignKey(
        Discipline, verbose_name=_("discipline"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    trl = models.PositiveSmallIntegerField(_("technology readiness level"), choices=TRL_CHOICES, null=True,
                                           blank=True)
    transfer_mode = models.CharField(_("transfer mode"), max_length=20, choices=TransferMode.choices, blank=True)
    asking_price = models.DecimalField(
        _("asking price (10k yuan)"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)], help_text=_("Leave empty for negotiable."),
    )
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ResultStatus.choices,
                              default=ResultStatus.AVAILABLE, db_index=True)
    # 不公开 when False: the result then stays in its owner's scope (docs/access.md).
    is_public = models.BooleanField(
        _("public"), default=True, db_index=True,
        help_text=_("Untick (not public) to keep this result out of the city-wide pool."))

    search_fields = ("title", "keywords", "description", "identifier")
    lookup_search_fields = ("title",)
    lookup_select_related = ("owner",)

    def lookup_label(self) -> str:
        return f"{self.title}（{self.owner}）"

    class Meta:
        verbose_name = _("research result")
        verbose_name_plural = _("research results")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        this_year = timezone.localdate().year
        if self.year is not None and not 1949 <= self.year <= this_year:
            raise ValidationError({"year": ValidationError(
                _("The year must lie between 1949 and %(year)d.") % {"year": this_year}, code="year_range")})


track(Result, m2m_fields={"team_members"})

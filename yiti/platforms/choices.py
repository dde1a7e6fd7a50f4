from django.db import models
from django.utils.translation import gettext_lazy as _


class PlatformType(models.TextChoices):
    KEY_LAB = "key_lab", _("Key laboratory")
    INNOVATION_CENTRE = "innovation_centre", _("Technology innovation centre")
    ENGINEERING_CENTRE = "engineering_centre", _("Engineering technology research centre")
    NEW_RD_INSTITUTION = "new_rd_institution", _("New R&D institution")
    ACADEMICIAN_WORKSTATION = "academician_workstation", _("Academician (expert) workstation")
    POSTDOC_STATION = "postdoc_station", _("Postdoctoral research station")
    DOCTORAL_STATION = "doctoral_station", _("Doctoral innovation station")
    INCUBATOR = "incubator", _("Incubator")
    MAKER_SPACE = "maker_space", _("Maker space")
    INDUSTRY_COLLEGE = "industry_college", _("Industry college")
    CONSORTIUM = "consortium", _("Industry–education consortium")


class PlatformLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")
    COUNTY = "county", _("County")


class PlatformStatus(models.TextChoices):
    APPLYING = "applying", _("Applying")
    LISTED = "listed", _("Publicly listed")
    ACCREDITED = "accredited", _("Accredited")
    OPERATING = "operating", _("Operating")
    REVOKED = "revoked", _("Revoked")

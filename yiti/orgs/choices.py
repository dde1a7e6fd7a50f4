from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgType(models.TextChoices):
    UNIVERSITY = "university", _("University")
    INSTITUTE = "institute", _("Research institute")
    ENTERPRISE = "enterprise", _("Enterprise")
    GOVERNMENT = "government", _("Government department")
    COMMUNITY = "community", _("Street / community / village")
    HOSPITAL = "hospital", _("Hospital")
    OTHER = "other", _("Other")


class LadderStage(models.TextChoices):
    """The cultivation ladder of S&T enterprises (科技企业梯度培育), lowest first."""

    STARTUP_TEAM = "startup_team", _("Start-up team")
    STARTUP = "startup", _("Start-up enterprise")
    TECH_SME = "tech_sme", _("Tech-based SME")
    HIGH_TECH = "high_tech", _("High-tech enterprise")
    LITTLE_GIANT = "little_giant", _("Specialised “little giant”")
    LISTED = "listed", _("Listed on the STAR Market")


class KeyField(models.TextChoices):
    """Key fields of leading S&T enterprises in the demo region."""

    NEW_ENERGY_VEHICLE = "new_energy_vehicle", _("New-energy vehicles")
    EQUIPMENT = "equipment", _("Equipment manufacturing")
    MALLEABLE_IRON = "malleable_iron", _("Malleable iron")
    CASTING = "casting", _("Casting")
    AGRI_PROCESSING = "agri_processing", _("Agricultural product processing")
    MEDICINE = "medicine", _("Traditional Chinese medicine")
    NEW_MATERIALS = "new_materials", _("New materials")
    DIGITAL = "digital", _("Digital economy")
    ENERGY = "energy", _("New energy")
    MODERN_AGRICULTURE = "modern_agriculture", _("Modern agriculture and seeds")
    ENERGY_SAVING = "energy_saving", _("Energy saving and environmental protection")
    CULTURE_TOURISM = "culture_tourism", _("Culture and tourism")

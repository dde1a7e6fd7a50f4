from django.db import models
from django.utils.translation import gettext_lazy as _

from yiti.core import code_data


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Population(models.TextChoices):
    """The two populations the reform documents name."""

    LOCAL = "local", _("Local high-level talent")
    NATIVE_ELSEWHERE = "native_elsewhere", _("Native working elsewhere")


class Category(models.TextChoices):
    """The seven categories of natives working elsewhere (政、军、经济、高校、科研院所、医院、其他)."""

    GOVERNMENT = "government", _("Government")
    MILITARY = "military", _("Military")
    ECONOMY = "economy", _("Economy")
    UNIVERSITY = "university", _("University")
    INSTITUTE = "institute", _("Research institute")
    HOSPITAL = "hospital", _("Hospital")
    OTHER = "other", _("Other")


class Degree(models.TextChoices):
    DOCTORATE = "doctorate", _("Doctorate")
    MASTER = "master", _("Master")
    BACHELOR = "bachelor", _("Bachelor")
    ASSOCIATE = "associate", _("Associate degree")
    OTHER = "other", _("Other")


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    WECHAT = "wechat", _("WeChat")
    VISIT = "visit", _("Visit")
    MEETING = "meeting", _("Meeting or event")
    EMAIL = "email", _("E-mail")
    OTHER = "other", _("Other")


# Professional title levels (正高级/副高级/中级/助理级/员级), from the package's code table.
TITLE_LEVEL_CHOICES = code_data.title_levels()

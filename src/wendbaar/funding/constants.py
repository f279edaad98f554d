"""Fixed lists of the funding domain: education levels and employment statuses a fund's rules may name."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EducationLevel(models.TextChoices):
    """The highest diploma a person has (Dutch levels, low to high)."""

    NONE = "none", _("No diploma, or primary school")
    VMBO = "vmbo", _("vmbo")
    MBO1 = "mbo1", _("mbo level 1 (entree)")
    MBO2 = "mbo2", _("mbo level 2")
    MBO3 = "mbo3", _("mbo level 3")
    MBO4 = "mbo4", _("mbo level 4")
    HAVO_VWO = "havo_vwo", _("havo or vwo")
    HBO = "hbo", _("hbo")
    WO = "wo", _("university (wo)")


# A startkwalificatie is a havo or vwo diploma or an mbo diploma of level 2 or higher.
WITHOUT_STARTKWALIFICATIE = frozenset({EducationLevel.NONE, EducationLevel.VMBO, EducationLevel.MBO1})


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", _("I work for an employer")
    SELF_EMPLOYED = "self_employed", _("I work for myself (zzp)")
    JOB_SEEKER = "job_seeker", _("I am looking for work")
    OTHER = "other", _("Something else")

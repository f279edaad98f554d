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


class AgeBand(models.TextChoices):
    """Age groups of the participation monitor (age in the year the person enrolled)."""

    UNDER_25 = "u25", _("younger than 25")
    FROM_25 = "25-34", _("25 to 34")
    FROM_35 = "35-44", _("35 to 44")
    FROM_45 = "45-54", _("45 to 54")
    FROM_55 = "55+", _("55 or older")


def age_band(*, birth_year: int | None, year: int) -> str:
    """The age band of someone born in `birth_year` during `year`; "" when the birth year is not known."""
    if birth_year is None:
        return ""
    age = year - birth_year
    for limit, band in ((25, AgeBand.UNDER_25), (35, AgeBand.FROM_25), (45, AgeBand.FROM_35), (55, AgeBand.FROM_45)):
        if age < limit:
            return band.value
    return AgeBand.FROM_55.value

"""Fixed lists of the regions domain: the 35 labour-market regions, actor types, sectors, roles."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The arbeidsmarktregio's of 2025 with their CBS codes (public facts; the numbers are not contiguous).
LABOUR_MARKET_REGIONS: tuple[tuple[str, str], ...] = (
    ("AM01", "Groningen"),
    ("AM02", "Friesland"),
    ("AM03", "Drenthe"),
    ("AM05", "Twente"),
    ("AM06", "Veluwe Stedendriehoek"),
    ("AM07", "Midden-Gelderland"),
    ("AM08", "Rijk van Nijmegen"),
    ("AM09", "Achterhoek"),
    ("AM10", "Rivierenland"),
    ("AM11", "Flevoland"),
    ("AM12", "Gooi en Vechtstreek"),
    ("AM13", "Midden-Utrecht"),
    ("AM14", "Amersfoort"),
    ("AM15", "Noord-Holland Noord"),
    ("AM17", "Zaanstreek/Waterland"),
    ("AM18", "Groot Amsterdam"),
    ("AM19", "Holland Rijnland"),
    ("AM20", "Midden-Holland"),
    ("AM21", "Haaglanden"),
    ("AM22", "Rijnmond"),
    ("AM23", "Drechtsteden"),
    ("AM24", "Zeeland"),
    ("AM25", "West-Brabant"),
    ("AM26", "Midden-Brabant"),
    ("AM27", "Noordoost-Brabant"),
    ("AM28", "Zuidoost-Brabant"),
    ("AM29", "Noord-Limburg"),
    ("AM30", "Zuid-Limburg"),
    ("AM32", "Helmond-De Peel"),
    ("AM33", "Midden-Limburg"),
    ("AM34", "Zuid-Holland Centraal"),
    ("AM35", "Gorinchem"),
    ("AM36", "Regio Zwolle"),
    ("AM37", "Zuid-Kennemerland en IJmond"),
    ("AM38", "FoodValley"),
)


class ActorType(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    EMPLOYER = "employer", _("Employer")
    EMPLOYEE_ORGANISATION = "employee_organisation", _("Employee organisation")
    EDUCATION_PROVIDER = "education_provider", _("Education provider")
    FUND = "fund", _("O&O fund")
    INTERMEDIARY = "intermediary", _("Intermediary (e.g. leerwerkloket)")


class SizeClass(models.TextChoices):
    MICRO = "micro", _("1–9 employees")
    SMALL = "small", _("10–49 employees")
    MEDIUM = "medium", _("50–249 employees")
    LARGE = "large", _("250 or more employees")


class Sector(models.TextChoices):
    """The sections of the Dutch Standaard Bedrijfsindeling (SBI 2008)."""

    A = "A", _("Agriculture, forestry and fishing")
    B = "B", _("Mining and quarrying")
    C = "C", _("Manufacturing")
    D = "D", _("Energy supply")
    E = "E", _("Water supply and waste management")
    F = "F", _("Construction")
    G = "G", _("Wholesale and retail trade")
    H = "H", _("Transportation and storage")
    I = "I", _("Accommodation and food service")  # noqa: E741 - the SBI letter
    J = "J", _("Information and communication")
    K = "K", _("Financial services")
    L = "L", _("Real estate")
    M = "M", _("Professional, scientific and technical activities")
    N = "N", _("Administrative and support services")
    O = "O", _("Public administration")  # noqa: E741 - the SBI letter
    P = "P", _("Education")
    Q = "Q", _("Human health and social work")
    R = "R", _("Culture, sports and recreation")
    S = "S", _("Other service activities")
    T = "T", _("Households as employers")
    U = "U", _("Extraterritorial organisations")


class Role(models.TextChoices):
    LEARNER = "learner", _("Worker or job seeker")
    EMPLOYER = "employer", _("Employer")
    PROVIDER = "provider", _("Education provider")
    COORDINATOR = "coordinator", _("Regional coordinator")
    FUND = "fund", _("O&O fund or municipality")
    ADMIN = "admin", _("Administrator")


# Which organisations a role may be held at: an employer role only at an employer, and so on.
ROLE_ACTOR_TYPES: dict[str, frozenset[str]] = {
    Role.EMPLOYER: frozenset({ActorType.EMPLOYER}),
    Role.PROVIDER: frozenset({ActorType.EDUCATION_PROVIDER}),
    Role.FUND: frozenset({ActorType.FUND, ActorType.GOVERNMENT}),
}
ROLES_WITH_ORGANISATION = frozenset(ROLE_ACTOR_TYPES)
ROLES_WITH_REGION = frozenset({Role.COORDINATOR})

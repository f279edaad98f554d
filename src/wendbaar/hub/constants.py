"""Fixed lists of the hub: the Kennispunt themes, statuses, target groups, suggested factors, event kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.TextChoices):
    """The four themes the Kennispunt MBO LLO organises its support around."""

    VISION = "vision", _("vision and strategy")
    DEMAND = "demand", _("collecting the demand")
    COOPERATION = "cooperation", _("cooperation")
    EDUCATION = "education", _("organising the education")


class InitiativeStatus(models.TextChoices):
    IDEA = "idea", _("Idea")
    PILOT = "pilot", _("Pilot")
    SCALING = "scaling", _("Scaling up")
    STRUCTURAL = "structural", _("Structural")
    STOPPED = "stopped", _("Stopped")


class TargetGroup(models.TextChoices):
    NO_STARTKWALIFICATIE = "no_startkwalificatie", _("workers without a startkwalificatie")
    JOB_SEEKERS = "job_seekers", _("job seekers")
    SELF_EMPLOYED = "self_employed", _("self-employed")
    LOW_LITERACY = "low_literacy", _("people with low literacy")
    WORKERS = "workers", _("workers")
    EMPLOYERS = "employers", _("employers")
    YOUNG_PEOPLE = "young_people", _("young people")
    OLDER_WORKERS = "older_workers", _("older workers")
    NEWCOMERS = "newcomers", _("newcomers (status holders)")


class Factor(models.TextChoices):
    """Suggested success/failure factors (Turner; Kennispunt MBO LLO). Regions may add their own tags."""

    SECTOR_ORGANISATION = "sector_organisation", _("organisation of the sector")
    REGIONAL_EMBEDDING = "regional_embedding", _("regional embedding")
    INDIVIDUAL_ENERGY = "individual_energy", _("energy of individuals")
    SCHOOL_COOPERATION = "school_cooperation", _("cooperation between schools")
    SEPARATE_LLO_ORGANISATION = "separate_llo_organisation", _("a separate LLO organisation")


class EvidenceKind(models.TextChoices):
    FIGURE = "figure", _("Figure")
    LINK = "link", _("Link")
    DOCUMENT = "document", _("Document")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


CLOSED_ACTION_STATUSES = frozenset({ActionStatus.DONE, ActionStatus.CANCELLED})


class LinkKind(models.TextChoices):
    """What an agenda action can point at besides an initiative: a page of the radar or of the demand."""

    RADAR_OCCUPATION = "radar_occupation", _("Occupation on the radar")
    RADAR_SKILL = "radar_skill", _("Skill on the radar")
    POOL = "pool", _("Group in the demand")
    GAP = "gap", _("Gap in the offer")


class EventKind(models.TextChoices):
    OPEN_DAY = "open_day", _("Open day")
    TRIAL_PLACEMENT = "trial_placement", _("Trial placement")
    JOB_ROTATION = "job_rotation", _("Job rotation")
    INFORMATION_SESSION = "information_session", _("Information session")
    AMBASSADOR_MEETING = "ambassador_meeting", _("Learning-ambassador meeting")
    SKILLS_COMPETITION = "skills_competition", _("Skills competition")


PLACEMENT_KINDS = frozenset({EventKind.TRIAL_PLACEMENT, EventKind.JOB_ROTATION})


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")

"""Fixed lists of the passport: kinds of evidence and their weight, consent scopes, EVC decisions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EvidenceKind(models.TextChoices):
    DIPLOMA = "diploma", _("Diploma")
    MBO_CERTIFICATE = "mbo_certificate", _("mbo-certificaat or deelcertificaat")
    PRACTICE_STATEMENT = "practice_statement", _("Praktijkverklaring")
    CREDENTIAL = "credential", _("Digital certificate (badge)")
    EVC = "evc", _("EVC recognition")
    WORK_EXPERIENCE = "work_experience", _("Work experience")
    INFORMAL = "informal", _("Informal or volunteer learning")
    ENDORSEMENT = "endorsement", _("Statement by an employer")
    SELF_ASSESSMENT = "self_assessment", _("Own assessment")


# How much one piece of evidence says, 0-100. The order follows who vouches for the skill and whether
# that can be checked: a verified credential or an EVC recognition (an assessor or a provider tested
# it, and anyone can verify the signature) weighs most; a diploma or certificate (a school vouches,
# but it is entered by hand) next; work experience and an employer's statement (someone saw it done);
# informal learning; and the person's own assessment least. See docs/passport.md.
EVIDENCE_WEIGHT: dict[str, int] = {
    EvidenceKind.CREDENTIAL: 90,
    EvidenceKind.EVC: 90,
    EvidenceKind.DIPLOMA: 75,
    EvidenceKind.MBO_CERTIFICATE: 75,
    EvidenceKind.PRACTICE_STATEMENT: 70,
    EvidenceKind.ENDORSEMENT: 55,
    EvidenceKind.WORK_EXPERIENCE: 50,
    EvidenceKind.INFORMAL: 35,
    EvidenceKind.SELF_ASSESSMENT: 20,
}
# An unverified (imported but not checked) credential counts like a self-assessment.
UNVERIFIED_CREDENTIAL_WEIGHT = 20
# Each further kind of evidence adds this much, within the band (Strength) of the strongest piece.
CORROBORATION_BONUS = 5


class Strength(models.TextChoices):
    """Strength of a skill in words, from the strongest evidence (thresholds on EVIDENCE_WEIGHT)."""

    OWN = "own", _("Own assessment")
    SHOWN = "shown", _("Shown in practice")
    CERTIFIED = "certified", _("Certified")
    VERIFIED = "verified", _("Verified")


STRENGTH_THRESHOLDS: tuple[tuple[int, str], ...] = (
    (85, Strength.VERIFIED),
    (65, Strength.CERTIFIED),
    (30, Strength.SHOWN),
    (0, Strength.OWN),
)


class SkillSource(models.TextChoices):
    TYPED = "typed", _("Typed in own words")
    CV = "cv", _("From a CV")
    OCCUPATION = "occupation", _("From an occupation")
    CREDENTIAL = "credential", _("From a credential")
    EVC = "evc", _("From an EVC procedure")
    MANUAL = "manual", _("Chosen from the list")


class CredentialOrigin(models.TextChoices):
    ISSUED = "issued", _("Issued on this platform")
    IMPORTED = "imported", _("Imported")


class AchievementType(models.TextChoices):
    """Open Badges 3.0 achievement types this platform issues (the spec's enumeration names)."""

    CERTIFICATE = "Certificate", _("Certificate")
    COURSE = "Course", _("Course")
    BADGE = "Badge", _("Badge")
    DIPLOMA = "Diploma", _("Diploma")
    COMPETENCY = "Competency", _("Competency")
    PRACTICE_STATEMENT = "ext:Praktijkverklaring", _("Praktijkverklaring")
    EVC_CERTIFICATE = "ext:EVCCertificaat", _("EVC certificate")


class Scope(models.TextChoices):
    ALL = "all", _("The whole passport")
    SKILLS = "skills", _("Chosen skills")
    CREDENTIALS = "credentials", _("Chosen credentials")


class ViewChannel(models.TextChoices):
    PAGE = "page", _("Web page")
    API = "api", _("API")
    EXPORT = "export", _("Export (JSON)")
    PDF = "pdf", _("PDF")
    SHARE_LINK = "share_link", _("Share link")
    EVC = "evc", _("EVC procedure")
    SERVICE = "service", _("Another part of the platform")


class RecognitionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Decision(models.TextChoices):
    PENDING = "pending", _("Not decided yet")
    RECOGNISED = "recognised", _("Recognised")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")

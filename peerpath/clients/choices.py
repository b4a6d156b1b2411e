from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralStatus(models.TextChoices):
    NEW = "new", _("New")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    ASSIGNED = "assigned", _("Assigned to a peer")
    CLOSED = "closed", _("Closed")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine (within 2 weeks)")
    SOON = "soon", _("Soon (within 3 days)")
    URGENT = "urgent", _("Urgent (today)")


class Modality(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video")
    TEXT = "text", _("Text message")


class PeerGenderPreference(models.TextChoices):
    ANY = "", _("No preference")
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")


# Which status may follow which: the referral's whole life in one table.
REFERRAL_TRANSITIONS: dict[str, set[str]] = {
    ReferralStatus.NEW: {ReferralStatus.ACCEPTED, ReferralStatus.DECLINED},
    ReferralStatus.ACCEPTED: {ReferralStatus.ASSIGNED, ReferralStatus.CLOSED},
    ReferralStatus.ASSIGNED: {ReferralStatus.CLOSED},
    ReferralStatus.DECLINED: set(),
    ReferralStatus.CLOSED: set(),
}


class ContactMethod(models.TextChoices):
    ANY = "", _("No preference")
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")
    EMAIL = "email", _("Email")
    IN_PERSON = "in_person", _("In person")


class Sex(models.TextChoices):
    """Sex as recorded in the client's health record (optional; blank = not recorded)."""

    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Another sex / intersex")


class DiagnosisGroup(models.TextChoices):
    """Broad primary diagnosis group (ICD-10 F chapter blocks), for evaluation only (optional; blank = not recorded)."""

    PSYCHOSIS = "psychosis", _("Schizophrenia and other psychoses (F20–F29)")
    BIPOLAR = "bipolar", _("Bipolar disorder (F30–F31)")
    DEPRESSION = "depression", _("Depression (F32–F39)")
    ANXIETY = "anxiety", _("Anxiety and trauma-related disorders (F40–F48)")
    SUBSTANCE = "substance", _("Substance use disorders (F10–F19)")
    PERSONALITY = "personality", _("Personality disorders (F60–F69)")
    OTHER = "other", _("Other diagnosis")

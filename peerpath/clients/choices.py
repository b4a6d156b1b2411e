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

from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.clients.choices import Modality  # noqa: F401  (one modality list for the whole product)


class Setting(models.TextChoices):
    COMMUNITY = "community", _("Community")
    HOME = "home", _("Client's home")
    OUTPATIENT = "outpatient", _("Outpatient clinic")
    INPATIENT = "inpatient", _("Inpatient ward")
    EMERGENCY = "emergency", _("Emergency department")
    PRIMARY_CARE = "primary_care", _("Primary care")
    REMOTE = "remote", _("Remote")


class Activity(models.TextChoices):
    # Peer-specific work: what only someone with lived experience brings.
    SHARING_EXPERIENCE = "sharing_experience", _("Sharing recovery experience")
    ADVOCACY = "advocacy", _("Advocacy")
    COMMUNITY_CONNECTION = "community_connection", _("Connection to community")
    HOPE_GOALS = "hope_goals", _("Hope and goal work")
    # Generic tasks any worker could do; tracked to see role drift.
    TRANSPORT = "transport", _("Transport")
    PAPERWORK = "paperwork", _("Paperwork")
    APPOINTMENT_REMINDER = "appointment_reminder", _("Appointment reminders")


PEER_SPECIFIC_ACTIVITIES = frozenset(
    {Activity.SHARING_EXPERIENCE, Activity.ADVOCACY, Activity.COMMUNITY_CONNECTION, Activity.HOPE_GOALS}
)
GENERIC_ACTIVITIES = frozenset({Activity.TRANSPORT, Activity.PAPERWORK, Activity.APPOINTMENT_REMINDER})


class LifeArea(models.TextChoices):
    HOUSING = "housing", _("Housing")
    WORK = "work", _("Work and volunteering")
    EDUCATION = "education", _("Education")
    RELATIONSHIPS = "relationships", _("Relationships and family")
    PHYSICAL_HEALTH = "physical_health", _("Physical health")
    MENTAL_HEALTH = "mental_health", _("Mental wellbeing")
    SUBSTANCE_USE = "substance_use", _("Substance use")
    MONEY = "money", _("Money")
    LEISURE = "leisure", _("Leisure and community")
    SPIRITUALITY = "spirituality", _("Spirituality and meaning")
    LEGAL = "legal", _("Legal")


class Chime(models.TextChoices):
    CONNECTEDNESS = "connectedness", _("Connectedness")
    HOPE = "hope", _("Hope and optimism")
    IDENTITY = "identity", _("Identity")
    MEANING = "meaning", _("Meaning in life")
    EMPOWERMENT = "empowerment", _("Empowerment")


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Working on it")
    ACHIEVED = "achieved", _("Achieved")
    PAUSED = "paused", _("Paused")
    DROPPED = "dropped", _("No longer wanted")

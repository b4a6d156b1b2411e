from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    """Service-use events. An admission carries its discharge date (``ended_on``): inpatient days."""

    ADMISSION = "admission", _("Hospital admission (inpatient stay)")
    EMERGENCY = "emergency", _("Emergency department visit")
    OUTPATIENT = "outpatient", _("Outpatient appointment kept")
    CRISIS = "crisis", _("Crisis contact")
    EMPLOYMENT = "employment", _("Employment status change")
    HOUSING = "housing", _("Housing status change")


class EmploymentStatus(models.TextChoices):
    EMPLOYED_FULL = "employed_full", _("Employed full time")
    EMPLOYED_PART = "employed_part", _("Employed part time")
    EDUCATION = "education", _("In education or training")
    VOLUNTEERING = "volunteering", _("Volunteering")
    UNEMPLOYED = "unemployed", _("Unemployed")
    NOT_IN_LABOUR_FORCE = "not_in_labour_force", _("Not in the labour force")


class HousingStatus(models.TextChoices):
    STABLE = "stable", _("Stably housed")
    SUPPORTED = "supported", _("Supported housing")
    TEMPORARY = "temporary", _("Temporary accommodation")
    HOMELESS = "homeless", _("Homeless")


STATUS_CHOICES = {EventKind.EMPLOYMENT: EmploymentStatus, EventKind.HOUSING: HousingStatus}


class EventSource(models.TextChoices):
    STAFF = "staff", _("Entered by staff")
    IMPORT = "import", _("Imported (CSV)")


class CohortGroup(models.TextChoices):
    PEER = "peer", _("Peer support")
    COMPARISON = "comparison", _("Comparison (usual care)")

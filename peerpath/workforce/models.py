"""Workforce: peer role definitions, training, credentials, supervision, boundary consultations,
staff surveys and employment terms.

Each area keeps its models in ``<area>/models.py``; they are imported here so Django registers them
under the one ``workforce`` app label (moving a model between areas needs no migration)."""

from peerpath.core.models import Notification  # moved to core; re-exported during the transition
from peerpath.workforce.boundaries.models import BoundaryCategory, BoundaryConsultation
from peerpath.workforce.credentials.models import Credential, CredentialReminder
from peerpath.workforce.roles.models import (
    EmploymentTerms,
    ReviewerGroup,
    RoleDefinition,
    RoleDefinitionComment,
    RoleDefinitionReview,
    RoleDefinitionStatus,
)
from peerpath.workforce.supervision.models import (
    SupervisionAttendance,
    SupervisionKind,
    SupervisionOverdueAlert,
    SupervisionPolicy,
    SupervisionSession,
    SupervisionTopic,
)
from peerpath.workforce.surveys.models import SurveyReceipt, SurveyResponse, SurveyRound
from peerpath.workforce.training.models import (
    Course,
    CourseRequirement,
    CourseTopic,
    TrainingCompletion,
    certificate_path,  # named by migration 0001 (upload_to)
)

__all__ = [
    "BoundaryCategory", "BoundaryConsultation", "Course", "CourseRequirement", "CourseTopic", "Credential",
    "CredentialReminder", "EmploymentTerms", "Notification", "ReviewerGroup", "RoleDefinition",
    "RoleDefinitionComment", "RoleDefinitionReview", "RoleDefinitionStatus", "SupervisionAttendance",
    "SupervisionKind", "SupervisionOverdueAlert", "SupervisionPolicy", "SupervisionSession", "SupervisionTopic",
    "SurveyReceipt", "SurveyResponse", "SurveyRound", "TrainingCompletion", "certificate_path",
]

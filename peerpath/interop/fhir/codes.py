"""Code systems and codes the mappers use, each from its published source (see docs/fhir.md).

Local concepts (life areas, CHIME dimensions, instruments without a LOINC code) live in Peerpath CodeSystems
whose canonical URLs sit under ``LOCAL_BASE``; the CapabilityStatement names them."""

from __future__ import annotations

US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition/"
US_CORE_VERSION = "6.1.0"
PROFILE = {
    "Patient": US_CORE + "us-core-patient",
    "Practitioner": US_CORE + "us-core-practitioner",
    "PractitionerRole": US_CORE + "us-core-practitionerrole",
    "Organization": US_CORE + "us-core-organization",
    "CareTeam": US_CORE + "us-core-careteam",
    "ServiceRequest": US_CORE + "us-core-servicerequest",
    "Encounter": US_CORE + "us-core-encounter",
    "Goal": US_CORE + "us-core-goal",
    "CarePlan": US_CORE + "us-core-careplan",
    "QuestionnaireResponse": US_CORE + "us-core-questionnaireresponse",
    "Observation": US_CORE + "us-core-observation-screening-assessment",
    "Questionnaire": "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire",
}

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
NUCC = "http://nucc.org/provider-taxonomy"
HCPCS = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
NPI = "http://hl7.org/fhir/sid/us-npi"
V3_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
V3_PARTICIPATION_MODE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationMode"
V3_PARTICIPATION_TYPE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
V3_CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
V2_IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
US_CORE_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/us-core-category"
CARE_PLAN_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/careplan-category"
ORGANIZATION_TYPE = "http://terminology.hl7.org/CodeSystem/organization-type"
DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
NARRATIVE_STATUS = "generated"

PEER_SPECIALIST = {"system": NUCC, "code": "175T00000X", "display": "Peer Specialist"}
PEER_SERVICE_HCPCS = {"system": HCPCS, "code": "H0038", "display": "Self-help/peer services, per 15 minutes"}

# Encounter.class (v3 ActCode, extensible binding in US Core)
CLASS_BY_SETTING = {
    "community": ("FLD", "field"),
    "home": ("HH", "home health"),
    "outpatient": ("AMB", "ambulatory"),
    "primary_care": ("AMB", "ambulatory"),
    "inpatient": ("IMP", "inpatient encounter"),
    "emergency": ("EMER", "emergency"),
    "remote": ("VR", "virtual"),
}
# Phone vs video has no R4 element: a v3 ParticipationMode coding in Encounter.type (documented in docs/fhir.md).
MODE_BY_MODALITY = {
    "in_person": ("FACE", "face-to-face"),
    "phone": ("PHONE", "telephone"),
    "video": ("VIDEOCONF", "videoconferencing"),
    "text": ("WRITTEN", "written"),
}
REMOTE_MODALITIES = {"phone", "video", "text"}

# LOINC for the shipped instruments that have verified codes. Instruments absent here get local codes.
LOINC_INSTRUMENTS: dict[str, dict[str, object]] = {
    "phq9": {
        "panel": ("44249-1", "PHQ-9 quick depression assessment panel"),
        "total": ("44261-6", "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"),
        "items": ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"],
        "answers": {0: ("LA6568-5", "Not at all"), 1: ("LA6569-3", "Several days"),
                    2: ("LA6570-1", "More than half the days"), 3: ("LA6571-9", "Nearly every day")},
    },
    "gad7": {
        "panel": ("69737-5", "Generalized anxiety disorder 7 item (GAD-7)"),
        "total": ("70274-6", "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]"),
        "items": ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"],
        "answers": {0: ("LA6568-5", "Not at all"), 1: ("LA6569-3", "Several days"),
                    2: ("LA6570-1", "More than half the days"), 3: ("LA6571-9", "Nearly every day")},
    },
}

GENDER_BY_STAFF_GENDER = {"woman": "female", "man": "male", "non_binary": "other", "other": "other", "": "unknown"}
SERVICE_REQUEST_STATUS = {
    "new": "active", "accepted": "active", "assigned": "active", "declined": "revoked", "closed": "completed",
}
GOAL_LIFECYCLE = {"active": "active", "achieved": "completed", "paused": "on-hold", "dropped": "cancelled"}
GOAL_ACHIEVEMENT = {"active": "in-progress", "achieved": "achieved", "paused": "no-progress", "dropped": "not-achieved"}
URGENCY_PRIORITY = {"routine": "routine", "soon": "urgent", "urgent": "asap"}


def local_system(name: str) -> str:
    """A Peerpath CodeSystem (life areas, CHIME, staff roles, instruments without LOINC codes)."""
    return f"urn:peerpath:codesystem:{name}"


def identifier_system(organisation_slug: str, kind: str) -> str:
    """Peerpath's own identifiers, namespaced per organisation so two services never collide."""
    return f"urn:peerpath:{organisation_slug}:{kind}"


def npi_is_valid(npi: str) -> bool:
    """The NPI check digit: Luhn over the 9 digits prefixed with 80840 (CMS NPI standard)."""
    if len(npi) != 10 or not npi.isdigit():
        return False
    digits = [int(d) for d in "80840" + npi[:9]]
    total = 0
    for index, digit in enumerate(reversed(digits)):
        if index % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10 == int(npi[9])

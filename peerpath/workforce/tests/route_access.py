from peerpath.testing.access import Route
from peerpath.workforce.models import RoleDefinitionReview, RoleDefinitionStatus, TrainingCompletion
from peerpath.workforce.tests.factories import (
    BoundaryFactory,
    CourseFactory,
    CredentialFactory,
    RoleDefinitionFactory,
    SurveyRoundFactory,
    full_answers,
    today,
)

ALL = {"peer", "supervisor", "clinician", "leader", "evaluator", "admin"}
MANAGERS = {"supervisor", "leader", "admin"}
ORG_WIDE = {"leader", "admin"}
PROFILE_READERS = {"peer", "supervisor", "leader", "admin"}  # the peer themself, their supervisor, org-wide roles
REVIEWERS = {"peer", "supervisor", "clinician"}


def _definition(w):
    return {"pk": RoleDefinitionFactory(drafted_by=w.a.users["leader"]).pk}


def _two_versions(w):
    a = RoleDefinitionFactory(drafted_by=w.a.users["leader"], title="Peer role", version=1)
    b = RoleDefinitionFactory(drafted_by=w.a.users["leader"], title="Peer role", version=2)
    return {"pk": a.pk, "other_pk": b.pk}


def _in_consultation(w):
    d = RoleDefinitionFactory(drafted_by=w.a.users["leader"], status=RoleDefinitionStatus.CONSULTATION)
    for role, group in (("peer", "peers"), ("supervisor", "team_leaders"), ("clinician", "staff")):
        RoleDefinitionReview.objects.create(definition=d, reviewer=w.a.users[role], group=group)
    return {"pk": d.pk}


def _certificate(w):
    from django.core.files.base import ContentFile

    course = CourseFactory(organisation=w.a.organisation)
    c = TrainingCompletion(organisation=w.a.organisation, staff=w.a.users["peer"], course=course,
                           completed_on=today(), hours=6, certificate_type="application/pdf")
    c.certificate.save("cert.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return {"pk": c.pk}


def _boundary(w):
    return {"pk": BoundaryFactory(raised_by=w.a.users["peer"]).pk}


def _api_boundary(w):
    return {"consultation_id": BoundaryFactory(raised_by=w.a.users["peer"]).pk}


def _round(w):
    return {"pk": SurveyRoundFactory(organisation=w.a.organisation).pk}


def _api_round(w):
    return {"round_id": SurveyRoundFactory(organisation=w.a.organisation).pk}


def _api_definition(w):
    return {"definition_id": _in_consultation(w)["pk"]}


def _credential_data(w):
    return {"name": "Certified peer specialist", "issuer": "Board", "issued_on": "2025-01-01",
            "expires_on": "2027-01-01"}


def _staff(w):
    CredentialFactory(staff=w.a.users["peer"])
    return {"staff_id": w.a.users["peer"].pk}


ROUTES = [
    Route("workforce:home", allowed=ALL),
    Route("workforce:profile", allowed=PROFILE_READERS, kwargs=_staff),
    Route("workforce:notifications", allowed=ALL),
    Route("workforce:jobs", allowed=ORG_WIDE),
    Route("workforce:role_list", allowed=ALL),
    Route("workforce:role_create", allowed={"leader"}),
    Route("workforce:role_detail", allowed=ALL, kwargs=_definition),
    Route("workforce:role_edit", allowed={"leader"}, kwargs=_definition),
    Route("workforce:role_send", allowed={"leader"}, method="POST", kwargs=_definition, data=lambda w: {},
          ok=frozenset({302})),
    Route("workforce:role_approve", allowed=REVIEWERS, method="POST", kwargs=_in_consultation, data=lambda w: {},
          ok=frozenset({302})),
    Route("workforce:role_comment", allowed=REVIEWERS | {"leader"}, method="POST", kwargs=_in_consultation,
          data=lambda w: {"body": "Looks right."}, ok=frozenset({302})),
    Route("workforce:role_new_version", allowed={"leader"}, method="POST", kwargs=_definition, data=lambda w: {},
          ok=frozenset({302})),
    Route("workforce:role_compare", allowed=ALL, kwargs=_two_versions),
    Route("workforce:role_print", allowed=ALL, kwargs=_definition),
    Route("workforce:role_pdf", allowed=ALL, kwargs=_definition),
    Route("workforce:training", allowed=ALL),
    Route("workforce:catalogue_edit", allowed=ORG_WIDE),
    Route("workforce:coverage", allowed=MANAGERS),
    Route("workforce:certificate", allowed=PROFILE_READERS, kwargs=_certificate),
    Route("workforce:credentials", allowed=ALL),
    Route("workforce:supervision", allowed={"peer", "supervisor", "leader", "admin"}),
    Route("workforce:boundaries", allowed={"peer", "supervisor"}),
    Route("workforce:boundary_trend", allowed=MANAGERS),
    # Only the peer who raised it and their supervisor: not leaders or admins.
    Route("workforce:boundary_detail", allowed={"peer", "supervisor"}, kwargs=_boundary),
    Route("workforce:surveys", allowed=ALL),
    Route("workforce:survey_answer", allowed={"peer"}, kwargs=_round),
    Route("workforce:survey_results", allowed=ORG_WIDE, kwargs=_round),
    Route("workforce:pay_equity", allowed=ORG_WIDE),
    Route("api:workforce_credential_list", allowed=ALL),
    Route("api:workforce_credential_create", allowed=ALL, method="POST", data=_credential_data,
          ok=frozenset({201})),
    Route("api:workforce_credential_status", allowed=PROFILE_READERS, kwargs=_staff),
    Route("api:workforce_supervision_status", allowed={"peer", "supervisor", "leader", "admin"}),
    Route("api:workforce_boundary_list", allowed={"peer", "supervisor"}),
    Route("api:workforce_boundary_create", allowed={"peer"}, method="POST",
          data=lambda w: {"category": "gift", "question": "May I accept a card?"}, ok=frozenset({201})),
    Route("api:workforce_boundary_respond", allowed={"supervisor"}, method="POST", kwargs=_api_boundary,
          data=lambda w: {"response": "Thank them; a card is fine."}),
    Route("api:workforce_survey_submit", allowed={"peer"}, method="POST", kwargs=_api_round,
          data=lambda w: {"answers": full_answers()}, ok=frozenset({201})),
    Route("api:workforce_notification_list", allowed=ALL),
    Route("api:workforce_role_list", allowed=ALL),
    Route("api:workforce_role_approve", allowed=REVIEWERS, method="POST", kwargs=_api_definition,
          data=lambda w: {}),
]

"""Recovery plan → CarePlan (us-core-careplan) and its goals → Goal (us-core-goal).

The goal's description is the client's own words; life area and CHIME dimension are categories from Peerpath
CodeSystems (``urn:peerpath:codesystem:life-area`` and ``...:chime``, listed in the CapabilityStatement)."""

from __future__ import annotations

from typing import Any

from peerpath.care.choices import Chime, LifeArea
from peerpath.care.models import Goal, RecoveryPlan
from peerpath.interop.fhir import codes
from peerpath.interop.fhir.common import concept, date, drop_empty, meta, narrative, peerpath_identifier, ref
from peerpath.interop.fhir.context import MapContext

LIFE_AREA_SYSTEM = codes.local_system("life-area")
CHIME_SYSTEM = codes.local_system("chime")


def goal_to_fhir(goal: Goal, ctx: MapContext) -> dict[str, Any]:
    plan = goal.plan
    categories = []
    if goal.life_area in LifeArea.values:
        categories.append(concept(LIFE_AREA_SYSTEM, goal.life_area, str(LifeArea(goal.life_area).label)))
    if goal.chime in Chime.values:
        categories.append(concept(CHIME_SYSTEM, goal.chime, str(Chime(goal.chime).label)))
    return drop_empty({
        "resourceType": "Goal",
        "id": str(goal.pk),
        "meta": meta("Goal", goal.updated_at),
        "identifier": [peerpath_identifier(ctx.slug, "goal", goal.pk)],
        "lifecycleStatus": codes.GOAL_LIFECYCLE.get(goal.status, "active"),
        "achievementStatus": concept("http://terminology.hl7.org/CodeSystem/goal-achievement",
                                     codes.GOAL_ACHIEVEMENT.get(goal.status, "in-progress")),
        "category": categories,
        "description": {"text": goal.own_words},
        "subject": ref("Patient", plan.client_id),
        "startDate": date(goal.created_at.date()),
        "target": [{"dueDate": date(goal.target_on)}] if goal.target_on else [],
        "expressedBy": ref("Patient", plan.client_id),
        "note": [{"text": f"Progress: {goal.progress}%"}],
    })


def plan_to_fhir(plan: RecoveryPlan, ctx: MapContext, *, goals: list[Goal]) -> dict[str, Any]:
    vision = plan.client_vision or "Recovery plan"
    return drop_empty({
        "resourceType": "CarePlan",
        "id": str(plan.pk),
        "meta": meta("CarePlan", plan.updated_at),
        "text": narrative(vision),
        "identifier": [peerpath_identifier(ctx.slug, "recovery-plan", plan.pk)],
        "status": "active" if plan.is_active else "revoked",
        "intent": "plan",
        "category": [concept(codes.CARE_PLAN_CATEGORY, "assess-plan", "Assessment and Plan of Treatment")],
        "title": "Recovery plan",
        "description": plan.client_vision,
        "subject": ref("Patient", plan.client_id),
        "period": {"start": date(plan.created_at.date())},
        "created": date(plan.created_at.date()),
        "author": ref("Practitioner", plan.written_with_id),
        "goal": [ref("Goal", g.pk) for g in goals],
    })

"""Demo data for the planning area (main organisation): a register of barriers and facilitators from the
literature templates and the organisation's own, an own barrier → strategy row and template, a retired
shipped row, and an implementation plan made from the best-practice checklist plus recommended ERIC
strategies, about half done, with two overdue actions for the leader's home page.

Runs through the services (so the audit trail is real), then moves creation dates back so the plan
looks five months old."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from peerpath.demo.context import DemoContext
from peerpath.implementation.models import Barrier, ImplementationPlan, PlanItem, PlanItemStatus
from peerpath.implementation.planning import recommend, services
from peerpath.implementation.reference import selectors as reference

PLAN_AGE_DAYS = 150

# (template key, team index or None, raised by, evidence)
FROM_TEMPLATES = [
    ("role_unclear", None, "Peer team meeting, March",
     "Four of six peer workers said they do not know which tasks are theirs; two were asked to do case management."),
    ("colleagues_beliefs", None, "Staff survey, February",
     "Free-text answers: 'peers are not qualified', 'nice but not treatment'."),
    ("excluded_from_meetings", 1, "Peer team meeting, March",
     "Peers on the inpatient unit are not invited to the morning handover."),
    ("no_record_access", None, "Peer supervisor, January",
     "Peers cannot read or write notes in the record of the people they support."),
    ("no_recovery_culture", 1, "Ward observation by the implementation team",
     "Ward rules focus on risk; recovery goals rarely appear in care plans."),
    ("unequal_pay", None, "HR review, April", "Peer posts are one band below support workers with similar duties."),
    ("no_understanding_supervisor", None, "Peer team meeting, March",
     "Supervision is given by clinicians without training in peer work."),
    ("no_training_non_peer", None, "Training records", "No session on peer support for non-peer staff in two years."),
    ("visible_leadership_support", None, "Board minutes, January",
     "The director opened the peer programme and reports on it to the board."),
    ("peer_network_access", None, "Peer team meeting, March", "Peers meet the regional peer network every month."),
]
OWN = [
    # (kind, title, construct code, team index, raised by, evidence)
    ("barrier", "No desk or laptop for peers on the ward", "III.J.3", 1, "Peer team meeting, March",
     "Peers write notes on paper and type them up later at the main office."),
    ("barrier", "Night shifts leave peers without supervision", "III.D.3", 0, "ACT team meeting, May",
     "Two peers work evenings with no supervisor on call."),
    ("facilitator", "A peer-run recovery college nearby", "II.D", None, "Community partners list",
     "The recovery college offers courses our peers can co-teach."),
]
EXTRA_STRATEGIES = 4


def _aware(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def seed(ctx: DemoContext) -> None:
    org = ctx.organisations[0]
    teams = ctx.teams[org.pk]
    leader, supervisor, admin = ctx.staff["leader"], ctx.staff["supervisor"], ctx.staff["admin"]
    if Barrier.objects.filter(organisation=org).exists():
        return
    templates = {t.key: t for t in reference.barrier_templates(organisation_id=org.pk)}
    constructs = {c.code: c for c in reference.cfir_constructs()}
    if not templates or not constructs:
        return
    start = ctx.today - timedelta(days=PLAN_AGE_DAYS)

    barriers: list[Barrier] = []
    for key, team_index, raised_by, evidence in FROM_TEMPLATES:
        if key in templates:
            barriers.append(services.barrier_from_template(
                actor=leader, template=templates[key], team=teams[team_index] if team_index is not None else None,
                raised_by=raised_by, evidence=evidence))
    for kind, title, code, team_index, raised_by, evidence in OWN:
        if code in constructs:
            # the supervisor records the barrier of the ACT team they supervise
            actor = supervisor if team_index == 0 else leader
            barriers.append(services.barrier_create(
                actor=actor, kind=kind, title=title, construct=constructs[code], evidence=evidence,
                raised_by=raised_by, team=teams[team_index] if team_index is not None else None))
    for position, barrier in enumerate(barriers):
        Barrier.objects.filter(pk=barrier.pk).update(created_at=_aware(start - timedelta(days=20 - position)))

    _seed_own_reference_rows(org, admin, constructs)

    plan = services.plan_create_from_checklist(actor=leader, title="Peer support implementation plan 2026")
    result = recommend.recommendations_for(leader)
    in_plan = set(plan.items.exclude(strategy__isnull=True).values_list("strategy_id", flat=True))
    picks = [(result.strategies[rec.strategy.id], [b for b in result.barriers
                                                   if b.pk in {r.barrier.id for r in rec.barriers}])
             for rec in result.recommendations if rec.strategy.id not in in_plan][:EXTRA_STRATEGIES]
    services.plan_add_strategies(actor=leader, plan=plan, picks=picks)
    _schedule(ctx, plan, start)

    # The role barrier was addressed once the role was defined together.
    role = next((b for b in barriers if b.template and b.template.key == "role_unclear"), None)
    if role:
        services.barrier_update(actor=leader, barrier=role, resolved_on=ctx.today - timedelta(days=ROLE_DONE_DAYS_AGO),
                                evidence=role.evidence + " The role was then defined with peers and staff.")

    # A team plan for the ACT team, written by its supervisor.
    team_plan = services.plan_create(actor=supervisor, title="ACT team: peers in every handover", team=teams[0])
    services.plan_item_create(actor=supervisor, plan=team_plan, title="Add a peer slot to the daily handover",
                              owner=supervisor, due_on=ctx.today + timedelta(days=10),
                              status=PlanItemStatus.IN_PROGRESS)
    services.plan_item_create(actor=supervisor, plan=team_plan, title="Ask peers what they want to bring to handover",
                              owner=ctx.staff["peer"], due_on=ctx.today + timedelta(days=21))


def _seed_own_reference_rows(org: Any, admin: Any, constructs: dict[str, Any]) -> None:
    strategies = {s.name: s for s in reference.eric_strategies()}
    if "III.J.3" in constructs and "Change physical structure and equipment" in strategies:
        services.strategy_match_create(
            actor=admin, construct=constructs["III.J.3"], strategy=strategies["Change physical structure and equipment"],
            level=1, source="Riverside peer team review, 2026", note="Laptops and a desk on each ward for peers.")
    if "II.D" in constructs and "Develop academic partnerships" in strategies:
        services.strategy_match_create(
            actor=admin, construct=constructs["II.D"], strategy=strategies["Develop academic partnerships"], level=2,
            source="Riverside peer team review, 2026", note="Partner with the recovery college.")
    shipped = (reference.strategy_matches(organisation_id=org.pk).filter(organisation__isnull=True, level=2)
               .order_by("id").first())
    if shipped:
        services.strategy_match_retire(actor=admin, match=shipped)
    if "III.J.2" in constructs:
        services.barrier_template_create(
            actor=admin, kind="barrier", title="No quiet room for peer conversations", construct=constructs["III.J.2"],
            source="Riverside peer team meeting, March",
            description="Peers meet people in corridors because no room can be booked.")


DONE = ["leadership_commitment", "policy_and_funding", "record_access", "educate_all_stakeholders",
        "logistics_equipment", "ongoing_supervision", "role_defined_together"]
OVERDUE = {"fair_pay": ("leader", 9, PlanItemStatus.IN_PROGRESS),
           "training_peers_and_staff": ("supervisor", 3, PlanItemStatus.NOT_STARTED)}
IN_PROGRESS = ["recovery_oriented_culture", "peers_in_meetings"]
ROLE_DONE_DAYS_AGO = 20


def _schedule(ctx: DemoContext, plan: ImplementationPlan, start: Any) -> None:
    """About half the actions done (with dates), some in progress, two overdue, the rest ahead, one dropped."""
    owners = [ctx.staff[name] for name in ("leader", "supervisor", "admin", "clinician", "peer")]
    ImplementationPlan.objects.filter(pk=plan.pk).update(created_at=_aware(start))
    items = list(plan.items.select_related("checklist_template").order_by("order"))
    extra = [i for i in items if i.checklist_template is None]
    for index, item in enumerate(items):
        key = item.checklist_template.key if item.checklist_template else ""
        owner, completed_on = owners[index % len(owners)], None
        if key in DONE:
            position = DONE.index(key)
            due = start + timedelta(days=25 + 14 * position)
            completed_on = (ctx.today - timedelta(days=ROLE_DONE_DAYS_AGO) if key == "role_defined_together"
                            else due - timedelta(days=ctx.rng.randint(0, 6)))
            status = PlanItemStatus.DONE
        elif key in OVERDUE:
            name, days, status = OVERDUE[key]
            owner, due = ctx.staff[name], ctx.today - timedelta(days=days)
        elif key in IN_PROGRESS:
            due, status = ctx.today + timedelta(days=6 + 5 * IN_PROGRESS.index(key)), PlanItemStatus.IN_PROGRESS
        elif extra and item == extra[-1]:
            due, status = ctx.today + timedelta(days=60), PlanItemStatus.DROPPED
        else:
            due, status = ctx.today + timedelta(days=30 + 10 * (index % 6)), PlanItemStatus.NOT_STARTED
        PlanItem.objects.filter(pk=item.pk).update(owner=owner, due_on=due, status=status, completed_on=completed_on,
                                                   created_at=_aware(start))

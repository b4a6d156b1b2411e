"""Demo readiness rounds: two closed organisation-wide rounds six months apart that show improvement
(ORIC commitment ~3.1 → ~3.9, efficacy ~2.9 → ~3.6, AIM/IAM/FIM up), and a third round open now that the
demo peer and clinician have not answered yet. Every role is invited; about four in five answer."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from peerpath.demo.context import DemoContext
from peerpath.implementation.models import ReadinessAnswer, ReadinessInvitation, ReadinessResponse, RoundStatus
from peerpath.implementation.readiness import scoring, services

INSTRUMENTS = ["oric", "aim", "iam", "fim"]
PROMPT = "What would make peer support work better here?"
# (title, opened days ago, centre of the answers per subscale / instrument)
ROUNDS = [
    ("Readiness for peer support — spring", 200,
     {"change_commitment": 2.85, "change_efficacy": 2.8, "aim": 3.0, "iam": 3.0, "fim": 2.8}),
    ("Readiness for peer support — autumn", 20,
     {"change_commitment": 3.9, "change_efficacy": 3.6, "aim": 4.0, "iam": 3.9, "fim": 3.7}),
]
COMMENTS = [
    "Peers should be at the Monday team meeting, not just invited when there is time.",
    "I am still not sure what the peer worker is allowed to do with my clients.",
    "The new role description helped a lot.",
    "We need supervision from someone who has done peer work.",
    "Clients ask for the peer worker by name now.",
    "Referrals to the peer team are still slow from the inpatient ward.",
    "More training for managers about what peer support is.",
]


def seed(ctx: DemoContext) -> None:
    org = ctx.organisations[0]
    leader = ctx.staff["leader"]
    staff = [s for s in ctx.all_staff[org.pk] if s.is_active]
    roles = sorted({str(s.role) for s in staff})
    rng = ctx.rng
    for title, days_ago, centres in ROUNDS:
        opened = ctx.today - timedelta(days=days_ago)
        readiness_round = services.readiness_round_open(
            actor=leader, title=title, opens_on=opened, closes_on=opened + timedelta(days=21),
            instrument_codes=INSTRUMENTS, invited_roles=roles, free_text_prompt=PROMPT)
        instruments = list(readiness_round.instruments.prefetch_related("items"))
        invitations = list(ReadinessInvitation.objects.filter(readiness_round=readiness_round).order_by("pk"))
        answered_at = timezone.make_aware(datetime.combine(opened + timedelta(days=5), time(10)))
        responses: list[ReadinessResponse] = []
        given_by_response: list[dict[Any, int]] = []
        for invitation in invitations:
            if rng.random() > 0.8:
                continue  # about four in five answer
            person = rng.gauss(0, 0.45)  # some people are more positive than others
            given: dict[Any, int] = {}
            for instrument in instruments:
                for item in instrument.items.all():
                    if rng.random() < 0.025:
                        continue  # the odd item left blank: scored by the instrument's missing-item rule
                    centre = centres.get(item.subscale) or centres[instrument.code]
                    given[item] = max(1, min(5, round(rng.gauss(centre + person, 0.6))))
            scores = {
                i.code: scoring.score(scoring=i.scoring, missing_rule=i.missing_rule,
                                      items=[(it.number, it.subscale) for it in i.items.all()],
                                      answers={it.number: v for it, v in given.items() if it.instrument_id == i.pk})
                for i in instruments}
            responses.append(ReadinessResponse(
                readiness_round=readiness_round, respondent_id=invitation.staff_id, role=invitation.role,
                scores=scores, comment=rng.choice(COMMENTS) if rng.random() < 0.3 else ""))
            given_by_response.append(given)
            invitation.responded_at = answered_at
        ReadinessResponse.objects.bulk_create(responses)
        ReadinessAnswer.objects.bulk_create([
            ReadinessAnswer(response=response, item=item, value=value)
            for response, given in zip(responses, given_by_response, strict=True) for item, value in given.items()])
        ReadinessInvitation.objects.bulk_update([i for i in invitations if i.responded_at], ["responded_at"])
        readiness_round.status = RoundStatus.CLOSED
        readiness_round.save(update_fields=["status"])
    # Open now: the demo peer and clinician are invited (with everyone) and have not answered yet.
    services.readiness_round_open(
        actor=leader, title="Readiness for peer support — this month", opens_on=ctx.today - timedelta(days=3),
        closes_on=ctx.today + timedelta(days=18), instrument_codes=INSTRUMENTS, invited_roles=roles,
        free_text_prompt=PROMPT)

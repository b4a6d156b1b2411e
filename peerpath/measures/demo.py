"""Demo data for measures: schedules per program (team), intake and follow-up scores that improve for most peer
clients (PHQ-9 mean falling by about 3–5 points by three months, a quarter not improving), some usual-care
(comparison) clients measured at referral and about three months later, due / overdue / missed measures for the
demo ``peer`` today, one PHQ-9 item 9 safety alert, one same-day follow-up for a PHQ-9 item 9 a client left blank on
their own link (severe total), one custom instrument, and an unused one-time link.

Scores are drawn as target totals, spread over the items, and then scored by the real engine, so the bands and
totals in the demo follow the same rules as live data. Rows are bulk-created (a few thousand; well under a second).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from peerpath.clients.models import Match, Referral
from peerpath.demo.context import DemoContext
from peerpath.measures import scoring, tasks
from peerpath.measures.administrations import services as administrations_services
from peerpath.measures.choices import AdministrationStatus, Mode, Timepoint
from peerpath.measures.instruments import services as instruments_services
from peerpath.measures.library import load_shipped, spec_for
from peerpath.measures.links import services as links_services
from peerpath.measures.models import (
    Administration,
    Enrolment,
    Instrument,
    InstrumentItem,
    ItemAnswer,
    MeasureSchedule,
    ResponseOption,
    ScheduleInstrument,
    ScheduleTimepoint,
)

POINTS = [(Timepoint.INTAKE, 0, 0, 14), (Timepoint.FOLLOWUP, 30, 7, 14), (Timepoint.FOLLOWUP, 90, 14, 21),
          (Timepoint.FOLLOWUP, 182, 30, 60), (Timepoint.DISCHARGE, 0, 7, 14)]
# Per team (in team order): schedule name, second instrument, share of windows completed (some programs miss target).
PROGRAMS = [("ACT outcomes", "qpr15", 0.9), ("Inpatient transition", "gad7", 0.62), ("Community recovery", "qpr15", 0.86),
            ("ED liaison follow-up", "gad7", 0.7)]


def _aware(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def seed(ctx: DemoContext) -> None:
    load_shipped()
    tasks.ensure_schedule()
    specs = {i.code: (i, spec_for(i)) for i in Instrument.objects.filter(organisation=None)}
    for index, org in enumerate(ctx.organisations):
        _seed_org(ctx, org, specs, main=index == 0)


def _answers_for(rng: Any, spec: scoring.InstrumentSpec, target: float, *, safety: bool = False) -> dict[int, int]:
    """Item answers summing to about ``target`` (items filled at random; PHQ-9 item 9 stays 0 unless ``safety``)."""
    items = list(spec.items)
    answers = {i.number: i.low for i in items}
    fillable = [i for i in items if not (spec.code == "phq9" and i.number == 9)]
    goal = round(target) - sum(answers.values())
    for _ in range(max(0, goal)):
        open_items = [i for i in fillable if answers[i.number] < i.high]
        if not open_items:
            break
        answers[rng.choice(open_items).number] += 1
    if safety:
        answers[9] = 1
    return answers


def _seed_org(ctx: DemoContext, org: Any, specs: dict[str, Any], *, main: bool) -> None:
    rng, today = ctx.rng, ctx.today
    teams = ctx.teams[org.pk]
    schedules: dict[int, tuple[MeasureSchedule, list[str], float]] = {}
    for team, (name, second, rate) in zip(teams, PROGRAMS, strict=False):
        schedule = MeasureSchedule.objects.create(organisation=org, name=name, team=team, target_followup_rate=80)
        codes = ["phq9", second]
        ScheduleInstrument.objects.bulk_create([ScheduleInstrument(schedule=schedule, instrument=specs[c][0]) for c in codes])
        ScheduleTimepoint.objects.bulk_create([ScheduleTimepoint(schedule=schedule, kind=k, day_offset=d, window_before_days=b,
                                                                 window_after_days=a) for k, d, b, a in POINTS])
        schedules[team.pk] = (schedule, codes, rate)

    matches = list(Match.objects.filter(organisation=org).select_related("client", "peer").order_by("pk"))
    engaged = [m for m in matches if m.ended_on is None or (m.ended_on - m.started_on).days >= 30]
    peer_client_ids = {m.client_id for m in engaged}
    enrolments: list[Enrolment] = []
    plans: list[tuple[Enrolment, Match]] = []
    seen: set[int] = set()
    for match in engaged:
        if match.client_id in seen or match.client.team_id not in schedules:
            continue
        seen.add(match.client_id)
        enrolment = Enrolment(organisation=org, client=match.client, schedule=schedules[match.client.team_id][0],
                              start_on=match.started_on, enrolled_by=match.peer, discharged_on=match.ended_on,
                              is_active=match.ended_on is None)
        enrolments.append(enrolment)
        plans.append((enrolment, match))
    Enrolment.objects.bulk_create(enrolments)

    rows: list[Administration] = []
    answers: list[dict[int, int] | None] = []
    for enrolment, match in plans:
        _schedule, codes, rate = schedules[match.client.team_id]
        improver = rng.random() < 0.75
        baseline = {"phq9": min(24.0, max(3.0, rng.gauss(14.5, 4.5))), "gad7": min(21.0, max(2.0, rng.gauss(11, 4))),
                    "qpr15": min(55.0, max(5.0, rng.gauss(29, 8)))}
        end = match.ended_on
        for kind, day, before, after in POINTS:
            due = (end if kind == Timepoint.DISCHARGE else match.started_on + timedelta(days=day))
            if due is None or (end and kind != Timepoint.DISCHARGE and due > end):
                continue
            start, close = due - timedelta(days=before), due + timedelta(days=after)
            months = max(0.0, (due - match.started_on).days / 30.4)
            for code in codes:
                instrument, spec = specs[code]
                row = Administration(organisation=org, client_id=match.client_id, instrument=instrument, enrolment=enrolment,
                                     timepoint=kind, followup_day=day if kind == Timepoint.FOLLOWUP else None, due_on=due,
                                     window_start=start, window_end=close, status=AdministrationStatus.DUE,
                                     language=match.client.language if match.client.language in {"en", "es"} else "en")
                last_possible = min(close, today - timedelta(days=1))
                done_day = None
                if last_possible >= start and rng.random() < (rate if close < today else 0.5):
                    done_day = start + timedelta(days=rng.randint(0, (last_possible - start).days))
                if done_day is None:
                    row.status = AdministrationStatus.MISSED if close < today else AdministrationStatus.DUE
                    rows.append(row)
                    answers.append(None)
                    continue
                if code == "qpr15":
                    change = (min(8.0, 2.0 + months * 2.5) if improver else 0.0) + rng.gauss(0, 3)
                    target = baseline[code] + change
                else:
                    scale = 1.0 if code == "phq9" else 0.8
                    change = (-min(6.0, 1.5 + months * 1.6) * scale if improver else 0.5) + rng.gauss(0, 2)
                    target = baseline[code] + change
                row.status = AdministrationStatus.COMPLETED
                row.completed_at = _aware(done_day, rng.randint(9, 17))
                row.mode = Mode.WITH_PEER if rng.random() < 0.8 else Mode.SELF
                row.entered_by = match.peer if row.mode == Mode.WITH_PEER else None
                rows.append(row)
                answers.append(_answers_for(rng, spec, target))

    # Usual care: referred clients who never started (or stopped within 30 days), measured at referral and ~3 months later.
    referrals = (Referral.objects.filter(organisation=org).exclude(client_id__in=peer_client_ids)
                 .select_related("client").order_by("client_id", "created_at"))
    instrument, spec = specs["phq9"]
    compared: set[int] = set()
    for referral in referrals:
        if referral.client_id in compared or rng.random() < 0.2:
            continue
        compared.add(referral.client_id)
        first = timezone.localdate(referral.created_at)
        later = first + timedelta(days=rng.randint(45, 100))
        baseline_score = min(24.0, max(3.0, rng.gauss(14.5, 4.5)))
        for kind, on, score_target in ((Timepoint.INTAKE, first, baseline_score),
                                       (Timepoint.FOLLOWUP, later, baseline_score + rng.gauss(-0.8, 3))):
            if on >= today:
                continue
            rows.append(Administration(organisation=org, client_id=referral.client_id, instrument=instrument, timepoint=kind,
                                       due_on=on, status=AdministrationStatus.COMPLETED, completed_at=_aware(on, 11),
                                       mode=Mode.SELF, language="en"))
            answers.append(_answers_for(rng, spec, score_target))

    specs_by_id = {i.pk: s for i, s in specs.values()}
    for row, given in zip(rows, answers, strict=True):
        if given is not None:
            result = scoring.score(specs_by_id[row.instrument_id], given)
            row.raw_score, row.total_score, row.band = result.raw, result.total, result.band
            row.subscale_scores, row.missing_items = result.subscales, result.missing
    Administration.objects.bulk_create(rows, batch_size=1000)
    items = {(i.instrument_id, i.number): i.pk for i in InstrumentItem.objects.filter(instrument__organisation=None)}
    ItemAnswer.objects.bulk_create(
        [ItemAnswer(administration_id=row.pk, item_id=items[(row.instrument_id, number)], value=value)
         for row, given in zip(rows, answers, strict=True) if given for number, value in given.items()],
        batch_size=5000)
    if main:
        _seed_demo_peer(ctx, org, specs)
        _seed_custom_instrument(ctx, org)


def _seed_demo_peer(ctx: DemoContext, org: Any, specs: dict[str, Any]) -> None:
    """Make sure the demo peer has something due, overdue and missed today, a safety alert and an unused link."""
    today = ctx.today
    peer = ctx.staff["peer"]
    matches = list(Match.objects.filter(peer=peer, is_active=True).select_related("client").order_by("pk")[:6])
    if len(matches) < 4:
        return
    phq9 = specs["phq9"][0]
    gad7 = specs["gad7"][0]
    for match, (due_delta, start_delta, end_delta, status) in zip(matches[:3], [
            (0, -7, 14, AdministrationStatus.DUE), (-5, -12, 9, AdministrationStatus.DUE),
            (-20, -27, -3, AdministrationStatus.MISSED)], strict=True):
        Administration.objects.create(
            organisation=org, client=match.client, instrument=gad7, timepoint=Timepoint.FOLLOWUP, followup_day=30,
            due_on=today + timedelta(days=due_delta), window_start=today + timedelta(days=start_delta),
            window_end=today + timedelta(days=end_delta), status=status, language="en")
    # A safety alert through the real service: the peer and supervisor are notified with the protocol.
    alert_adm = Administration.objects.create(organisation=org, client=matches[3].client, instrument=phq9,
                                              timepoint=Timepoint.FOLLOWUP, due_on=today, status=AdministrationStatus.DUE)
    administrations_services.administration_submit(actor=peer, administration=alert_adm,
                                   answers={1: 2, 2: 2, 3: 1, 4: 2, 5: 1, 6: 2, 7: 1, 8: 0, 9: 1})
    # An unused one-time link (in Spanish) for a measure due today.
    link_adm = Administration.objects.create(organisation=org, client=matches[0].client, instrument=phq9,
                                             timepoint=Timepoint.FOLLOWUP, due_on=today, status=AdministrationStatus.DUE,
                                             language="es")
    links_services.link_create(actor=peer, administration=link_adm, language="es")
    if len(matches) > 4:
        # A client's own answers by link with question 9 left blank and a severe total: a same-day follow-up on the
        # demo peer's Today and the supervisor's inbox (nobody could ask question 9 again).
        blank_adm = Administration.objects.create(organisation=org, client=matches[4].client, instrument=phq9,
                                                  timepoint=Timepoint.FOLLOWUP, due_on=today, status=AdministrationStatus.DUE)
        _link, token = links_services.link_create(actor=peer, administration=blank_adm, language="en")
        links_services.link_submit(token=token, answers={**{n: 3 for n in range(1, 9)}, 9: None}, language="en")


def _seed_custom_instrument(ctx: DemoContext, org: Any) -> None:
    """Riverside's own short check-in, built by its admin (one reverse-scored item, two subscales, bands)."""
    admin = ctx.staff["admin"]
    instrument = instruments_services.instrument_create(
        actor=admin, code="checkin", name="Riverside peer check-in", name_es="Chequeo entre pares de Riverside",
        instructions="Thinking about the last week:", instructions_es="Pensando en la última semana:",
        recall_period="1 week", attribution="Riverside Mental Health & Recovery Services (internal use)", max_missing=1,
        higher_is_better=True)
    ResponseOption.objects.bulk_create([
        ResponseOption(instrument=instrument, value=v, label=label, label_es=label_es)
        for v, label, label_es in ((0, "Not at all", "Nada"), (1, "A little", "Un poco"), (2, "Somewhat", "Algo"),
                                   (3, "Mostly", "Bastante"), (4, "Completely", "Totalmente"))])
    for text, text_es, reverse, subscale in (
            ("I felt hopeful about my future", "Me sentí con esperanza sobre mi futuro", False, "hope"),
            ("I had people I could turn to", "Tuve personas a quienes acudir", False, "connection"),
            ("I felt stuck", "Me sentí estancado/a", True, "hope"),
            ("I did something I enjoyed", "Hice algo que disfruté", False, "connection")):
        instruments_services.instrument_add_item(actor=admin, instrument=instrument, text=text, text_es=text_es,
                                     reverse_scored=reverse, subscale=subscale)
    instruments_services.instrument_add_band(actor=admin, instrument=instrument, low=Decimal(0), high=Decimal(7), label="Struggling", label_es="Con dificultades")
    instruments_services.instrument_add_band(actor=admin, instrument=instrument, low=Decimal(8), high=Decimal(12), label="Getting there", label_es="Avanzando")
    instruments_services.instrument_add_band(actor=admin, instrument=instrument, low=Decimal(13), high=Decimal(16), label="Doing well", label_es="Bien")
    instruments_services.instrument_publish(actor=admin, instrument=instrument)
    peer = ctx.staff["peer"]
    for match in Match.objects.filter(peer=peer, is_active=True).select_related("client").order_by("-pk")[:4]:
        adm = administrations_services.administration_create(actor=peer, client=match.client, instrument=instrument)
        administrations_services.administration_submit(actor=peer, administration=adm,
                                       answers={1: ctx.rng.randint(1, 4), 2: ctx.rng.randint(1, 4), 3: ctx.rng.randint(0, 3),
                                                4: ctx.rng.randint(1, 4)})

"""Integration of peer workers measured from real work, per team and month (issue 5 §6).

Everything comes from operational records, never from opinion:

* **meeting attendance** — peer attendances at the team's care-team meetings ÷ (meetings × the team's peers):
  a peer who is not even invited counts as absent, which is the exclusion the literature warns about;
* **referrals** — referrals of clients to the team's peer support;
* **consultations** — colleagues asking one of the team's peers for their view; *reach* is the share of the
  team's peers consulted at least once that month;
* **caseload** — matches active on the month's last day, per peer;
* **peer-specific share** — of the minutes the team's peers spent with clients, the share spent on
  peer-specific work (sharing experience, advocacy, community connection, hope and goals) rather than generic
  tasks (transport, paperwork, reminders): the first of Dixon's two gradients;
* **record access** — distinct clients in the peers' own caseloads whose record a peer of the team opened that
  month (from the audit trail), ÷ active matches: are peers allowed and expected to read the record?

The *integration index* — the second gradient — is the mean of the three proportions that describe being part
of the team: meeting attendance, consultation reach and record access. Each figure is shown beside it, so
nobody has to trust the index.

One grouped query per source (five in all, plus teams and peers), whatever the number of teams and months; on
PostgreSQL the three largest run on their own connections at the same time. A staff member belongs to a team
through an active membership; people in several teams count in each. Only aggregates per team leave here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import mean
from typing import Any

from django.db import connection, connections
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from peerpath.accounts.models import TeamMembership
from peerpath.care.models import Encounter, PeerConsultation, TeamMeeting
from peerpath.clients.models import Match, Referral
from peerpath.core.choices import AuditAction, Role
from peerpath.core.models import AuditEvent, Team

PERIODS = (6, 12, 24, 36)  # months a reader can choose; the page shows the last 12 by default
DEFAULT_MONTHS = 12


@dataclass
class TeamMonth:
    """One team in one month. Rates are 0..1, or None when there is nothing to divide by."""

    month: date
    peers: int
    meetings: int = 0
    peer_attendances: int = 0
    referrals: int = 0
    consultations: int = 0
    peers_consulted: int = 0
    active_matches: int = 0
    encounter_minutes: int = 0
    peer_specific_minutes: int = 0
    clients_opened: int = 0

    @property
    def attendance_rate(self) -> float | None:
        possible = self.meetings * self.peers
        return min(1.0, self.peer_attendances / possible) if possible else None

    @property
    def consultation_reach(self) -> float | None:
        return min(1.0, self.peers_consulted / self.peers) if self.peers else None

    @property
    def caseload(self) -> float | None:
        return self.active_matches / self.peers if self.peers else None

    @property
    def peer_specific_share(self) -> float | None:
        return self.peer_specific_minutes / self.encounter_minutes if self.encounter_minutes else None

    @property
    def record_access_rate(self) -> float | None:
        return min(1.0, self.clients_opened / self.active_matches) if self.active_matches else None

    @property
    def integration_index(self) -> float | None:
        parts = [p for p in (self.attendance_rate, self.consultation_reach, self.record_access_rate) if p is not None]
        return mean(parts) if parts else None


@dataclass
class TeamTrend:
    team_id: int
    name: str
    peers: int
    months: list[TeamMonth] = field(default_factory=list)
    # The month still in progress (this month): shown, but left out of the change between quarters — a few
    # days of a month swing its rates and would pass for a trend.
    in_progress: date | None = None

    @property
    def complete_months(self) -> list[TeamMonth]:
        return [row for row in self.months if row.month != self.in_progress]

    def _mean_of(self, rows: list[TeamMonth], attribute: str) -> float | None:
        values = [getattr(row, attribute) for row in rows]
        present = [v for v in values if v is not None]
        return mean(present) if present else None

    def first_quarter(self, attribute: str) -> float | None:
        return self._mean_of(self.complete_months[:3], attribute)

    def last_quarter(self, attribute: str) -> float | None:
        return self._mean_of(self.complete_months[-3:], attribute)

    def change(self, attribute: str) -> float | None:
        first, last = self.first_quarter(attribute), self.last_quarter(attribute)
        return None if first is None or last is None else last - first

    @property
    def path(self) -> list[dict[str, Any]]:
        """The team's points on the two-gradients chart: a point per month over six months, else a point per
        calendar quarter (the mean of its months in the period), so that month-to-month noise does not hide the
        direction."""
        groups: dict[str, list[TeamMonth]] = {}
        for row in self.months:
            label = f"{row.month:%Y-%m}" if len(self.months) <= 6 else quarter_label(row.month)
            groups.setdefault(label, []).append(row)
        points = []
        for label, rows in groups.items():
            x, y = self._mean_of(rows, "peer_specific_share"), self._mean_of(rows, "integration_index")
            if x is not None and y is not None:
                points.append({"label": label, "x": x, "y": y})
        return points


@dataclass
class IntegrationMetrics:
    start: date  # first day of the first month
    end: date  # first day after the last month
    months: list[date]
    teams: list[TeamTrend]
    queries: int = 0


def quarter_label(month: date) -> str:
    return f"{month.year} Q{(month.month - 1) // 3 + 1}"


def month_starts(*, months: int, today: date | None = None) -> list[date]:
    """The first days of the last ``months`` calendar months, this month included, oldest first."""
    today = today or timezone.localdate()
    year, month = today.year, today.month
    starts = []
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return starts[::-1]


def _next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def _as_month(value: date | datetime) -> date:
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


def _aware(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.get_current_timezone())


def _in_parallel(works: dict[str, Callable[[], list[dict[str, Any]]]]) -> dict[str, list[dict[str, Any]]]:
    """Run the grouped queries at the same time on their own connections (PostgreSQL, outside a transaction,
    where each is a scan of millions of rows); elsewhere, or inside a transaction (tests), one after another."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return {name: work() for name, work in works.items()}

    def run(work: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]]:
        try:
            return work()
        finally:
            connections["default"].close()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=len(works)) as pool:
        futures = {name: pool.submit(run, work) for name, work in works.items()}
        return {name: future.result() for name, future in futures.items()}


def teams_for(user: Any) -> list[Team]:
    return list(Team.objects.filter(organisation_id=user.organisation_id, is_active=True).order_by("name"))


def _peer_members(organisation_id: int, team_ids: Iterable[int]) -> dict[int, int]:
    rows = (TeamMembership.objects.filter(team_id__in=list(team_ids), is_active=True, staff__is_active=True,
                                          staff__role=Role.PEER, staff__organisation_id=organisation_id)
            .values("team_id").annotate(n=Count("staff_id", distinct=True)))
    return {row["team_id"]: row["n"] for row in rows}


def _peer_team_filter(prefix: str) -> Q:
    """Rows done by a peer, joined to each team the peer actively belongs to."""
    return Q(**{f"{prefix}__role": Role.PEER, f"{prefix}__memberships__is_active": True})


def integration_metrics(*, user: Any, months: int = DEFAULT_MONTHS, team_id: int | None = None,
                        today: date | None = None) -> IntegrationMetrics:
    """Integration metrics per team (or for one team) and month over the last ``months`` months."""
    org = user.organisation_id
    starts = month_starts(months=months, today=today)
    start, end = starts[0], _next_month(starts[-1])
    start_at, end_at = _aware(start), _aware(end)
    teams = [t for t in teams_for(user) if team_id is None or t.pk == team_id]
    team_ids = [t.pk for t in teams]
    peers = _peer_members(org, team_ids)

    meetings = (TeamMeeting.objects.filter(organisation_id=org, team_id__in=team_ids, held_at__gte=start_at,
                                           held_at__lt=end_at)
                .annotate(month=TruncMonth("held_at")).values("team_id", "month")
                .annotate(meetings=Count("id", distinct=True),
                          peer_attendances=Count("attendance", filter=Q(attendance__attended=True,
                                                                        attendance__staff__role=Role.PEER))))
    referrals = (Referral.objects.filter(organisation_id=org, team_id__in=team_ids, created_at__gte=start_at,
                                         created_at__lt=end_at)
                 .annotate(month=TruncMonth("created_at")).values("team_id", "month").annotate(referrals=Count("id")))
    consultations = (PeerConsultation.objects.filter(_peer_team_filter("peer"), organisation_id=org,
                                                     peer__memberships__team_id__in=team_ids,
                                                     held_at__gte=start_at, held_at__lt=end_at)
                     .annotate(month=TruncMonth("held_at"), team_id=F("peer__memberships__team_id"))
                     .values("team_id", "month")
                     .annotate(consultations=Count("id"), peers_consulted=Count("peer_id", distinct=True)))
    encounters = (Encounter.objects.filter(_peer_team_filter("peer"), organisation_id=org,
                                           peer__memberships__team_id__in=team_ids,
                                           started_at__gte=start_at, started_at__lt=end_at)
                  .annotate(month=TruncMonth("started_at"), team_id=F("peer__memberships__team_id"))
                  .values("team_id", "month")
                  .annotate(encounter_minutes=Sum("duration_minutes"), peer_specific_minutes=Sum("peer_specific_minutes")))
    # Caseload on each month's last day = matches started by then − matches ended by then, so two grouped
    # counts over the whole history replace a query per month.
    match_rows = Match.objects.filter(_peer_team_filter("peer"), organisation_id=org,
                                      peer__memberships__team_id__in=team_ids, started_on__lt=end)
    match_starts = (match_rows.annotate(month=TruncMonth("started_on"), team_id=F("peer__memberships__team_id"))
                    .values("team_id", "month").annotate(n=Count("id")))
    match_ends = (match_rows.filter(ended_on__isnull=False, ended_on__lt=end)
                  .annotate(month=TruncMonth("ended_on"), team_id=F("peer__memberships__team_id"))
                  .values("team_id", "month").annotate(n=Count("id")))
    # A peer opening the record of a client in their own caseload (any of their matches with that client).
    record_reads = (AuditEvent.objects.filter(_peer_team_filter("actor"), organisation_id=org,
                                              action=AuditAction.VIEW, client__isnull=False,
                                              actor__memberships__team_id__in=team_ids,
                                              occurred_at__gte=start_at, occurred_at__lt=end_at,
                                              client__matches__peer_id=F("actor_id"))
                    .annotate(month=TruncMonth("occurred_at"), team_id=F("actor__memberships__team_id"))
                    .values("team_id", "month", "actor_id").annotate(clients=Count("client_id", distinct=True)))

    results = _in_parallel({
        "encounters": lambda: [dict(row) for row in encounters],
        "record_reads": lambda: [dict(row) for row in record_reads],
        "small": lambda: [{"source": name, **row} for name, query in
                          (("meetings", meetings), ("referrals", referrals), ("consultations", consultations),
                           ("starts", match_starts), ("ends", match_ends)) for row in query],
    })

    grid: dict[tuple[int, date], TeamMonth] = {
        (t.pk, m): TeamMonth(month=m, peers=peers.get(t.pk, 0)) for t in teams for m in starts}

    def cell(row: dict[str, Any]) -> TeamMonth | None:
        return grid.get((row["team_id"], _as_month(row["month"])))

    started: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    ended: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for row in results["small"]:
        source = row["source"]
        if source in ("starts", "ends"):
            (started if source == "starts" else ended)[row["team_id"]][_as_month(row["month"])] += row["n"]
            continue
        target = cell(row)
        if target is None:
            continue
        if source == "meetings":
            target.meetings, target.peer_attendances = row["meetings"], row["peer_attendances"]
        elif source == "referrals":
            target.referrals = row["referrals"]
        else:
            target.consultations, target.peers_consulted = row["consultations"], row["peers_consulted"]
    for row in results["encounters"]:
        if (target := cell(row)) is not None:
            target.encounter_minutes = row["encounter_minutes"] or 0
            target.peer_specific_minutes = row["peer_specific_minutes"] or 0
    for row in results["record_reads"]:
        if (target := cell(row)) is not None:
            target.clients_opened += row["clients"]
    for team in teams:
        _fill_caseload(grid, team.pk, starts, started[team.pk], ended[team.pk])

    trends = [TeamTrend(team_id=t.pk, name=t.name, peers=peers.get(t.pk, 0), months=[grid[(t.pk, m)] for m in starts],
                        in_progress=starts[-1])
              for t in teams]
    return IntegrationMetrics(start=start, end=end, months=starts,
                              teams=[t for t in trends if t.peers or any(m.encounter_minutes for m in t.months)])


def _fill_caseload(grid: dict[tuple[int, date], TeamMonth], team_id: int, starts: list[date],
                   started: dict[date, int], ended: dict[date, int]) -> None:
    active = sum(n for month, n in started.items() if month < starts[0]) - sum(
        n for month, n in ended.items() if month < starts[0])
    for month in starts:
        active += started.get(month, 0) - ended.get(month, 0)
        grid[(team_id, month)].active_matches = max(active, 0)

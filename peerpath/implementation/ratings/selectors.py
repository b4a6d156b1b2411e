"""Reads for CFIR 2.0 ratings: rounds the user may see, the rating sheet of a round, and the heat-map
(constructs × rounds, Individuals as roles × characteristics, change between the two latest rounds).
A missing round and one the user may not see raise the same Http404."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from peerpath.core.choices import Role
from peerpath.implementation.models import CfirConstruct, CfirRating, CfirRatingRound, RatingValue
from peerpath.implementation.ratings import rules
from peerpath.implementation.reference.models import CfirDomain, ConstructKind

HEATMAP_ROUNDS = 6  # columns of the heat-map: the latest rounds of one scope

# Valence colours (background, text). Every pair has a contrast ratio of at least 4.5:1, and each cell
# also shows its value as text, so colour is never the only signal.
PALETTE = {
    "2": ("#1b5e20", "#ffffff"),
    "1": ("#c8e6c9", "#10300f"),
    "0": ("#eceff1", "#1f2933"),
    "-1": ("#ffd6d1", "#5c0d05"),
    "-2": ("#b71c1c", "#ffffff"),
    RatingValue.MIXED.value: ("#fff3c4", "#4a3800"),
    RatingValue.MISSING.value: ("#ffffff", "#3d4852"),
    "": ("#ffffff", "#3d4852"),
}


def rounds_for(user: Any) -> QuerySet[CfirRatingRound]:
    """Active rating rounds the user may read, newest first, with ``rating_count``."""
    rounds = CfirRatingRound.objects.filter(organisation_id=user.organisation_id, is_active=True)
    if user.role not in rules.READERS:
        return rounds.none()
    if user.role == Role.SUPERVISOR:
        rounds = rounds.filter(Q(team__isnull=True) | Q(team_id__in=rules.team_ids(user)))
    return (rounds.select_related("team", "created_by", "dataset")
            .annotate(rating_count=Count("ratings", filter=Q(ratings__is_active=True)))
            .order_by("-rated_on", "-id"))


def round_for(user: Any, pk: Any) -> CfirRatingRound:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("No such rating round.") from None
    found = rounds_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404("No such rating round.")
    return found


def ratings_of(rating_round: CfirRatingRound) -> QuerySet[CfirRating]:
    return (CfirRating.objects.filter(rating_round=rating_round, is_active=True)
            .select_related("construct", "role", "rated_by").order_by("construct__order", "role__order"))


def constructs_of(dataset_id: int) -> list[CfirConstruct]:
    return list(CfirConstruct.objects.filter(dataset_id=dataset_id).select_related("parent").order_by("order", "id"))


# ------------------------------------------------------------------ cells


@dataclass
class Cell:
    """One rating as shown: ``key`` is "2".."-2", "mixed", "missing", or "" (not rated)."""

    key: str
    score: int | None = None
    evidence: str = ""

    @property
    def text(self) -> str:
        if self.key == RatingValue.MIXED:
            return _("Mixed")
        if self.key == RatingValue.MISSING:
            return _("Missing")
        if self.key == "":
            return "—"
        return f"+{self.score}" if self.score and self.score > 0 else ("−" + str(-self.score) if self.score else "0")

    @property
    def short(self) -> str:
        if self.key == RatingValue.MIXED:
            return "X"
        if self.key == RatingValue.MISSING:
            return "M"
        return self.text

    @property
    def label(self) -> str:
        """What a screen reader hears for the cell."""
        if self.key == "":
            return _("not rated")
        if self.key == RatingValue.MIXED:
            return _("mixed")
        if self.key == RatingValue.MISSING:
            return _("missing (not enough data)")
        return self.text

    @property
    def style(self) -> str:
        background, ink = PALETTE[self.key]
        return f"background:{background};color:{ink}"


def legend() -> list[dict[str, str]]:
    """The heat-map's colours with what each means (the legend shown beside every heat-map)."""
    labels = [("2", _("+2 strong positive")), ("1", _("+1 weak positive")), ("0", _("0 neutral")),
              ("-1", _("−1 weak negative")), ("-2", _("−2 strong negative")),
              (RatingValue.MIXED.value, _("Mixed")), (RatingValue.MISSING.value, _("Missing: not enough data")),
              ("", _("— not rated in that round"))]
    return [{"style": Cell(key).style, "label": label} for key, label in labels]


def cell_of(rating: CfirRating | None) -> Cell:
    if rating is None:
        return Cell("")
    if rating.value == RatingValue.RATED:
        return Cell(str(rating.score), rating.score, rating.evidence)
    return Cell(rating.value, None, rating.evidence)


def change_between(before: Cell, after: Cell) -> dict[str, Any]:
    """"improved", "worsened", "same", "changed" (mixed/missing involved) or "" (nothing to compare)."""
    if before.key == "" or after.key == "":
        return {"kind": "", "text": "", "delta": None}
    if before.score is not None and after.score is not None:
        delta = after.score - before.score
        if delta > 0:
            return {"kind": "improved", "text": _("improved (+%(d)s)") % {"d": delta}, "delta": delta}
        if delta < 0:
            return {"kind": "worsened", "text": _("worsened (−%(d)s)") % {"d": -delta}, "delta": delta}
        return {"kind": "same", "text": _("no change"), "delta": 0}
    if before.key == after.key:
        return {"kind": "same", "text": _("no change"), "delta": None}
    return {"kind": "changed", "text": _("%(before)s → %(after)s") % {"before": before.label, "after": after.label},
            "delta": None}


# ------------------------------------------------------------------ heat-map


@dataclass
class HeatRow:
    construct: CfirConstruct
    cells: list[Cell]
    change: dict[str, Any]
    is_sub: bool = False


@dataclass
class HeatDomain:
    code: str
    name: str
    rows: list[HeatRow] = field(default_factory=list)


@dataclass
class RoleRow:
    role: CfirConstruct
    cells: list[tuple[Cell, Cell, dict[str, Any]]]  # per characteristic: (latest, previous, change)


@dataclass
class Heatmap:
    rounds: list[CfirRatingRound]
    domains: list[HeatDomain]
    characteristics: list[CfirConstruct]
    roles: list[RoleRow]
    has_change: bool

    @property
    def latest(self) -> CfirRatingRound | None:
        return self.rounds[-1] if self.rounds else None

    @property
    def previous(self) -> CfirRatingRound | None:
        return self.rounds[-2] if len(self.rounds) > 1 else None


def scope_rounds(user: Any, team_id: int | None, limit: int = HEATMAP_ROUNDS) -> list[CfirRatingRound]:
    """The latest ``limit`` rounds of one scope (a team, or None = organisation-wide), oldest first."""
    rounds = rounds_for(user)
    rounds = rounds.filter(team_id=team_id) if team_id else rounds.filter(team__isnull=True)
    return list(reversed(list(rounds[:limit])))


def heatmap(user: Any, team_id: int | None = None, limit: int = HEATMAP_ROUNDS) -> Heatmap:
    """Ratings of the latest rounds of a scope, in the order of the current CFIR version.

    Rounds on older versions are matched by construct code, so a new data version keeps the history."""
    from peerpath.implementation.reference.selectors import cfir_constructs

    rounds = scope_rounds(user, team_id, limit)
    index: dict[tuple[int, str, str], CfirRating] = {}
    for rating in (CfirRating.objects.filter(rating_round__in=rounds, is_active=True)
                   .select_related("construct", "role")):
        index[(rating.rating_round_id, rating.construct.code, rating.role.code if rating.role else "")] = rating
    constructs = list(cfir_constructs())
    names = dict(CfirDomain.choices)
    domains: dict[str, HeatDomain] = {}
    characteristics = [c for c in constructs if c.kind == ConstructKind.CHARACTERISTIC]
    roles = [c for c in constructs if c.kind == ConstructKind.ROLE]
    for construct in constructs:
        if construct.kind not in (ConstructKind.CONSTRUCT, ConstructKind.SUBCONSTRUCT):
            continue
        cells = [cell_of(index.get((r.pk, construct.code, ""))) for r in rounds]
        change = change_between(cells[-2], cells[-1]) if len(cells) > 1 else {"kind": "", "text": "", "delta": None}
        domain = domains.setdefault(construct.domain, HeatDomain(construct.domain, str(names[construct.domain])))
        domain.rows.append(HeatRow(construct, cells, change, construct.kind == ConstructKind.SUBCONSTRUCT))
    role_rows = []
    latest = rounds[-1] if rounds else None
    previous = rounds[-2] if len(rounds) > 1 else None
    for role in roles:
        trios: list[tuple[Cell, Cell, dict[str, Any]]] = []
        for characteristic in characteristics:
            now = cell_of(index.get((latest.pk, characteristic.code, role.code))) if latest else Cell("")
            before = cell_of(index.get((previous.pk, characteristic.code, role.code))) if previous else Cell("")
            trios.append((now, before, change_between(before, now)))
        role_rows.append(RoleRow(role, trios))
    ordered = [domains[d] for d in CfirDomain.values if d in domains]
    return Heatmap(rounds, ordered, characteristics, role_rows, has_change=len(rounds) > 1)


def latest_org_ratings(user: Any) -> tuple[CfirRatingRound | None, dict[str, CfirRating]]:
    """The newest organisation-wide round and its ratings by construct code (whole-setting ratings only)."""
    latest = rounds_for(user).filter(team__isnull=True).first()
    if latest is None:
        return None, {}
    return latest, {r.construct.code: r for r in ratings_of(latest) if r.role_id is None}


# ------------------------------------------------------------------ rating sheet


@dataclass
class SheetEntry:
    """One thing to rate on the sheet: a construct, or an Individuals characteristic for one role."""

    construct: CfirConstruct
    role: CfirConstruct | None
    current: CfirRating | None

    @property
    def key(self) -> str:
        return f"{self.construct.code}--{self.role.code}" if self.role else self.construct.code


def rating_sheet(rating_round: CfirRatingRound, domain: str) -> list[tuple[CfirConstruct | None, list[SheetEntry]]]:
    """What the rating form of one domain shows, grouped: for domains I, II, III and V one group (no heading)
    of constructs and subconstructs; for Individuals one group per role with its four characteristics."""
    constructs = [c for c in constructs_of(rating_round.dataset_id) if c.domain == domain]
    current = {(r.construct_id, r.role_id): r for r in CfirRating.objects.filter(rating_round=rating_round,
                                                                                   is_active=True)}
    characteristics = [c for c in constructs if c.kind == ConstructKind.CHARACTERISTIC and c.ratable]
    roles = [c for c in constructs if c.kind == ConstructKind.ROLE]
    groups: list[tuple[CfirConstruct | None, list[SheetEntry]]] = []
    plain = [SheetEntry(c, None, current.get((c.pk, None))) for c in constructs
             if c.ratable and not c.rated_per_role and c.kind in (ConstructKind.CONSTRUCT, ConstructKind.SUBCONSTRUCT)]
    if plain:
        groups.append((None, plain))
    groups.extend((role, [SheetEntry(c, role, current.get((c.pk, role.pk))) for c in characteristics
                          if c.rated_per_role]) for role in roles)
    return groups


def domain_progress(rating_round: CfirRatingRound) -> dict[str, tuple[int, int]]:
    """Per domain: (entries rated, entries to rate)."""
    constructs = constructs_of(rating_round.dataset_id)
    rated = {(r.construct_id, r.role_id) for r in CfirRating.objects.filter(rating_round=rating_round, is_active=True)}
    roles = {d: [c for c in constructs if c.kind == ConstructKind.ROLE and c.domain == d] for d in CfirDomain.values}
    progress: dict[str, tuple[int, int]] = {}
    for domain in CfirDomain.values:
        keys: list[tuple[int, int | None]] = []
        for c in constructs:
            if c.domain != domain or not c.ratable or c.kind == ConstructKind.ROLE:
                continue
            if c.rated_per_role:
                keys += [(c.pk, r.pk) for r in roles[domain]]
            else:
                keys.append((c.pk, None))
        progress[domain] = (sum(1 for k in keys if k in rated), len(keys))
    return progress

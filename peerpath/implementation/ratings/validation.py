"""Checking one CFIR 2.0 rating against the rating rules (pure: no queries).

Damschroder & Lowery 2013 (Implementation Science 8:51, table 2): +2/−2 a strong influence with
concrete examples, +1/−1 a weak or general influence, 0 neutral or balanced; "missing" when there is
not enough data and "mixed" when informants disagree are kept apart from 0 and carry no score.
Individuals characteristics (need, capability, opportunity, motivation) are rated per role."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from peerpath.core.exceptions import ServiceError
from peerpath.implementation.models import CfirConstruct, RatingValue
from peerpath.implementation.reference.models import ConstructKind

SCORES = (2, 1, 0, -1, -2)
EVIDENCE_MAX = 4000
# The single choice a form offers: a score, "mixed" or "missing".
CHOICES = ("2", "1", "0", "-1", "-2", RatingValue.MIXED.value, RatingValue.MISSING.value)


def parse_choice(choice: str) -> tuple[str, int | None]:
    """A form's choice ("2", "-1", "mixed", ...) as (value, score); unknown text raises ServiceError."""
    if choice in (RatingValue.MIXED, RatingValue.MISSING):
        return choice, None
    if choice in CHOICES:
        return RatingValue.RATED, int(choice)
    raise ServiceError(_("Choose a rating: −2 to +2, mixed or missing."))


def _label(construct: CfirConstruct) -> str:
    return f"{construct.code} {construct.localized('name')}"


def check_rating(*, construct: CfirConstruct, role: CfirConstruct | None, value: Any, score: Any, evidence: Any,
                 dataset_id: int, field: str) -> None:
    """Raise ServiceError (with ``field``) when the rating breaks a rule; return None when it is valid."""
    if construct.dataset_id != dataset_id:
        raise ServiceError(_("%(construct)s is not part of the CFIR version this round uses.")
                           % {"construct": _label(construct)}, field=field)
    if construct.kind == ConstructKind.ROLE:
        raise ServiceError(_("%(construct)s is a role, not something to rate: rate its need, capability, "
                             "opportunity and motivation.") % {"construct": _label(construct)}, field=field)
    if not construct.ratable:
        raise ServiceError(_("%(construct)s is not rated itself: rate its subconstructs.")
                           % {"construct": _label(construct)}, field=field)
    if construct.rated_per_role:
        if role is None:
            raise ServiceError(_("%(construct)s is rated per role: say which role the rating is for.")
                               % {"construct": _label(construct)}, field=f"{field}.role")
        if role.kind != ConstructKind.ROLE or role.dataset_id != dataset_id:
            raise ServiceError(_("%(role)s is not one of the Individuals roles.") % {"role": _label(role)},
                               field=f"{field}.role")
    elif role is not None:
        raise ServiceError(_("%(construct)s is rated for the whole setting, not per role: leave the role empty.")
                           % {"construct": _label(construct)}, field=f"{field}.role")
    if value not in RatingValue.values:
        raise ServiceError(_("Choose a rating: −2 to +2, mixed or missing."), field=f"{field}.value")
    if value == RatingValue.RATED:
        if score is None:
            raise ServiceError(_("Give %(construct)s a score from −2 to +2, or choose mixed or missing.")
                               % {"construct": _label(construct)}, field=f"{field}.score")
        if isinstance(score, bool) or not isinstance(score, int) or score not in SCORES:
            raise ServiceError(_("%(score)s is not a CFIR rating for %(construct)s: scores go from −2 to +2.")
                               % {"score": score, "construct": _label(construct)}, field=f"{field}.score")
    elif score is not None:
        raise ServiceError(_("A “%(value)s” rating has no score: leave the score of %(construct)s empty, or rate "
                             "it from −2 to +2.") % {"value": RatingValue(value).label, "construct": _label(construct)},
                           field=f"{field}.score")
    if not isinstance(evidence, str) or len(evidence) > EVIDENCE_MAX:
        raise ServiceError(_("Keep the evidence under %(n)s characters.") % {"n": EVIDENCE_MAX},
                           field=f"{field}.evidence")

"""Writes of the planning area, one module per aggregate (barriers, strategy matches, plans); the
public writes are re-exported here so callers use ``planning.services.<write>``."""

from peerpath.implementation.planning.services.barriers import (
    BARRIER_FIELDS,
    barrier_create,
    barrier_deactivate,
    barrier_from_template,
    barrier_template_create,
    barrier_template_deactivate,
    barrier_update,
)
from peerpath.implementation.planning.services.plans import (
    ITEM_FIELDS,
    plan_add_strategies,
    plan_create,
    plan_create_from_checklist,
    plan_item_create,
    plan_item_deactivate,
    plan_item_set_status,
    plan_item_update,
)
from peerpath.implementation.planning.services.strategies import (
    strategy_match_create,
    strategy_match_deactivate,
    strategy_match_restore,
    strategy_match_retire,
)

__all__ = [
    "BARRIER_FIELDS",
    "ITEM_FIELDS",
    "barrier_create",
    "barrier_deactivate",
    "barrier_from_template",
    "barrier_template_create",
    "barrier_template_deactivate",
    "barrier_update",
    "plan_add_strategies",
    "plan_create",
    "plan_create_from_checklist",
    "plan_item_create",
    "plan_item_deactivate",
    "plan_item_set_status",
    "plan_item_update",
    "strategy_match_create",
    "strategy_match_deactivate",
    "strategy_match_restore",
    "strategy_match_retire",
]

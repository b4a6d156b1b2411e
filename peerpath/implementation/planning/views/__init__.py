"""Pages of the planning area, one module per part (home, barriers, strategies, plans); re-exported
here for urls.py."""

from peerpath.implementation.planning.views.barriers import (
    barrier_create,
    barrier_deactivate,
    barrier_edit,
    barrier_list,
    template_add,
    template_create,
    template_deactivate,
    templates,
)
from peerpath.implementation.planning.views.common import (
    progress,
)
from peerpath.implementation.planning.views.home import (
    home,
    my_items,
)
from peerpath.implementation.planning.views.plans import (
    item_create,
    item_edit,
    item_status,
    plan_create,
    plan_detail,
    plan_list,
)
from peerpath.implementation.planning.views.strategies import (
    match_retire,
    recommendations,
    recommendations_add,
    strategy_table,
)

__all__ = [
    "barrier_create",
    "barrier_deactivate",
    "barrier_edit",
    "barrier_list",
    "home",
    "item_create",
    "item_edit",
    "item_status",
    "match_retire",
    "my_items",
    "plan_create",
    "plan_detail",
    "plan_list",
    "progress",
    "recommendations",
    "recommendations_add",
    "strategy_table",
    "template_add",
    "template_create",
    "template_deactivate",
    "templates",
]

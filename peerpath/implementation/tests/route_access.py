"""Every route of the implementation module; each area declares its own in route_access_<area>.py."""

from peerpath.implementation.tests.route_access_integration import ROUTES as INTEGRATION
from peerpath.implementation.tests.route_access_planning import ROUTES as PLANNING
from peerpath.implementation.tests.route_access_ratings import ROUTES as RATINGS
from peerpath.implementation.tests.route_access_readiness import ROUTES as READINESS
from peerpath.implementation.tests.route_access_report import ROUTES as REPORT

ROUTES = [*READINESS, *RATINGS, *PLANNING, *INTEGRATION, *REPORT]

"""Every route of the implementation module; each area declares its own in <area>/tests/route_access.py."""

from peerpath.implementation.integration.tests.route_access import ROUTES as INTEGRATION
from peerpath.implementation.planning.tests.route_access import ROUTES as PLANNING
from peerpath.implementation.ratings.tests.route_access import ROUTES as RATINGS
from peerpath.implementation.readiness.tests.route_access import ROUTES as READINESS
from peerpath.implementation.report.tests.route_access import ROUTES as REPORT

ROUTES = [*READINESS, *RATINGS, *PLANNING, *INTEGRATION, *REPORT]

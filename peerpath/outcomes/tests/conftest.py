import pytest

from peerpath.outcomes.tests.factories import build_cohorts


@pytest.fixture
def cohorts(world):
    """14 peer and 14 comparison clients of organisation A with staggered re-admissions (most tests' evaluation)."""
    return build_cohorts(world.a, n_peer=14, n_comparison=14, peer_readmit_days=list(range(5, 65, 5)),
                         comparison_readmit_days=list(range(3, 42, 3)))

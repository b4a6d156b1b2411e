import pytest

from peerpath.measures.library import load_shipped


@pytest.fixture
def shipped(db):
    """The shipped library (a transactional test's flush empties what the data migration loaded)."""
    load_shipped()
    from peerpath.measures.models import Instrument

    return {i.code: i for i in Instrument.objects.filter(organisation=None)}

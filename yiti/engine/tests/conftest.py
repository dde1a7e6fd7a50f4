import pytest

from yiti.engine import Analyser

from .shared import analyser as shared_analyser


@pytest.fixture(scope="session")
def analyser() -> Analyser:
    """The one default analyser shared by all engine tests."""
    return shared_analyser()

"""Test-session settings shared by tests/ and the doctests in skmultilabel/."""

import pytest
from threadpoolctl import threadpool_limits


@pytest.fixture(autouse=True, scope="session")
def _one_blas_thread():
    # The tests fit many tiny models; on a small machine, BLAS threads
    # spinning up for each of them cost ten times the work itself.
    with threadpool_limits(limits=1):
        yield

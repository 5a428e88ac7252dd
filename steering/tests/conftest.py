import pytest


@pytest.fixture
def steering_demo(demo_accounts):
    """The Đầm Hà demo, its accounts, and the steering demo (plans, works, dossiers)."""
    from devdata.steering_demo import load_steering_demo

    load_steering_demo()
    return demo_accounts

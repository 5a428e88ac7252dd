"""Project-wide pytest set-up and fixtures."""

import os

import pytest

# Playwright's sync API runs inside the live_server test's thread, which Django would refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def vietnamese_after_each_test():
    """A request in English leaves English active in the thread; code called directly by the next
    test must see the default language again."""
    yield
    from django.utils import translation

    translation.activate("vi")


@pytest.fixture
def demo(db):
    """The Đầm Hà 2022 scenario, as `load_demo` loads it; returns units by code."""
    from devdata.demo import load_demo

    return load_demo()


@pytest.fixture
def demo_accounts(demo):
    """Demo data plus the four demo accounts (password `demo`), by username."""
    from devdata.demo import load_demo_accounts

    return {u.username: u for u in load_demo_accounts()}

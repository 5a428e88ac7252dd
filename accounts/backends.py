"""Login lockout (django-axes) wired so that only logins over HTTP are counted."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Axes' lockout check for every login made through a request (the login pages, the admin).

    `authenticate()` without a request happens only outside HTTP (management commands, the test
    client's `login()`); there is no IP to lock, so this backend stands aside and the next backend
    decides. Every web login passes the request and is counted.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

"""The login lockout backend (django-axes)."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout for a login that comes with a request (the admin form, the API).

    A login without one (a script's or a test client's `authenticate()`) has no address to count
    or lock, and django-axes would refuse it outright: it passes on to the next backend instead.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)

"""The session engine: Django's signed cookie, read only when it holds an object."""

from django.contrib.sessions.backends import signed_cookies


class SessionStore(signed_cookies.SessionStore):
    def load(self):
        """A validly signed cookie that is not an object starts an empty session, as a bad
        signature does, instead of failing on every request."""
        data = super().load()
        if isinstance(data, dict):
            return data
        self.create()
        return {}

"""What waits for the signed-in user, for the menu's badges and the officers' banner: records the
district returned to their commune, or submitted records in their verification queue.

It lives here rather than beside `user_may` (accounts) because it reads records, which sit above
accounts (.importlinter); who is told what is still decided by accounts.access. Each figure is one
query, run only when a template asks for it, so pages without the menu cost nothing.
"""

from django.utils.functional import cached_property

from accounts import access
from records.models import AchievementRecord


class Waiting:
    """`waiting.returned_count`, `waiting.first_returned`, `waiting.queue_count` in templates."""

    def __init__(self, request):
        # Error pages may render before the authentication middleware set request.user.
        self.user = getattr(request, "user", None)

    @cached_property
    def returned(self):
        """The commune officer's returned records, oldest return first (one query; [] for others)."""
        if self.user is None or not access.is_told_of_returns(self.user):
            return []
        return list(AchievementRecord.objects.returned_to(access.editable_units(self.user)))

    @property
    def returned_count(self):
        return len(self.returned)

    @property
    def first_returned(self):
        return self.returned[0] if self.returned else None

    @cached_property
    def queue_count(self):
        """Submitted records awaiting district (or province) staff and administrators (one query)."""
        if self.user is None or not access.manages_district(self.user):
            return 0
        return AchievementRecord.objects.awaiting_verification(access.verifiable_units(self.user)).count()


def waiting(request):
    """Adds `waiting` to every template context."""
    return {"waiting": Waiting(request)}

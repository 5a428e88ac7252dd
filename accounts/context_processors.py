"""What the site's menu offers the signed-in user, asked of accounts.access (never a role test in
a template). Each answer is worked out only when a template asks for it."""

from django.utils.functional import cached_property

from accounts import access


class UserMay:
    """`user_may.verify`, `user_may.use_admin` in templates."""

    def __init__(self, request):
        # Error pages may render before the authentication middleware set request.user.
        self.user = getattr(request, "user", None)

    @cached_property
    def verify(self):
        """District staff and administrators: the verification queue."""
        return self.user is not None and access.manages_district(self.user)

    @cached_property
    def manage_accounts(self):
        """Steering staff and administrators: the menu's Tài khoản (officer and BCĐ accounts)."""
        return self.user is not None and access.may_manage_accounts(self.user)

    @cached_property
    def administer(self):
        """Site administrators: told where a new server's units come from."""
        return self.user is not None and access.is_site_admin(self.user)

    def report_settings(self):
        """A province's steering staff and administrators: how the province writes its reports."""
        return self.user is not None and access.manages_report_settings(self.user)

    @cached_property
    def use_admin(self):
        return self.user is not None and access.may_use_admin(self.user)


def user_may(request):
    """Adds `user_may` to every template context."""
    return {"user_may": UserMay(request)}

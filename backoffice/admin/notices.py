from django.contrib import admin

from accounts.access import AdminAccess
from notices.models import Notification


@admin.register(Notification)
class NotificationAdmin(AdminAccess, admin.ModelAdmin):
    list_display = ["kind", "recipient", "subject", "created_at", "sent_at"]
    list_filter = ["kind"]

    # A log of what was sent: read, never written by hand.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

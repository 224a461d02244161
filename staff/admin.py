from django.contrib import admin

from .models import StaffSession


@admin.register(StaffSession)
class StaffSessionAdmin(admin.ModelAdmin):
    """Who is logged in where; deleting a row logs that session out at its next request."""

    list_display = ["user", "created_at", "last_seen", "address"]
    list_filter = ["user"]
    list_select_related = ["user"]
    readonly_fields = ["user", "created_at", "last_seen", "address"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

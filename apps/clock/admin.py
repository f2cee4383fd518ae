from django.contrib import admin

from apps.clock.models import VisitCounter


@admin.register(VisitCounter)
class VisitCounterAdmin(admin.ModelAdmin):
    """Shown, not edited: visits are only ever counted by page views."""

    list_display = ["__str__"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

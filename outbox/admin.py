from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to", "status", "attempts", "sent_at", "due_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to"]
    # The bodies of account e-mails carry one-time keys: never shown, even to administrators.
    fields = ["kind", "to", "language", "status", "created_at", "due_at", "attempts", "sent_at", "last_error"]
    readonly_fields = fields
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Renvoyer les courriels en échec"))
    def send_again(self, request, queryset):
        count = services.email_retry(email_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%(n)d courriel remis en file d'envoi.", "%(n)d courriels remis en file d'envoi.", count)
            % {"n": count},
            messages.SUCCESS,
        )

"""The inbox: Wagtail's model views over the contact messages, for those with the permission."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views.generic import EditView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from contact.models import ContactMessage


class InboxPermissionPolicy(ModelPermissionPolicy):
    """Messages come from the public only: nobody, administrators included, adds one."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class OpenMessageView(EditView):
    """Opening a message marks it read; unticking "read" and saving marks it unread again."""

    def get_object(self, queryset=None):
        message = super().get_object(queryset)
        # Only people allowed to change messages reach this view (Wagtail checks before get()).
        if self.request.method == "GET" and not message.is_read:
            ContactMessage.objects.filter(pk=message.pk).update(is_read=True)
            message.is_read = True
        return message


class ContactMessageViewSet(ModelViewSet):
    model = ContactMessage
    icon = "mail"
    menu_label = _("Contact messages")
    menu_order = 250
    add_to_admin_menu = True
    copy_view_enabled = False
    edit_view_class = OpenMessageView
    list_display = ["__str__", "name", "language", "created_at", BooleanColumn("is_read", label=_("read"))]
    list_filter = ["is_read", "language"]
    search_fields = ["name", "message"]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name", read_only=True),
                FieldPanel("email", read_only=True),
                FieldPanel("language", read_only=True),
                FieldPanel("created_at", read_only=True),
                FieldPanel("copy_sent_at", read_only=True),
                FieldPanel("message", read_only=True),
            ],
            heading=_("Message"),
        ),
        FieldPanel("is_read"),
    ]

    @property
    def permission_policy(self):
        return InboxPermissionPolicy(self.model)


inbox = ContactMessageViewSet("contact_messages")


@hooks.register("register_admin_viewset")
def register_inbox():
    return inbox


class UnreadMessagesPanel(Component):
    """Dashboard panel: how many contact messages nobody has opened yet, with a link to them."""

    name = "contact_messages"
    template_name = "contact/admin/unread_panel.html"
    order = 55

    def get_context_data(self, parent_context=None):
        return {
            "unread_count": ContactMessage.objects.filter(is_read=False).count(),
            "list_url": reverse(inbox.get_url_name("index")) + "?is_read=false",
        }


@hooks.register("construct_homepage_panels")
def add_unread_messages_panel(request, panels):
    if inbox.permission_policy.user_has_permission(request.user, "view"):
        panels.append(UnreadMessagesPanel())

"""The contact page and the messages it receives (the campaign team's inbox)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from home.models import BilingualPreviewMixin, SlugRouteMixin
from home.public_forms import is_shared_rendering, issue_form_token, text_fingerprint


class ContactPage(RoutablePageMixin, SlugRouteMixin, BilingualPreviewMixin, Page):
    """« Nous joindre »: a form to the campaign team, and its address or phone when editors enter them."""

    # Its form is checked by contact.submission (signed token + origin), not by Django's CSRF cookie,
    # so that the page stays in shared caches.
    csrf_checked_by_page = True

    intro = models.TextField(_("introduction"), blank=True)
    thanks = models.TextField(
        _("thank-you message"), blank=True, help_text=_("Shown after a message is sent. A default text when empty.")
    )
    postal_address = models.TextField(
        _("postal address"),
        blank=True,
        help_text=_("The campaign's mailing address, as it should be printed. Nothing is shown when empty."),
    )
    phone = models.CharField(
        _("telephone"), max_length=40, blank=True, help_text=_("Nothing is shown when empty, e.g. 514 555-0100.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("thanks"),
        MultiFieldPanel([FieldPanel("postal_address"), FieldPanel("phone")], heading=_("Contact details")),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("contact page")

    @property
    def phone_href(self) -> str:
        """The phone number as a tel: link (digits and a leading + only)."""
        digits = "".join(ch for ch in self.phone if ch.isdigit())
        return f"tel:{'+' if self.phone.strip().startswith('+') else ''}{digits}" if digits else ""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from contact.forms import ContactForm  # the form is a ModelForm of this module's ContactMessage

        form = kwargs.get("form") or ContactForm()
        context.update(
            form=form,
            form_token=issue_form_token(ContactForm.SCOPE, shared=is_shared_rendering(request)),
            form_url=self.get_url(request=request),
            retention_days=settings.CONTACT_MESSAGE_DAYS,
        )
        return context

    @path("")
    def contact_form(self, request):
        """The form; a POST sends a message, then leads to the thank-you page."""
        if request.method != "POST":
            return self.render_page(request)
        from contact.submission import submit_message  # it imports the form, which imports this module

        result = submit_message(request)
        if result.sent:
            thanks = self.get_url(request=request) + self.reverse_subpage("thanks")
            return HttpResponseRedirect(thanks + ("?copy=1" if result.copy_sent else ""), status=303)
        return self.render_page(request, form=result.form, status=result.status)

    @path(_("thanks/"), name="thanks")
    def thanks_view(self, request):
        """What a sender sees after sending: never stored by a cache."""
        context = self.get_context(request)
        context["sent"] = True
        context["copy_sent"] = request.GET.get("copy") == "1"
        response = TemplateResponse(request, self.get_template(request), context)
        patch_cache_control(response, private=True, no_store=True)
        return response

    def render_page(self, request, form=None, status=200):
        context = self.get_context(request, form=form)
        response = TemplateResponse(request, self.get_template(request), context, status=status)
        if form is not None:  # a form shown again holds what this visitor typed
            patch_cache_control(response, private=True, no_store=True)
        return response


class ContactMessageQuerySet(models.QuerySet):
    def expired(self) -> "ContactMessageQuerySet":
        """Messages past the retention period (CONTACT_MESSAGE_DAYS), for purge_contact_messages."""
        return self.filter(created_at__lt=timezone.now() - timedelta(days=settings.CONTACT_MESSAGE_DAYS))


class ContactMessage(models.Model):
    """A message sent to the campaign team through the contact page; read in the admin's inbox."""

    name = models.CharField(_("name"), max_length=80, blank=True)
    email = models.EmailField(_("email"), blank=True, help_text=_("Never published. Deleted with the message."))
    message = models.TextField(_("message"), max_length=5000)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    is_read = models.BooleanField(_("read"), default=False)
    copy_requested = models.BooleanField(_("copy requested"), default=False)
    copy_sent_at = models.DateTimeField(_("copy sent"), null=True, blank=True)
    # Refusing the same text twice (contact.submission): set on every save from the message.
    fingerprint = models.CharField(max_length=64, blank=True, editable=False, db_index=True)

    objects = ContactMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        who = self.name or _("Anonymous")
        return str(Truncator(f"{who}: {self.message}").chars(60))

    def save(self, *args, **kwargs):
        self.fingerprint = text_fingerprint(self.message)
        super().save(*args, **kwargs)

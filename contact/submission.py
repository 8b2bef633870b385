"""Receiving a contact message: the same defences as comments, storage first, then the sender's copy.

The POST must come from the site (Origin or Referer); a rate limit per address and one per form
token (the page is cached, so its token is shared by every visitor); the same text is refused for
CONTACT_DUPLICATE_HOURS; a honeypot (a bot's message is dropped, and no mail is sent for it). The
message is stored before any mail is sent: a mail server that fails never loses it.
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contact.forms import ContactForm
from contact.models import ContactMessage
from home.public_forms import limited, text_fingerprint
from ops.security import is_same_origin

logger = logging.getLogger(__name__)


@dataclass
class Submission:
    form: ContactForm
    status: int = 200
    sent: bool = False
    copy_sent: bool = False


def submit_message(request) -> Submission:
    """Check and store a message sent from the contact page; the form keeps what was typed on any error."""
    form = ContactForm(request.POST)
    # Both counters count every send, refused or not (django-ratelimit keeps them in the cache).
    limited_address = limited(request, "contact.message", "ip", settings.CONTACT_RATE)
    limited_token = limited(request, "contact.message-token", "post:started", settings.CONTACT_TOKEN_RATE)
    is_valid = form.is_valid()
    if not is_same_origin(request):
        form.add_error(
            None, _("We could not check that this form was sent from this site. Please send your message again.")
        )
        return Submission(form, status=403)
    if not is_valid:
        return Submission(form, status=400)
    if limited_address:
        form.add_error(None, _("You have sent several messages in a short time. Please wait and try again later."))
        return Submission(form, status=429)
    if limited_token:
        # Many sends came from copies of this page; the form shown again carries a token of its own.
        form.add_error(
            None,
            _("Many messages were sent from this page in a short time. Please check your message and send it again."),
        )
        return Submission(form, status=429)
    if form.is_spam:
        return Submission(form, sent=True)  # a bot: nothing stored, no mail sent anywhere
    if is_repeat(form.cleaned_data["message"]):
        form.add_error(
            "message",
            _("This message was already sent: the campaign team has received it. There is no need to send it again."),
        )
        return Submission(form, status=409)
    message = form.save(commit=False)
    message.language = translation.get_language() or settings.LANGUAGE_CODE
    message.save()
    copy_sent = send_copy(message) if message.copy_requested else False
    return Submission(form, sent=True, copy_sent=copy_sent)


def is_repeat(text: str) -> bool:
    """The same text (home.public_forms.text_fingerprint) was received within the window."""
    since = timezone.now() - timedelta(hours=settings.CONTACT_DUPLICATE_HOURS)
    return ContactMessage.objects.filter(fingerprint=text_fingerprint(text), created_at__gte=since).exists()


def send_copy(message: ContactMessage) -> bool:
    """Mail the sender a copy of their message, in their language; False if the mail server failed
    (the message is already stored: the team still reads it)."""
    with translation.override(message.language):
        subject = _("Your message to the Ordre de protéger campaign")
        body = render_to_string(
            "contact/copy_email.txt", {"message": message, "retention_days": settings.CONTACT_MESSAGE_DAYS}
        )
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [message.email])
    except (smtplib.SMTPException, OSError, ValueError):
        logger.exception("The copy of contact message %s could not be sent", message.pk)
        return False
    ContactMessage.objects.filter(pk=message.pk).update(copy_sent_at=timezone.now())
    return True

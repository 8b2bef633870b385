"""The contact page: a message reaches the inbox; the form's defences; the page stays cacheable."""

import time
from datetime import timedelta
from io import StringIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail, signing
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.utils import timezone

from contact.loading import load_contact_file
from contact.models import ContactMessage, ContactPage
from contact.roles import grant_inbox_permissions
from home.public_forms import TOKEN_SALT
from home.seeding import ensure_home_page, ensure_standard_pages
from tests.factories import SameSiteClient

FR_URL, EN_URL = "/fr/contact/", "/en/contact/"
FR_THANKS, EN_THANKS = "/fr/contact/merci/", "/en/contact/thanks/"
INBOX = "/admin/contact_messages/"


def contact_token(seconds_ago: int = 60, shared: bool = True) -> str:
    return signing.dumps(["contact", int(time.time()) - seconds_ago, int(shared)], salt=TOKEN_SALT)


def message_data(**overrides) -> dict[str, str]:
    data = {
        "name": "Marie Tremblay",
        "email": "marie@example.org",
        "message": "Bonjour, qui dois-je appeler pour vérifier un permis?",
        "website": "",
        "started": contact_token(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


class ContactTestCase(TestCase):
    client_class = SameSiteClient

    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        load_contact_file()
        cls.page = ContactPage.objects.get()

    def setUp(self):
        cache.clear()  # the rate limits count in the cache


class ContactFlowTests(ContactTestCase):
    def test_a_message_without_javascript_reaches_the_inbox_with_its_language(self):
        response = self.client.post(EN_URL, message_data(message="Hello, how do I check a licence?"))
        self.assertRedirects(response, EN_THANKS, status_code=303)
        message = ContactMessage.objects.get()
        self.assertEqual((message.language, message.name, message.is_read), ("en", "Marie Tremblay", False))
        thanks = self.client.get(EN_THANKS)
        self.assertContains(thanks, "Thank you: your message was sent")
        self.assertContains(thanks, "180 days")
        self.assertIn("no-store", thanks["Cache-Control"])
        self.assertEqual(len(mail.outbox), 0)  # no copy unless asked

    def test_name_and_email_are_optional_unless_a_copy_is_asked_for(self):
        response = self.client.post(FR_URL, message_data(name="", email=""))
        self.assertEqual(response.status_code, 303)
        response = self.client.post(FR_URL, message_data(email="", copy_requested="on", message="Autre texte"))
        self.assertContains(response, "Pour recevoir une copie, indiquez votre adresse courriel.", status_code=400)
        self.assertEqual(ContactMessage.objects.count(), 1)

    def test_the_copy_goes_through_django_mail_in_the_senders_language(self):
        response = self.client.post(FR_URL, message_data(copy_requested="on"))
        self.assertRedirects(response, FR_THANKS + "?copy=1", status_code=303)
        self.assertEqual(len(mail.outbox), 1)
        sent = mail.outbox[0]
        self.assertEqual(sent.to, ["marie@example.org"])
        self.assertIn("qui dois-je appeler pour vérifier un permis?", sent.body)
        self.assertIn("180 jours", sent.body)
        self.assertIsNotNone(ContactMessage.objects.get().copy_sent_at)
        self.assertContains(self.client.get(FR_THANKS + "?copy=1"), "Une copie de votre message")

    @override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=9
    )
    def test_a_failed_copy_never_loses_the_message(self):
        response = self.client.post(FR_URL, message_data(copy_requested="on"))
        self.assertRedirects(response, FR_THANKS, status_code=303)  # no "copy sent" claim
        message = ContactMessage.objects.get()
        self.assertTrue(message.copy_requested)
        self.assertIsNone(message.copy_sent_at)

    def test_a_copy_refused_by_the_mail_server_keeps_the_message(self):
        from tests.mail_server import SmtpServer

        with SmtpServer() as server, server.settings():
            server.refuse = True  # 451 to every message
            response = self.client.post(EN_URL, message_data(copy_requested="on"))
            self.assertEqual(len(server.wait_for(1)), 1)
        self.assertRedirects(response, EN_THANKS, status_code=303)
        self.assertIsNone(ContactMessage.objects.get().copy_sent_at)

    def test_the_page_states_retention_and_shows_no_address_or_phone_by_default(self):
        response = self.client.get(FR_URL)
        self.assertContains(response, "pendant 180 jours")
        self.assertNotContains(response, "Par téléphone")
        self.assertNotContains(response, "Par la poste")
        self.page.phone, self.page.postal_address = "514 555-0100", "1 rue Exemple\nMontréal"
        self.page.save_revision().publish()
        response = self.client.get(EN_URL)
        self.assertContains(response, 'href="tel:5145550100"')
        self.assertContains(response, "1 rue Exemple<br>Montréal")

    def test_the_accessibility_statement_links_to_the_contact_page(self):
        ensure_standard_pages(self.home)
        for url, contact in (("/fr/accessibilite/", FR_URL), ("/en/accessibility/", EN_URL)):
            response = self.client.get(url)
            self.assertContains(response, f'href="{contact}"')
            self.assertNotContains(response, "dès qu'elles seront publiées")
            self.assertNotContains(response, "as soon as they are published")


class ContactDefenceTests(ContactTestCase):
    def test_a_foreign_origin_or_no_origin_is_refused(self):
        foreign = Client(headers={"Origin": "https://evil.example"})
        response = foreign.post(FR_URL, message_data())
        self.assertContains(response, "envoyé depuis ce site", status_code=403)
        self.assertEqual(Client().post(FR_URL, message_data()).status_code, 403)
        self.assertFalse(ContactMessage.objects.exists())

    def test_the_honeypot_stores_nothing_and_mails_nobody(self):
        response = self.client.post(FR_URL, message_data(website="http://spam.example", copy_requested="on"))
        self.assertEqual(response.status_code, 303)
        self.assertFalse(ContactMessage.objects.exists())
        self.assertEqual(len(mail.outbox), 0)

    def test_the_same_text_is_refused_whatever_its_case_accents_or_spacing(self):
        self.client.post(FR_URL, message_data())
        again = message_data(message="  BONJOUR qui dois je appeler pour verifier un\u200b permis ")
        response = self.client.post(FR_URL, again)
        self.assertContains(response, "déjà été envoyé", status_code=409)
        self.assertEqual(ContactMessage.objects.count(), 1)

    @override_settings(CONTACT_RATE="2/h", CONTACT_TOKEN_RATE="100/h")
    def test_sends_per_address_are_limited(self):
        for index in range(2):
            self.assertEqual(self.client.post(FR_URL, message_data(message=f"Message {index}")).status_code, 303)
        response = self.client.post(FR_URL, message_data(message="Message 3"))
        self.assertContains(response, "plusieurs messages", status_code=429)
        self.assertEqual(ContactMessage.objects.count(), 2)

    @override_settings(CONTACT_RATE="100/h", CONTACT_TOKEN_RATE="2/h")
    def test_one_token_replayed_from_many_addresses_is_limited(self):
        token = contact_token()
        for index in range(2):
            response = self.client.post(
                FR_URL, message_data(message=f"M {index}", started=token), REMOTE_ADDR=f"10.0.0.{index}"
            )
            self.assertEqual(response.status_code, 303)
        response = self.client.post(FR_URL, message_data(message="M 3", started=token), REMOTE_ADDR="10.0.0.9")
        self.assertEqual(response.status_code, 429)
        self.assertNotIn(token, response.content.decode())  # the form comes back with a token of its own

    def test_bad_input_gets_clear_messages_and_a_4xx_never_a_500(self):
        cases = [
            (message_data(message=""), 400, "Veuillez écrire votre message."),
            (message_data(message="   "), 400, "Veuillez écrire votre message."),
            (message_data(message="x" * 5001), 400, "raccourcir votre message"),
            (message_data(email="pas-une-adresse"), 400, "adresse courriel valide"),
            (message_data(name="n" * 81), 400, "raccourcir votre nom"),
            (message_data(started="forged"), 400, "pas pu vérifier ce formulaire"),
            (message_data(started=contact_token(seconds_ago=2 * 86400)), 400, "ouvert trop longtemps"),
            ({"message": ["a", "b"], "email": ["x\n@y"], "started": "\x00"}, 400, "Votre message n'a pas été envoyé"),
        ]
        for data, status, text in cases:
            with self.subTest(data=str(data)[:60]):
                self.assertContains(self.client.post(FR_URL, data), text, status_code=status)
        self.assertFalse(ContactMessage.objects.exists())

    def test_another_forms_token_is_refused(self):
        token = signing.dumps([1, int(time.time()) - 60, 1], salt=TOKEN_SALT)  # a blog post's comment form
        self.assertEqual(self.client.post(FR_URL, message_data(started=token)).status_code, 400)


@override_settings(PAGE_CACHE_SECONDS=600)
class ContactCacheTests(ContactTestCase):
    def test_the_page_is_cacheable_for_anonymous_visitors_and_shares_its_token(self):
        visitor = Client()
        first = visitor.get(FR_URL)
        self.assertNotIn("Set-Cookie", first)
        self.assertNotIn("Cookie", first.get("Vary", ""))
        self.assertIn("public", first["Cache-Control"])
        second = Client().get(FR_URL)
        self.assertEqual(second["X-Page-Cache"], "hit")
        self.assertEqual(first.content, second.content)

    def test_the_thank_you_page_and_a_refused_form_are_never_stored(self):
        for response in (
            Client().get(FR_THANKS),
            self.client.post(FR_URL, message_data(message="")),
        ):
            self.assertIn("no-store", response["Cache-Control"])
            self.assertNotIn("Set-Cookie", response)
        self.assertNotEqual(Client().get(FR_THANKS).get("X-Page-Cache"), "hit")

    def test_a_message_leaves_the_cached_pages_warm(self):
        Client().get(FR_URL)
        self.client.post(FR_URL, message_data())
        self.assertEqual(Client().get(FR_URL)["X-Page-Cache"], "hit")


class InboxTests(ContactTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        grant_inbox_permissions()
        users = get_user_model().objects
        cls.moderator = users.create_user("moderatrice", "m@example.org", "pw")
        cls.moderator.groups.add(Group.objects.get(name="Moderators"))
        cls.editor = users.create_user("editeur", "e@example.org", "pw")
        cls.editor.groups.add(Group.objects.get_or_create(name="Editors")[0])
        access = Permission.objects.get(codename="access_admin")
        cls.editor.user_permissions.add(access)
        cls.moderator.user_permissions.add(access)
        cls.message = ContactMessage.objects.create(
            name="Marie", email="secret-address@example.org", message="Le texte du message", language="fr"
        )

    def test_moderators_read_the_inbox_and_opening_a_message_marks_it_read(self):
        self.client.force_login(self.moderator)
        self.assertContains(self.client.get("/admin/"), "1 message non lu")
        listing = self.client.get(INBOX)
        self.assertContains(listing, "Le texte du message")
        opened = self.client.get(f"{INBOX}edit/{self.message.pk}/")
        self.assertContains(opened, "secret-address@example.org")
        self.message.refresh_from_db()
        self.assertTrue(self.message.is_read)
        self.assertNotContains(self.client.get(INBOX + "?is_read=false"), "Le texte du message")
        self.assertContains(self.client.get(INBOX + "?is_read=true"), "Le texte du message")
        self.assertContains(self.client.get("/admin/"), "0 message non lu")
        # Nobody writes a message in the admin: Wagtail turns the add view away.
        self.assertIn(self.client.get(f"{INBOX}new/").status_code, (302, 403))
        self.assertNotContains(listing, f'href="{INBOX}new/"')

    def test_others_cannot_see_the_inbox(self):
        self.client.force_login(self.editor)
        self.assertIn(self.client.get(INBOX).status_code, (302, 403))
        self.assertIn(self.client.get(f"{INBOX}edit/{self.message.pk}/").status_code, (302, 403))
        self.assertNotContains(self.client.get("/admin/"), INBOX)
        anonymous = Client()
        self.assertEqual(anonymous.get(INBOX).status_code, 302)

    def test_the_address_is_never_rendered_on_public_pages_or_exports(self):
        ensure_standard_pages(self.home)
        for url in (
            FR_URL,
            EN_URL,
            FR_THANKS,
            "/fr/",
            "/en/",
            "/sitemap.xml",
            "/fr/accessibilite/",
            "/data/directory.json",
            "/data/directory.csv",
            "/fr/recherche/?q=Marie",
        ):
            with self.subTest(url=url):
                response = Client().get(url)
                self.assertNotIn(b"secret-address@example.org", response.content)
                self.assertNotIn(b"Le texte du message", response.content)


class RetentionTests(ContactTestCase):
    def test_purge_deletes_messages_and_addresses_past_the_retention_period(self):
        old = ContactMessage.objects.create(email="vieux@example.org", message="Ancien", language="fr")
        recent = ContactMessage.objects.create(email="recent@example.org", message="Récent", language="en")
        ContactMessage.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=181))
        ContactMessage.objects.filter(pk=recent.pk).update(created_at=timezone.now() - timedelta(days=179))
        out = StringIO()
        call_command("purge_contact_messages", stdout=out)
        self.assertEqual(list(ContactMessage.objects.values_list("email", flat=True)), ["recent@example.org"])
        self.assertIn("1 contact message", out.getvalue())

    def test_loading_twice_changes_nothing_and_keeps_editors_text(self):
        ContactPage.objects.filter(pk=self.page.pk).update(intro_fr="Texte de l'équipe")
        report = load_contact_file()
        self.assertEqual(report.unchanged, ["contact"])
        self.assertEqual(ContactPage.objects.get().intro_fr, "Texte de l'équipe")


class ContactTranslationTests(ContactTestCase):
    def test_the_pages_text_is_tracked_exported_for_translation_and_its_details_are_not(self):
        from translations.status import missing_fields, tracked_models

        self.assertIn(ContactPage, tracked_models())
        ContactPage.objects.filter(pk=self.page.pk).update(intro_en="", thanks_en="")
        page = ContactPage.objects.get()
        self.assertEqual(sorted(missing_fields(page, "en")), ["intro", "thanks"])
        admin = get_user_model().objects.create_superuser("admin", "a@example.org", "pw")
        self.client.force_login(admin)
        xliff = self.client.get(f"/admin/translations/pages/{page.pk}/export/")
        self.assertEqual(xliff.status_code, 200)
        self.assertIn("Une question sur la campagne", xliff.content.decode())
        self.assertNotIn("postal_address", xliff.content.decode())

from django.contrib.auth import get_user_model
from django.test import TestCase

from tests.factories import build_directory, use_admin_language


class AdminLanguageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_directory()

    def test_the_admin_speaks_french_to_an_english_browser(self):
        response = self.client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-CA,en;q=0.9")
        self.assertContains(response, 'lang="fr"')
        self.assertContains(response, "Nom d’utilisateur")
        user = get_user_model().objects.create_superuser("admin", "a@example.org", "correct-horse")
        self.client.force_login(user)
        response = self.client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en-CA,en;q=0.9")
        self.assertContains(response, 'lang="fr"')
        self.assertContains(response, "Traductions")

    def test_a_person_who_chose_english_gets_english(self):
        user = get_user_model().objects.create_superuser("admin", "a@example.org", "correct-horse")
        use_admin_language(user, "en")
        self.client.force_login(user)
        response = self.client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr")
        self.assertContains(response, 'lang="en"')
        self.assertContains(response, "Translations")

    def test_the_public_site_still_follows_the_browser(self):
        response = self.client.get("/", HTTP_ACCEPT_LANGUAGE="en-CA,en;q=0.9")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/en/"))

import io

from PIL import Image as PillowImage

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import SimpleTestCase, TestCase
from django.utils import translation

from wagtail.images.models import Image
from wagtail.models import Revision

from blog.loading import draw_hero, read_data
from blog.models import BlogAuthor, BlogCategory, BlogIndexPage, BlogPostPage, BlogTag


def quiet() -> io.StringIO:
    return io.StringIO()


class DemoDataFileTests(SimpleTestCase):
    def test_data_file_has_complete_bilingual_posts(self):
        data = read_data()
        self.assertGreaterEqual(len(data["posts"]), 6)
        for post in data["posts"]:
            with self.subTest(post=post["key"]):
                for field in ("title", "slug", "summary", "hero_alt", "body"):
                    self.assertTrue(post[f"{field}_fr"] and post[f"{field}_en"], field)

    def test_hero_illustration_is_a_wide_png_and_always_the_same(self):
        first, second = draw_hero("crop-survey"), draw_hero("crop-survey")
        self.assertEqual(first, second)
        self.assertEqual(PillowImage.open(io.BytesIO(first)).size, (1200, 630))


class LoadBlogDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_site", stdout=quiet())

    def test_demo_creates_the_blog_in_the_menu_with_every_post_published(self):
        blog = BlogIndexPage.objects.get()
        self.assertTrue(blog.live and blog.show_in_menus)
        self.assertEqual((blog.slug_fr, blog.slug_en), ("blogue", "blog"))
        data = read_data()
        posts = BlogPostPage.objects.child_of(blog)
        self.assertEqual(posts.live().count(), len(data["posts"]))
        self.assertEqual(BlogAuthor.objects.count(), len(data["authors"]))
        self.assertEqual(BlogCategory.objects.count(), len(data["categories"]))
        self.assertEqual(BlogTag.objects.count(), len(data["tags"]))
        first = posts.get(slug_fr=data["posts"][0]["slug_fr"])
        self.assertEqual(first.date.isoformat(), data["posts"][0]["date"])
        self.assertEqual(first.hero_alt_en, data["posts"][0]["hero_alt_en"])
        self.assertIsNotNone(first.hero_image)
        self.assertEqual(first.slug_en, data["posts"][0]["slug_en"])

    def test_running_the_demo_twice_changes_nothing(self):
        counts = (
            BlogPostPage.objects.count(),
            Revision.objects.count(),
            Image.objects.count(),
            BlogTag.objects.count(),
        )
        call_command("load_blog_demo", stdout=quiet())
        call_command("seed_site", stdout=quiet())
        self.assertEqual(
            (
                BlogPostPage.objects.count(),
                Revision.objects.count(),
                Image.objects.count(),
                BlogTag.objects.count(),
            ),
            counts,
        )

    def test_demo_has_no_social_account_urls(self):
        from home.models import SocialMediaSettings

        self.assertFalse(SocialMediaSettings.objects.exclude(linkedin_url="", twitter_url="", facebook_url="").exists())

    def test_every_blog_page_and_its_admin_edit_view_answers(self):
        admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
        self.client.force_login(admin)
        for page in [BlogIndexPage.objects.get(), *BlogPostPage.objects.all()]:
            for language in ("fr", "en"):
                with self.subTest(page=page.slug_fr, language=language), translation.override(language):
                    url = page.get_url()
                    self.assertTrue(url.startswith(f"/{language}/"))
                    self.assertEqual(self.client.get(url).status_code, 200)
            with self.subTest(admin=page.slug_fr):
                response = self.client.get(f"/admin/pages/{page.pk}/edit/")
                self.assertContains(response, 'name="title_en"')
        for path in (
            "/fr/blogue/rss/",
            "/en/blog/atom/",
            "/fr/blogue/categorie/vos-recours/",
            "/en/blog/tag/fees/",
        ):
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 200)

    def test_snippet_edit_views_show_both_languages(self):
        admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
        self.client.force_login(admin)
        for model, fields in (
            (BlogAuthor, ("name", "bio")),
            (BlogCategory, ("name", "slug")),
            (BlogTag, ("name",)),
        ):
            obj = model.objects.first()
            with self.subTest(model=model.__name__):
                response = self.client.get(f"/admin/snippets/blog/{model._meta.model_name}/edit/{obj.pk}/")
                for field in fields:
                    self.assertContains(response, f'name="{field}_fr"')
                    self.assertContains(response, f'name="{field}_en"')
        response = self.client.get("/admin/settings/home/socialmediasettings/", follow=True)
        for field in ("linkedin_url", "twitter_url", "facebook_url"):
            self.assertContains(response, f'name="{field}"')


class LocaleSmokeTests(SimpleTestCase):
    def test_blog_strings_are_translated_to_french(self):
        with translation.override("fr"):
            self.assertEqual(translation.gettext("Follow the campaign"), "Suivez la campagne")
            self.assertEqual(translation.gettext("Awaiting moderation"), "En attente de modération")

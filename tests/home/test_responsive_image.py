import re

from django.template import Context, Template
from django.test import TestCase

from tests.factories import make_image

TITLE = "Une balance de justice"


def render(template: str, **context) -> str:
    return Template("{% load site_tags %}" + template).render(Context(context))


def attributes(html: str) -> dict[str, str]:
    return dict(re.findall(r'([a-z-]+)="([^"]*)"', html))


class ResponsiveImageTests(TestCase):
    def test_image_has_webp_srcset_sizes_dimensions_and_lazy_loading(self):
        image = make_image(TITLE, 1600, 900)
        html = render('{% responsive_image image sizes="50vw" %}', image=image)
        attrs = attributes(html)
        candidates = [candidate.split() for candidate in attrs["srcset"].split(", ")]
        self.assertEqual([width for _url, width in candidates], ["400w", "800w", "1200w"])
        self.assertTrue(all(url.endswith(".webp") for url, _width in candidates))
        self.assertEqual(attrs["sizes"], "50vw")
        self.assertEqual((attrs["width"], attrs["height"]), ("800", "450"))
        self.assertEqual(attrs["loading"], "lazy")
        self.assertEqual(attrs["alt"], "Une balance de justice")

    def test_hero_image_is_eager_and_decorative_alt_stays_empty(self):
        html = render('{% responsive_image image eager=True alt="" %}', image=make_image(TITLE, 1600, 900))
        self.assertNotIn("loading=", html)
        self.assertIn('fetchpriority="high"', html)
        self.assertIn('alt=""', html)

    def test_small_image_is_never_upscaled(self):
        attrs = attributes(
            render(
                '{% responsive_image image widths="320,640,960" %}',
                image=make_image(TITLE, 500, 250),
            )
        )
        self.assertEqual([c.split()[1] for c in attrs["srcset"].split(", ")], ["320w", "500w"])
        self.assertEqual((attrs["width"], attrs["height"]), ("500", "250"))

    def test_missing_image_renders_nothing(self):
        self.assertEqual(render("{% responsive_image image %}", image=None).strip(), "")

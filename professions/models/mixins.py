"""What every directory page shares: routing by translated slug, bilingual preview, child URLs."""

from wagtail.models import Page

from home.models import BilingualPreviewMixin, SlugRouteMixin


class DirectoryPageMixin(SlugRouteMixin, BilingualPreviewMixin):
    """Shared helpers of directory pages."""

    def localized_slug(self, language: str) -> str:
        """The slug used in URLs of that language (French when the translation is empty)."""
        return getattr(self, f"slug_{language}") or self.slug_fr

    def child_url(self, parent_url: str, child: Page) -> str:
        """URL of a child page from its parent's URL, without another reverse() per child."""
        return f"{parent_url}{child.slug}/"

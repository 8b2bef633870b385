"""The campaign's social media accounts, edited in Settings and shown in the footer."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="site")
class SocialMediaSettings(BaseSiteSetting):
    """The « Suivez la campagne » links; each appears only when its URL is set."""

    linkedin_url = models.URLField(_("LinkedIn page"), blank=True)
    twitter_url = models.URLField(_("X (Twitter) account"), blank=True)
    facebook_url = models.URLField(_("Facebook page"), blank=True)

    class Meta:
        verbose_name = _("social media accounts")

    def accounts(self) -> list[dict[str, str]]:
        """The accounts that are set, in display order."""
        candidates = [
            ("LinkedIn", self.linkedin_url),
            ("X (Twitter)", self.twitter_url),
            ("Facebook", self.facebook_url),
        ]
        return [{"name": name, "url": url} for name, url in candidates if url]

from modeltranslation.translator import TranslationOptions, register

from blog.models import BlogAuthor, BlogCategory, BlogIndexPage, BlogPostPage, BlogTag


@register(BlogIndexPage)
class BlogIndexPageTR(TranslationOptions):
    fields = ("intro",)


@register(BlogPostPage)
class BlogPostPageTR(TranslationOptions):
    fields = ("summary", "hero_alt", "body")


@register(BlogAuthor)
class BlogAuthorTR(TranslationOptions):
    fields = ("name", "bio")


@register(BlogCategory)
class BlogCategoryTR(TranslationOptions):
    fields = ("name", "slug")


@register(BlogTag)
class BlogTagTR(TranslationOptions):
    fields = ("name", "slug")

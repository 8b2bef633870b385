from blog.models.comments import Comment, TeamReply
from blog.models.pages import BlogIndexPage, BlogPostPage
from blog.models.snippets import BlogAuthor, BlogCategory, BlogTag

__all__ = [
    "BlogAuthor",
    "BlogCategory",
    "BlogIndexPage",
    "BlogPostPage",
    "BlogTag",
    "Comment",
    "TeamReply",
]

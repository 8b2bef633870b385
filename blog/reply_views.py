"""The admin page where a moderator or an editor writes, publishes or withdraws the team's reply."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blog.models.comments import Comment, TeamReply
from blog.permissions import can_reply
from blog.replies import comment_language, reply_anchor, save_reply

ACTIONS = ("draft", "publish", "withdraw")


class TeamReplyForm(forms.ModelForm):
    class Meta:
        model = TeamReply
        fields = ["body"]
        labels = {"body": gettext_lazy("Reply from the team")}
        help_texts = {
            "body": gettext_lazy(
                "Plain text, in the language of the comment. Visitors see it under the comment once published."
            )
        }
        error_messages = {"body": {"required": gettext_lazy("Please write the reply.")}}
        widgets = {"body": forms.Textarea(attrs={"rows": 8, "maxlength": 3000})}


def reply_to_comment(request, comment_id: int):
    """Write the reply to an approved comment; save it as a draft, publish it, or withdraw it."""
    if not can_reply(request.user):
        raise PermissionDenied
    comment = get_object_or_404(Comment.objects.select_related("post", "team_reply"), pk=comment_id)
    reply = getattr(comment, "team_reply", None)
    listing_url = reverse(Comment.snippet_viewset.get_url_name("list"))
    if comment.status != Comment.Status.APPROVED:
        messages.error(request, _("Only approved comments can be answered. Approve this comment first."))
        return redirect(listing_url)
    form = TeamReplyForm(request.POST or None, instance=reply)
    action = request.POST.get("action")
    status = 200
    if request.method == "POST":
        if action not in ACTIONS:
            form.add_error(None, _("Choose an action: save the draft, publish or withdraw."))
            status = 400
        elif form.is_valid():
            reply = save_reply(comment, form.cleaned_data["body"], action, request.user)
            messages.success(request, SUCCESS_MESSAGES[action]())
            return redirect(reverse("blog_comment_reply", args=[comment.pk]))
        else:
            status = 400
    post_url = comment.post.get_url(request=request) if comment.post.live else ""
    return TemplateResponse(
        request,
        "blog/admin/reply.html",
        {
            "page_title": _("Reply to a comment"),
            "header_icon": "comment",
            "comment": comment,
            "language": comment_language(comment),
            "language_name": dict(settings.LANGUAGES)[comment_language(comment)],
            "reply": reply,
            "form": form,
            "listing_url": listing_url,
            "reply_url": f"{post_url}#{reply_anchor(reply)}" if post_url and comment.shown_reply else "",
        },
        status=status,
    )


SUCCESS_MESSAGES = {
    "draft": lambda: _("Draft saved. Visitors do not see it until you publish it."),
    "publish": lambda: _("Reply published under the comment."),
    "withdraw": lambda: _("Reply withdrawn: visitors no longer see it."),
}

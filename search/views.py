"""The site search page."""

from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from wagtail.models import Page

from search.forms import SearchForm

RESULTS_PER_PAGE = 10


def search(request):
    """Search live pages in the active language; bad input gives an empty, polite page."""
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = Page.objects.none()
    if query:
        results = Page.objects.live().public().specific().search(query)
    page_obj = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "search/search.html",
        {"search_query": query, "page_obj": page_obj, "form": form},
    )

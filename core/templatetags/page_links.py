"""``{% load page_links %}``: ``{% for number in page_obj|elided_pages %}``, the pages near
the current one with ellipses between (``Paginator.get_elided_page_range``), so that
thousands of pages do not make thousands of links (includes/pagination.html)."""

from django import template

register = template.Library()


@register.filter
def elided_pages(page):
    return page.paginator.get_elided_page_range(page.number)

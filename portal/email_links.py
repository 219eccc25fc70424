"""Links in emails: the one configured public address (`PUBLIC_BASE_URL`) and a site path.

Wagtail's `full_url` comes from the Site record's hostname and port, which a demo or a copied
database can leave at `localhost:80`; an email read days later, on another device, needs the
address residents actually use.
"""

from portal.accounts import public_url


def page_url(page, route=""):
    """The absolute public link to `page` (and a `route` below it, from `reverse_subpage`)."""
    url_parts = page.get_url_parts()
    if url_parts is None:
        raise ValueError(f"{page!r} is not routable, so an email cannot link to it.")
    _site_id, _root_url, page_path = url_parts
    return public_url(page_path + route)

"""Site-wide Wagtail admin hooks: the officers' admin meets the same contrast rules as the site."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_css")
def accessible_admin_colours():
    return format_html('<link rel="stylesheet" href="{}">', static("portal/css/admin.css"))

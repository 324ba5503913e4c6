"""The header's menu and the footer's links of every page, composed in Python.

The base template reversed about twenty addresses, translated as many labels and compared each link with
the page's address through a template tag, on every page: about a third of the base template's CPU; a
template loop over the links still cost a quarter of what remained. The links of a kind of person
(visitor, member, reviewer, admin) are the same on every page of a language, so they are composed once per
process for each, down to their HTML (`<li><a …>`, in each of its three states); a page only picks the
state of each link (aria-current on the one it is under).
"""

from dataclasses import dataclass
from functools import cached_property, lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from core.routing import constant_url
from projects.access import can_open_review_queue

# The menu, in order: each part shown to whom its rule admits.
EVERYONE = (
    ("alliance:charter", _("La charte")),
    ("alliance:directory", _("Les allié·es")),
    ("territories:list", _("Les territoires")),
    ("library:list", _("Les ressources")),
)
ADMINS = (
    ("alliance:review_queue", _("Candidatures")),
    ("alliance:charter_manage", _("Gérer la charte")),
    ("pages:admin_index", _("Site public")),
)
MEMBERS = (("projects:mine", _("Projets")),)
REVIEWERS = (("projects:review_queue", _("À relire")),)
MEMBERS_AFTER = (
    ("cooperation:groups", _("Groupes de pairs")),
    ("dashboards:my_space", _("Mon espace")),
)
VISITORS = (("account_login", _("Se connecter")),)

FOOTER = (
    ("pages:events", _("Événements")),
    ("pages:open_data", _("Données ouvertes")),
    ("pages:legal", _("Mentions légales et données personnelles")),
    ("pages:help", _("Aide et contact")),
    ("pages:site_map", _("Plan du site")),
)

# The other addresses of the header and the footer, without a label of their own here.
ADDRESSES = ("pages:home", "account_logout", "account_signup", "pages:accessibility", "set_language")

PAGE = mark_safe(' aria-current="page"')
SECTION = mark_safe(' aria-current="true"')


@dataclass(slots=True)
class Link:
    url: str
    label: str
    # ` aria-current="page"` on the link of the page shown, `="true"` on the link of its section (a page under
    # that link's path), so that where one is reads the same with the eyes and a screen reader.
    current: str = ""
    # The link's list item as the page shows it.
    html: str = ""


def _current(path: str, url: str) -> str:
    if path == url:
        return PAGE
    if url != "/" and path.startswith(url):
        return SECTION
    return ""


# The parts by name: the cache below is keyed by these names, not by the parts, whose lazy labels would each
# be translated again to be hashed.
PARTS = {
    "everyone": EVERYONE,
    "admins": ADMINS,
    "members": MEMBERS,
    "reviewers": REVIEWERS,
    "members_after": MEMBERS_AFTER,
    "visitors": VISITORS,
    "footer": FOOTER,
}


@lru_cache(maxsize=64)
def _links(
    parts: tuple[str, ...], language: str, urlconf, script_prefix: str
) -> tuple[tuple[str, str, dict], ...]:
    """(address, label, list item by aria-current state) of these parts (PARTS) of the menu, in the active
    language. The arguments after `parts` are what the result depends on besides them: the cache key."""
    links = []
    for part in parts:
        for name, label in PARTS[part]:
            url, text = constant_url(name), str(label)
            items = {
                current: format_html('<li><a href="{}"{}>{}</a></li>', url, current, text)
                for current in ("", PAGE, SECTION)
            }
            links.append((url, text, items))
    return tuple(links)


@lru_cache(maxsize=16)
def _footer_html(language: str, urlconf, script_prefix: str) -> SafeString:
    links = _links(("footer",), language, urlconf, script_prefix)
    return format_html_join("\n", "{}", ((items[""],) for _url, _text, items in links))


@lru_cache(maxsize=8)
def _language_options(current: str) -> SafeString:
    """The options of the footer's language form, each named in its own language, the page's selected."""
    options = (
        format_html(
            '<option value="{}" lang="{}"{}>{}</option>',
            code,
            code,
            mark_safe(" selected") if code == current else "",
            capfirst(get_language_info(code)["name_local"]),
        )
        for code, _name in settings.LANGUAGES
    )
    return mark_safe("\n".join(options))  # noqa: S308 - format_html items


@receiver(setting_changed)
def _forget_languages(setting, **kwargs):
    if setting == "LANGUAGES":
        _language_options.cache_clear()


@lru_cache(maxsize=8)
def _addresses(urlconf, script_prefix: str) -> dict[str, str]:
    return {name.replace(":", "_"): constant_url(name) for name in ADDRESSES}


def _key():
    return get_language(), get_urlconf(), get_script_prefix()


def menu_parts(user) -> tuple[str, ...]:
    if not user.is_authenticated:
        return ("everyone", "visitors")
    return (
        "everyone",
        *(("admins",) if user.is_alliance_admin else ()),
        "members",
        *(("reviewers",) if can_open_review_queue(user) else ()),
        "members_after",
    )


class SiteNavigation:
    """What base.html links to, read by the template as `site_nav`: worked out when first read, so that a
    fragment rendered for htmx (which runs the context processors too) pays nothing."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def menu(self) -> list[Link]:
        path = self.request.path
        links = []
        for url, label, items in _links(menu_parts(self.request.user), *_key()):
            current = _current(path, url)
            links.append(Link(url, label, current, items[current]))
        return links

    @property
    def menu_html(self) -> SafeString:
        """The menu's list items (base.html)."""
        # Each item is format_html's already: joined as they are, not formatted again on every page.
        return mark_safe("\n".join(link.html for link in self.menu))  # noqa: S308 - format_html items

    @property
    def footer_html(self) -> SafeString:
        """The footer's list items but the accessibility statement's (base.html)."""
        return _footer_html(*_key())

    @property
    def language_options(self) -> SafeString:
        return _language_options(get_language())

    @property
    def urls(self) -> dict[str, str]:
        """The other addresses, by URL name with `_` for `:` (`site_nav.urls.account_logout`)."""
        return _addresses(get_urlconf(), get_script_prefix())

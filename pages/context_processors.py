from .navigation import SiteNavigation


def navigation(request):
    """The header's menu and the footer's links of base.html (pages.navigation), composed when first read."""
    return {"site_nav": SiteNavigation(request)}

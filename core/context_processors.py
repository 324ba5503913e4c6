from django.conf import settings


def platform(request):
    return {
        # django-htmx's {% htmx_script %} reads the nonce under this name.
        "csp_nonce": getattr(request, "csp_nonce", ""),
        # The address people write to: the footer, the legal notice, the accessibility statement.
        "contact_email": settings.CONTACT_EMAIL,
    }

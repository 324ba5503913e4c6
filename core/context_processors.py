def platform(request):
    # django-htmx's {% htmx_script %} reads the nonce under this name.
    return {"csp_nonce": getattr(request, "csp_nonce", "")}

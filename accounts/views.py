from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.i18n import set_language

from core.decorators import login_required

from . import services
from .forms import ProfileForm


@login_required
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=form.instance)
        messages.success(request, _("Votre profil est enregistré."))
        return redirect("dashboards:my_space")
    return render(request, "accounts/profile_form.html", {"form": form})


def language_switch(request):
    """Django's language switch (the cookie, the redirection); a signed-in person's choice is also recorded
    on their account, for their other devices and their e-mails."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.language_set(user=request.user, language=language)
    return response

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

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

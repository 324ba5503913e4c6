from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from alliance.services import memberships_of
from core.decorators import login_required
from territories.models import TeamMember
from territories.services import open_invitations_for

from .forms import ProfileForm


@login_required
def dashboard(request):
    return render(
        request,
        "accounts/dashboard.html",
        {
            "memberships": memberships_of(request.user),
            "invitations": list(open_invitations_for(request.user)),
            "team_roles": TeamMember.objects.filter(user=request.user)
            .select_related("territory")
            .order_by("territory__name"),
        },
    )


@login_required
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Votre profil est enregistré."))
        return redirect("accounts:dashboard")
    return render(request, "accounts/profile_form.html", {"form": form})

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # The profile fields of the sign-up form are cleaned by SignupProfileForm.
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        user.full_name = data.get("full_name", "")
        user.function = data.get("function", "")
        user.family = data.get("family") or user.family
        if commit:
            user.save()
        return user

"""The template engine (settings TEMPLATES): Django's, told that two of its libraries are replaced on purpose.

The `i18n` and `static` labels name core.i18n_library and core.static_library, which keep Django's tags and
remember the text of a constant message or the address of a constant file. Django's check warns of any
label naming two modules (templates.W003, meant for two apps shipping a library of one name): the warning
of exactly these replacements is left out, any other clash is still reported.
"""

from django.template.backends.django import DjangoTemplates

REPLACED = {
    "i18n": ("core.i18n_library", "django.templatetags.i18n"),
    "static": ("core.static_library", "django.templatetags.static"),
}


class Templates(DjangoTemplates):
    def _check_for_template_tags_with_the_same_name(self):
        intended = {
            f"{label!r} is used for multiple template tag modules: "
            + ", ".join(repr(m) for m in sorted(modules))
            for label, modules in REPLACED.items()
        }
        return [
            warning
            for warning in super()._check_for_template_tags_with_the_same_name()
            if warning.msg not in intended
        ]

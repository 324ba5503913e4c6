"""A form renderer that writes the templates of Django's <div> layout in Python, for the forms of busy pages.

Django renders a form through a template for the form, then one per field, per label, per error list and per
widget, each with its includes: for the review queue's filters that cost more than the whole table of
results. `PlainRenderer` writes the same HTML with f-strings for these templates — the form (div.html), the
field group (field.html), the label (the project's templates/django/forms/label.html, with its
« (obligatoire) » mention), the error lists (ul.html) and the widgets that are a single <input> — and hands
every other template (a <select>, a <textarea>, radio buttons…) to the project's templates, as
`FORM_RENDERER` does.

The HTML is the same as the templates', whitespace between tags aside (tests/core/test_form_renderer.py
renders forms in every state both ways): the same labels, ids, aria attributes, values and errors. A form
opts in with `default_renderer = PlainRenderer`.
"""

from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape
from django.utils.translation import gettext

# The widget templates that are only `{% include "django/forms/widgets/input.html" %}`.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "search",
        "number",
        "email",
        "url",
        "tel",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "color",
        "checkbox",
    )
)
ERROR_TEMPLATES = frozenset(("django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"))


def _attrs(attrs) -> str:
    """django/forms/attrs.html and widgets/attrs.html: True is a bare attribute, False leaves it out."""
    if not attrs:
        return ""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = widget["value"]
    value = "" if value is None else f' value="{conditional_escape(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def _errors(errors, error_class) -> str:
    if not errors:
        return ""
    field_id = f' id="{conditional_escape(errors.field_id)}_error"' if errors.field_id else ""
    items = "".join(f"<li>{conditional_escape(error)}</li>" for error in errors)
    return f'<ul class="{conditional_escape(error_class)}"{field_id}>{items}</ul>'


def _label(context) -> str:
    """The project's label.html: the label, and « (obligatoire) » inside it for a required field."""
    label = conditional_escape(context["label"])
    if not context["use_tag"]:
        return str(label)
    tag = conditional_escape(context["tag"])
    required = ""
    if context["field"].field.required:
        # Outside the f-string: makemessages reads no f-string (tests/test_i18n.py).
        mention = conditional_escape(gettext("(obligatoire)"))
        required = f' <span class="required-mention">{mention}</span>'
    return f"<{tag}{_attrs(context['attrs'])}>{label}{required}</{tag}>"


def _field(field) -> str:
    """field.html: the label (or legend), the help text, the errors, the widget."""
    parts = []
    if field.use_fieldset:
        described = field.aria_describedby
        described = f' aria-describedby="{conditional_escape(described)}"' if described else ""
        parts.append(f"<fieldset{described}>")
        if field.label:
            parts.append(field.legend_tag())
    elif field.label:
        parts.append(field.label_tag())
    if field.help_text:
        help_id = f' id="{conditional_escape(field.auto_id)}_helptext"' if field.auto_id else ""
        # |safe in the template: the help texts are the code's, and some hold markup.
        parts.append(f'<div class="helptext"{help_id}>{field.help_text}</div>')
    parts.append(str(field.errors))
    parts.append(f"{field}{'</fieldset>' if field.use_fieldset else ''}")
    return "\n".join(parts)


def _form(context) -> str:
    """div.html: the form's own errors, then each field in its <div>, the hidden fields in the last one."""
    errors, fields, hidden = context["errors"], context["fields"], context["hidden_fields"]
    parts = [str(errors)]
    if errors and not fields:
        parts.append(f"<div>{''.join(str(field) for field in hidden)}</div>")
    for number, (field, _errors) in enumerate(fields, 1):
        classes = field.css_classes()
        classes = f' class="{conditional_escape(classes)}"' if classes else ""
        last = "".join(str(field) for field in hidden) if number == len(fields) else ""
        parts.append(f"<div{classes}>\n{field.as_field_group()}\n{last}\n</div>")
    if not fields and not errors:
        parts.append("".join(str(field) for field in hidden))
    return "\n".join(parts)


class PlainRenderer(TemplatesSetting):
    """The project's form templates, the simplest of them written in Python (see the module's docstring)."""

    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            return _input(context["widget"])
        if template_name in ERROR_TEMPLATES:
            return _errors(context["errors"], context["error_class"])
        if template_name == "django/forms/label.html":
            return _label(context)
        if template_name == "django/forms/field.html":
            return _field(context["field"])
        if template_name == "django/forms/div.html":
            return _form(context)
        return super().render(template_name, context, request)

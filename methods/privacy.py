"""What the method's tools hold about a person (accounts.privacy): the journal entries they wrote or took part
in, and their ratings in evaluation sessions. Actors of a map are typed names, not accounts."""

from accounts.privacy import register, register_erasure

from .services import evaluation, journal


@register
def export(user):
    return {**journal.privacy_export(user), **evaluation.privacy_export(user)}


@register_erasure
def erase(user):
    journal.privacy_erase(user)
    evaluation.privacy_erase(user)

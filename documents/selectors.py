"""Reads of documents: what a request names."""


def deliverable_version(deliverable, number: int):
    """The deliverable's version of that number, or None."""
    return deliverable.versions.filter(number=number).first()

"""What changed between two versions of the charter, paragraph by paragraph (the preamble's paragraphs, then
the commitments), for the page where members sign the new version."""

import difflib
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.textdiff import diff_words

from .models import Charter


@dataclass(frozen=True)
class ParagraphChange:
    status: str  # "same", "changed", "added" or "removed"
    html: SafeString  # the paragraph, with <ins>/<del> where it changed


def charter_changes(old: Charter | None, new: Charter) -> list[ParagraphChange]:
    """The new version's paragraphs in order, each marked against the old version; removed paragraphs stay
    where they were, struck through. Without an old version, every paragraph is new."""
    before = old.paragraphs if old is not None else []
    after = new.paragraphs
    changes = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            changes += [ParagraphChange("same", escape(text)) for text in after[j1:j2]]
            continue
        removed, added = before[i1:i2], after[j1:j2]
        # A replaced block pairs its paragraphs in order: a reworded commitment shows its words changed.
        for old_text, new_text in zip(removed, added, strict=False):
            changes.append(ParagraphChange("changed", diff_words(old_text, new_text)))
        for old_text in removed[len(added) :]:
            changes.append(ParagraphChange("removed", mark_safe(f"<del>{escape(old_text)}</del>")))  # noqa: S308
        for new_text in added[len(removed) :]:
            changes.append(ParagraphChange("added", mark_safe(f"<ins>{escape(new_text)}</ins>")))  # noqa: S308
    return changes

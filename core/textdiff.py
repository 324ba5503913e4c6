"""Comparing two texts word by word for people to read: the new text with what was removed in <del> and what
was added in <ins>. The texts are HTML-escaped first and only then wrapped, so whatever they contain is shown
as text, never interpreted. Used by the deliverables' versions and the charter's versions."""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_WORDS = re.compile(r"\s+|\S+")
# Above this many words, difflib treats very frequent words as noise: the diff stays fast on long answers.
_AUTOJUNK_ABOVE = 2000


def _word_diff(old: str, new: str) -> list[str]:
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=len(b) > _AUTOJUNK_ABOVE)
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            out.append(escape(added))
            continue
        # Only spacing changed: the new layout is shown, without marking blanks nobody can see.
        if removed.strip():
            out.append(f"<del>{escape(removed)}</del>")
        core = added.strip()
        if core:
            # The spaces around an insertion belong to the text around it: only the words are marked.
            start = added.index(core)
            out.append(
                f"{escape(added[:start])}<ins>{escape(core)}</ins>{escape(added[start + len(core) :])}"
            )
        else:
            out.append(escape(added))
    return out


def diff_words(old: str, new: str) -> SafeString:
    """The new text with the words removed since the old one in <del> and those added in <ins>.

    Lines are matched first, then words within the changed lines, so a long answer where one paragraph
    changed is compared quickly and the change stays where it happened."""
    old = (old or "").replace("\r\n", "\n")
    new = (new or "").replace("\r\n", "\n")
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(b[j1:j2])))
        else:
            out.extend(_word_diff("".join(a[i1:i2]), "".join(b[j1:j2])))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above went through escape()

"""Word tokens from underthesea, aligned to the text and held in a spaCy `Doc`.

underthesea joins the syllables of a word with a space ("đảng viên"); its
`use_token_normalize=False` mode keeps every token a substring of the input, so tokens
are aligned by searching forward. Tokens that glue a number to a word ("1.575 suất") are
split again, because the matchers need numbers as tokens of their own.
"""

from __future__ import annotations

from functools import cache

from spacy.tokens import Doc
from spacy.vocab import Vocab
from underthesea import word_tokenize


@cache
def vocab() -> Vocab:
    import spacy

    return spacy.blank("xx").vocab


def _pieces(token: str) -> list[str]:
    parts = token.split()
    if len(parts) > 1 and any(ch.isdigit() for ch in token):
        return parts
    return [token]


def tokenise(text: str, offset: int = 0) -> Doc:
    """A Doc over `text`; `doc.user_data["offset"]` is where `text` starts in its article."""
    words: list[str] = []
    starts: list[int] = []
    pos = 0
    for raw in word_tokenize(text, use_token_normalize=False):
        for piece in _pieces(raw):
            found = text.find(piece, pos)
            if found < 0:
                # Not a substring (underthesea changed it): fall back to its syllables.
                for syllable in piece.split():
                    found = text.find(syllable, pos)
                    if found >= 0:
                        words.append(syllable)
                        starts.append(found)
                        pos = found + len(syllable)
                continue
            words.append(piece)
            starts.append(found)
            pos = found + len(piece)
    spaces = [
        (starts[i + 1] if i + 1 < len(starts) else len(text)) > starts[i] + len(words[i])
        for i in range(len(words))
    ]
    doc = Doc(vocab(), words=words, spaces=spaces)
    doc.user_data["offset"] = offset
    doc.user_data["starts"] = starts
    return doc

"""Text normalisation shared by prepare, train and evaluate.

One function, `normalize(text)`, applied to every ground-truth string before it
becomes a training target and before CER/WER is computed, so that the model is
never asked to tell apart characters that look the same on the page.
The app must apply the same rules to ground truth before scoring (see README).
"""
import re
import unicodedata

# Characters that are the same glyph on a handwritten page (or that only
# differ by font), folded onto one code point each.
LOOKALIKES = {
    # apostrophes and single quotes -> ASCII apostrophe
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "\u00b4": "'",
    "\u201a": "'",
    # double quotes -> ASCII quote (French guillemets « » are kept: other glyph)
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    # dashes and hyphens -> ASCII hyphen-minus (length is not readable by hand)
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-",
    # long s: absent from the training transcriptions (the chocomufin files
    # already write s), so the model could never emit it
    "\u017f": "s",
    # MUFI private-use code points (fonts in the app may not have them).
    # U+F1AC = abbreviation sign "semicolon" (-que, -bus): looks like ';'
    "\uf1ac": ";",
    # spaces of every width -> one ASCII space
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\t": " ",
}
# Invisible characters: dropped.
INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}

_TABLE = str.maketrans({**LOOKALIKES, **{c: None for c in INVISIBLE}})
_SPACES = re.compile(r" {2,}")


def normalize(text: str) -> str:
    """NFC, fold look-alikes, collapse spaces, strip.

    NFC (not NFD) because the app stores and displays NFC; combining marks that
    have no precomposed form (medieval abbreviation marks such as U+0303 over
    q/p, U+033E, superscript letters U+0363..) stay as separate characters and
    therefore as separate CTC classes after their base letter.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.translate(_TABLE)
    # the table may have produced new combinable sequences: compose again
    text = unicodedata.normalize("NFC", text)
    return _SPACES.sub(" ", text).strip()

"""CER / WER: total edit distance over total reference length (micro average),
the figure the app's local CER report uses too."""
from collections import defaultdict


def edit_distance(a, b):
    """Levenshtein distance between two sequences (strings or word lists)."""
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def score(refs, hyps, groups=None):
    """-> dict(cer, wer, chars, lines, by_group={group: cer})."""
    ce = cn = we = wn = 0
    g_e, g_n = defaultdict(int), defaultdict(int)
    for k, (r, h) in enumerate(zip(refs, hyps)):
        e = edit_distance(r, h)
        ce, cn = ce + e, cn + len(r)
        we, wn = we + edit_distance(r.split(), h.split()), wn + len(r.split())
        if groups:
            g_e[groups[k]] += e
            g_n[groups[k]] += len(r)
    out = dict(cer=round(ce / max(cn, 1), 4), wer=round(we / max(wn, 1), 4), chars=cn, lines=len(refs))
    if groups and len(g_n) > 1:
        out["by_group"] = {g: round(g_e[g] / max(g_n[g], 1), 4) for g in sorted(g_n)}
    return out

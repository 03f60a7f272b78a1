"""Synthetic ruled registers (parish books, civil registers, account tables) with
their ground truth as PAGE-XML, for the detector's weakest case.

Why: the training pages hold almost no ruled tables (two LECTAUREP pages), so the
detector boxes a register's row as one line across its cells, and the app's
table-aware splitting is the only thing that cuts it. Real registers with line
ground truth are rare and the few here are regression pages or documents of
them (never trained on). So tables are drawn: rulings, cells of one to four lines
of handwriting in the Debian handwriting fonts (words taken from the training
transcriptions), small marks (ditto signs, numbers), empty cells, single pages
and double-page spreads on aged paper. Each written line in a cell is one
TextLine, boxed to its ink: the Transkribus convention for registers (one line
per cell and line of writing), which the app's splitting also follows.

The pages go through the app's own exporter like the real ones
(`htr-studio export --format yolo`), so the detector trains on exactly what the
app would export from a user's corrected register.

usage: /usr/bin/python3 synth_tables.py --out work/synth-pages --pages 120 [--seed 7]
"""
import argparse
import html
import os
import random
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "htr"))
from gt_readers import read_lines  # noqa: E402  (the recogniser's readers of the ground truth)
from synth_lines import default_fonts, drawable  # noqa: E402  (the same handwriting fonts as its synthetic lines)

DITTO = ["\u3003", '"', "\u201d", "d\u00b0", "id.", "-"]


def words_from_corpus(pages_tsv):
    """Words of the transcriptions of the detector's training pages (never validation or left-out pages)."""
    with open(pages_tsv, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f][1:]
    paths = [r[3] for r in rows if len(r) > 3 and r[1] == "train"]
    words = set()
    for path in paths:
        for _, _, text, _ in read_lines(path):
            for w in text.split():
                if 2 <= len(w) <= 14:
                    words.add(w)
    return sorted(words)


def fonts():
    out = default_fonts()
    if not out:
        raise SystemExit("no handwriting fonts: apt-get install fonts-ecolier-court fonts-dkg-handwriting fonts-joscelyn fonts-dancingscript")
    return out


def paper(rng, w, h):
    """Aged paper: a beige tone, low-frequency stains, grain."""
    r = rng.uniform(195, 240)
    g = r - rng.uniform(4, 20)
    base = np.array([r, g, g - rng.uniform(12, 45)], np.float32)
    small = np.random.default_rng(rng.randrange(1 << 30)).normal(0, 1, (max(2, h // 200), max(2, w // 200), 1)).astype(np.float32)
    stain = np.asarray(Image.fromarray(((small[..., 0] * 20) + 128).clip(0, 255).astype(np.uint8)).resize((w, h), Image.BICUBIC), np.float32) - 128
    grain = np.random.default_rng(rng.randrange(1 << 30)).normal(0, rng.uniform(2, 7), (h, w)).astype(np.float32)
    img = base[None, None, :] + (stain * rng.uniform(0.3, 1.0) + grain)[..., None]
    return img.clip(0, 255)


def ink_colour(rng):
    k = rng.uniform(0, 1)
    if k < 0.5:
        return np.array([rng.uniform(15, 60), rng.uniform(10, 45), rng.uniform(5, 35)], np.float32)  # iron-gall brown-black
    if k < 0.8:
        return np.array([rng.uniform(60, 110), rng.uniform(40, 80), rng.uniform(20, 50)], np.float32)  # faded brown
    return np.array([rng.uniform(20, 50)] * 3, np.float32)  # black


def render_text(text, font_path, size, bold=0):
    """The text's ink as a float mask [h, w] in 0..1, tight to its ink (None if nothing drew);
    `bold` thickens the strokes (a broad pen) by that many pixels."""
    f = ImageFont.truetype(font_path, size)
    l, t, r, b = f.getbbox(text)
    pad = size // 2
    im = Image.new("L", (max(1, r - l) + 2 * pad, max(1, b - t) + 2 * pad), 0)
    ImageDraw.Draw(im).text((pad - l, pad - t), text, font=f, fill=255)
    if bold:
        im = im.filter(ImageFilter.MaxFilter(2 * bold + 1))
    a = np.asarray(im, np.float32) / 255.0
    ys, xs = np.nonzero(a > 0.25)
    if not len(xs):
        return None
    return a[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


def paste(img, mask, x, y, colour, alpha):
    h, w = mask.shape
    H, W = img.shape[:2]
    x0, y0, x1, y1 = max(0, x), max(0, y), min(W, x + w), min(H, y + h)
    if x1 <= x0 or y1 <= y0:
        return None
    m = mask[y0 - y:y1 - y, x0 - x:x1 - x, None] * alpha
    img[y0:y1, x0:x1] = img[y0:y1, x0:x1] * (1 - m) + colour[None, None, :] * m
    ys, xs = np.nonzero(mask[y0 - y:y1 - y, x0 - x:x1 - x] > 0.25)
    if not len(xs):
        return None
    return (x0 + int(xs.min()), y0 + int(ys.min()), x0 + int(xs.max()) + 1, y0 + int(ys.max()) + 1)


def rule(img, x0, y0, x1, y1, width, colour, rng):
    """A ruling drawn with a pen and ruler: nearly straight, slightly uneven in strength."""
    h, w = img.shape[:2]
    n = max(2, int(max(abs(x1 - x0), abs(y1 - y0)) / 40))
    for i in range(n):
        a, b = i / n, (i + 1) / n
        xa, ya = x0 + (x1 - x0) * a, y0 + (y1 - y0) * a
        xb, yb = x0 + (x1 - x0) * b, y0 + (y1 - y0) * b
        alpha = rng.uniform(0.55, 0.95)
        xs0, xs1 = int(min(xa, xb) - width / 2), int(max(xa, xb) + width / 2) + 1
        ys0, ys1 = int(min(ya, yb) - width / 2), int(max(ya, yb) + width / 2) + 1
        xs0, ys0, xs1, ys1 = max(0, xs0), max(0, ys0), min(w, xs1), min(h, ys1)
        if xs1 > xs0 and ys1 > ys0:
            img[ys0:ys1, xs0:xs1] = img[ys0:ys1, xs0:xs1] * (1 - alpha) + colour * alpha


def cell_text(rng, words, kind):
    if kind == "number":
        return str(rng.randrange(1, 2000)) if rng.random() < 0.7 else f"{rng.randrange(1, 31)} {rng.choice(words)}"
    if kind == "date":
        return f"{rng.randrange(1, 31)} {rng.choice(words)} {rng.randrange(1780, 1920)}"
    return " ".join(rng.choice(words) for _ in range(rng.choice([1, 2, 2, 3, 4, 5])))


def table(img, rng, words, font_list, x0, y0, x1, y1, lines, short=0.1, short_words=False):
    """Draws one ruled table into img; appends (box, text) of each written line to `lines`.
    `short`: the share of cells holding one short entry (a ditto mark or a figure, and with
    `short_words` also a short word) — the entries a detector misses most often."""
    W = x1 - x0
    ncol = rng.randrange(3, 10)
    weights = [rng.uniform(0.5, 3.0) for _ in range(ncol)]
    cols = [x0]
    for wgt in weights:
        cols.append(cols[-1] + W * wgt / sum(weights))
    kinds = [rng.choice(["number", "words", "words", "date", "words"]) for _ in range(ncol)]
    pitch = rng.uniform(38, 80)  # line pitch in page pixels (a page 3000–4400 px wide)
    size = int(pitch * rng.uniform(0.8, 1.15))
    bold = rng.choice([0, 1, 1, 2]) if size > 45 else rng.choice([0, 1])
    font_path = rng.choice(font_list)
    colour = ink_colour(rng)
    rule_colour = ink_colour(rng) * rng.uniform(0.8, 1.6)
    rule_w = rng.uniform(2, 6)
    # header: one band of titles, ruled above and below
    head_h = pitch * rng.uniform(1.2, 2.2)
    y = y0 + head_h
    rows = []
    while True:
        k = rng.choice([1, 1, 2, 2, 2, 3, 3, 4])
        rh = k * pitch + pitch * rng.uniform(0.3, 0.8)
        if y + rh > y1:
            break
        rows.append((y, y + rh, k))
        y += rh
    if not rows:
        return
    bottom = rows[-1][1]
    horizontal = rng.random() < 0.8
    for c in cols:
        rule(img, c + rng.uniform(-2, 2), y0, c + rng.uniform(-4, 4), bottom, rule_w, rule_colour, rng)
    rule(img, x0, y0, x1, y0 + rng.uniform(-3, 3), rule_w, rule_colour, rng)
    rule(img, x0, y0 + head_h, x1, y0 + head_h + rng.uniform(-3, 3), rule_w, rule_colour, rng)
    for _, yb, _ in rows:
        if horizontal or yb == bottom:
            rule(img, x0, yb, x1, yb + rng.uniform(-3, 3), rule_w * rng.uniform(0.6, 1.0), rule_colour, rng)
    for ci in range(ncol):  # column titles, some cells left blank
        if rng.random() < 0.6:
            write(img, rng, rng.choice(words), font_path, int(size * rng.uniform(0.7, 1.0)), bold, colour, cols[ci], cols[ci + 1], y0, y0 + head_h, 1, lines)
    for ya, yb, k in rows:
        for ci in range(ncol):
            r = rng.random()
            if r < 0.2:
                continue  # empty cell
            if r < 0.2 + short:  # a ditto mark, a single figure (or a short word)
                pool = DITTO + [str(rng.randrange(1, 99))]
                if short_words:
                    pool += [w for w in (rng.choice(words) for _ in range(3)) if len(w) <= 6]
                write(img, rng, rng.choice(pool), font_path, size, bold, colour, cols[ci], cols[ci + 1], ya, yb, 1, lines, small=True)
                continue
            n = rng.randrange(1, k + 1) if kinds[ci] != "number" else 1
            write(img, rng, [cell_text(rng, words, kinds[ci]) for _ in range(n)], font_path, size, bold, colour, cols[ci], cols[ci + 1], ya, yb, n, lines)


def write(img, rng, texts, font_path, size, bold, colour, cx0, cx1, cy0, cy1, n, lines, small=False):
    """Up to n lines of writing in a cell, each kept inside it (shrunk or shortened to fit)."""
    if isinstance(texts, str):
        texts = [texts]
    ok = drawable(font_path)
    texts = [" ".join("".join(c for c in t if ok(c)).split()) for t in texts]  # no .notdef boxes
    cw, ch = cx1 - cx0, cy1 - cy0
    pitch = ch / (n + 0.4)
    for i, text in enumerate(texts):
        if not text:
            continue
        for _ in range(4):
            mask = render_text(text, font_path, size, bold)
            if mask is not None and mask.shape[1] <= cw - 12:
                break
            if " " in text:
                text = text.rsplit(" ", 1)[0]
            else:
                size = int(size * 0.8)
        if mask is None or mask.shape[1] > cw - 12 or mask.shape[0] > pitch * 1.6:
            continue
        x = cx0 + 6 + (rng.uniform(0, max(0, cw - 12 - mask.shape[1])) if rng.random() < 0.5 or small else rng.uniform(0, min(30, max(0, cw - 12 - mask.shape[1]))))
        y = cy0 + pitch * (i + 0.7) - mask.shape[0] * 0.65 + rng.uniform(-0.1, 0.1) * pitch
        box = paste(img, mask, int(x), int(y), colour, rng.uniform(0.85, 1.0))
        if box:
            lines.append((box, text))


def page(rng, words, font_list, short=0.1, short_words=False):
    spread = rng.random() < 0.4
    if spread:
        W = rng.randrange(3800, 4600)
        H = int(W * rng.uniform(0.68, 0.8))
    else:
        W = rng.randrange(2400, 3400)
        H = int(W * rng.uniform(1.25, 1.45))
    img = paper(rng, W, H)
    lines = []
    halves = [(0, W // 2), (W // 2, W)] if spread else [(0, W)]
    for a, b in halves:
        mx = (b - a) * rng.uniform(0.04, 0.1)
        top = H * rng.uniform(0.04, 0.12)
        if rng.random() < 0.5:  # a title or page number above the table
            write(img, rng, rng.choice(words) + " " + str(rng.randrange(1, 400)), rng.choice(font_list), int(rng.uniform(50, 90)), 1,
                  ink_colour(rng), a + mx, b - mx, top * 0.2, top * 0.95, 1, lines)
        table(img, rng, words, font_list, int(a + mx), int(top), int(b - mx), int(H * rng.uniform(0.8, 0.95)), lines, short, short_words)
    if spread:  # the gutter's shadow
        g = np.exp(-((np.arange(W) - W / 2) / (W * 0.015)) ** 2)[None, :, None] * rng.uniform(40, 90)
        img = img - g
    out = Image.fromarray(img.clip(0, 255).astype(np.uint8))
    if rng.random() < 0.5:
        out = out.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.0)))
    return out, lines


def page_xml(name, w, h, lines):
    def pts(b):
        x0, y0, x1, y1 = b
        return f"{x0},{y0} {x1},{y0} {x1},{y1} {x0},{y1}"

    body = []
    for i, (b, text) in enumerate(lines):
        x0, y0, x1, y1 = b
        base = int(y1 - (y1 - y0) * 0.2)
        body.append(f'      <TextLine id="l{i + 1}"><Coords points="{pts(b)}"/><Baseline points="{x0},{base} {x1},{base}"/>'
                    f'<TextEquiv><Unicode>{html.escape(text)}</Unicode></TextEquiv></TextLine>')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">\n'
            '  <Metadata><Creator>HTR Studio synth_tables.py</Creator><Created>2026-12-02T00:00:00</Created>'
            '<LastChange>2026-12-02T00:00:00</LastChange></Metadata>\n'
            f'  <Page imageFilename="{name}.jpg" imageWidth="{w}" imageHeight="{h}">\n'
            f'    <TextRegion id="r1"><Coords points="0,0 {w - 1},0 {w - 1},{h - 1} 0,{h - 1}"/>\n'
            + "\n".join(body) + "\n    </TextRegion>\n  </Page>\n</PcGts>\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="work/synth-pages")
    ap.add_argument("--pages", type=int, default=120)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--pages-tsv", default="work/data/pages.tsv", help="prepare.py's export: words come from its training pages only")
    ap.add_argument("--short", type=float, default=0.1, help="share of cells with one short entry (ditto mark, figure); ≤ 0.8")
    ap.add_argument("--short-words", action="store_true", help="short entries may also be a word of ≤ 6 letters")
    args = ap.parse_args()
    if not 0 <= args.short <= 0.8:
        raise SystemExit("--short must be between 0 and 0.8")
    rng = random.Random(args.seed)
    words = words_from_corpus(args.pages_tsv)
    if len(words) < 50:
        raise SystemExit(f"only {len(words)} words in the training pages of {args.pages_tsv} (run prepare.py first)")
    font_list = fonts()
    os.makedirs(args.out, exist_ok=True)
    for k in range(args.pages):
        name = f"synth_register_{args.seed}_{k:04d}"
        im, lines = page(rng, words, font_list, args.short, args.short_words)
        im.save(os.path.join(args.out, name + ".jpg"), quality=88)
        with open(os.path.join(args.out, name + ".xml"), "w", encoding="utf-8") as f:
            f.write(page_xml(name, im.width, im.height, lines))
        print(f"{name}: {im.width}x{im.height}, {len(lines)} lines", flush=True)


if __name__ == "__main__":
    main()

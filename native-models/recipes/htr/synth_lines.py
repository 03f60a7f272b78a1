"""Render synthetic handwriting lines for pretraining, in prepare_lines.py's format.

  /usr/bin/python3 synth_lines.py --n 20000 --out work/synth          # NAME.png (height 48) + NAME.gt.txt
  /usr/bin/python3 synth_lines.py --n 20000 --pack /tmp/synth.lines   # one uncompressed line pack instead

Text: the training split's own transcriptions (--texts: a line folder or a
.lines pack; normalised), either a whole line or a window of consecutive words
of one dataset's text of about a real line's length, so the characters are the
training charset's. Fonts: Debian's handwriting fonts (fonts-ecolier-court,
fonts-dkg-handwriting, fonts-joscelyn, fonts-dancingscript), or the copies
pack_lines.py puts in work/pack/fonts (--fonts). A text with a character that
a font cannot draw (no glyph: medieval abbreviations, most combining marks,
MUFI) is not rendered with that font: another text is drawn (counted in the
summary). Each line: random size, slant, width, slope, baseline wobble, word
spacing, stroke width, ink tone and pressure, paper tone and texture, grain,
blur, bits of the neighbouring lines' ascenders/descenders, margins; then the
same contrast stretch and resize to --height as prepare_lines.py.
Group (the name's part before '__'): "synth", so CERs by group keep it apart.
"""
import argparse
import functools
import glob
import json
import math
import multiprocessing
import os
import random
import sys
import time
import unicodedata
from collections import defaultdict

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from data import line_texts, write_pack
from lineimg import stretch, to_height
from pack_lines import DEFAULT_FONTS

RENDER_SIZE = (30, 50)  # font size in px at the render scale (≈ 1.5-2x the final 48-px line)
MISSING = "\U0010fffd"  # a code point no font has: its rendering is the font's .notdef


def default_fonts():
    packed = sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "work/pack/fonts/*")))
    system = sorted({f for g in DEFAULT_FONTS for f in glob.glob(g)})
    return system or packed


@functools.lru_cache(maxsize=None)
def font(path, size):
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


@functools.lru_cache(maxsize=None)
def drawable(path):
    """A predicate: can this font draw this character (not .notdef, not blank)?"""
    f = font(path, 40)

    def pixels(ch):
        im = Image.new("L", (160, 120), 0)
        ImageDraw.Draw(im).text((40, 20), ch, font=f, fill=255)
        return im.tobytes()
    notdef = pixels(MISSING)
    blank = bytes(160 * 120)
    cache = {" ": True}

    def ok(ch):
        if ch not in cache:
            p = pixels(ch)
            cache[ch] = p != notdef and p != blank
        return cache[ch]
    return ok


class TextSource:
    """Whole training lines or windows of consecutive words of one group's text."""

    def __init__(self, texts, groups):
        self.lines = [t for t in texts if t.strip()]
        words = defaultdict(list)
        for t, g in zip(texts, groups):
            words[g].extend(t.split())
        self.words = [w for w in words.values() if len(w) >= 2]
        self.lengths = [len(t) for t in self.lines]

    def sample(self, rng):
        if rng.random() < 0.5 or not self.words:
            return rng.choice(self.lines)
        target = max(3, int(rng.choice(self.lengths) * rng.uniform(0.7, 1.3)))
        words = rng.choice(self.words)
        k = rng.randrange(len(words))
        out = []
        while k < len(words) and len(" ".join(out)) < target:
            out.append(words[k])
            k += 1
        return " ".join(out)


# ------------------------------------------------------------- rendering
def smooth_noise(rng_np, shape, scale):
    """Low-frequency noise in [-1, 1] of `shape`, features about `scale` px."""
    h, w = shape
    small = rng_np.uniform(-1, 1, (max(2, int(h / scale) + 2), max(2, int(w / scale) + 2))).astype(np.float32)
    big = Image.fromarray(((small + 1) * 127.5).astype(np.uint8)).resize((w, h), Image.BICUBIC)
    return np.asarray(big, np.float32) / 127.5 - 1


def draw_words(text, f, rng, wobble):
    """Ink mask (float 0..1, 1 = ink) of `text` drawn word by word with jittered
    spacing and per-word baseline offsets; returns the mask and the baseline row."""
    words = text.split(" ")
    space = f.getlength(" ") or f.size * 0.3
    asc, desc = f.getmetrics()
    pad = int(f.size * 0.9)  # room for glyphs beyond the metrics, wobble and slope
    widths = [f.getlength(w) for w in words]
    total = int(sum(widths) + space * 1.6 * len(words) + 2 * pad)
    h = asc + desc + 2 * pad
    img = Image.new("L", (max(total, 8), h), 0)
    d = ImageDraw.Draw(img)
    stroke = 1 if rng.random() < 0.25 else 0
    x = pad
    for w, ww in zip(words, widths):
        dy = rng.gauss(0, wobble)
        d.text((x, pad + dy), w, font=f, fill=255, stroke_width=stroke, stroke_fill=255)
        x += ww + space * rng.uniform(0.6, 1.6)
    return np.asarray(img, np.float32) / 255.0, pad + asc


def geometry(ink, size, rng, rng_np):
    """Baseline wobble, stroke width, slant, width and slope of an ink mask."""
    h, w = ink.shape
    amp = rng.uniform(0, size * 0.08)  # each column shifted by a smooth curve
    if amp > 0.5:
        xs = np.arange(w, dtype=np.float32)
        curve = amp * np.sin(2 * math.pi * xs / rng.uniform(w * 0.4, w * 3 + 1) + rng.uniform(0, 6.3))
        curve += smooth_noise(rng_np, (1, w), size * 2)[0] * amp * 0.5
        rows = np.clip(np.arange(h)[:, None] - curve[None, :].round().astype(int), 0, h - 1)
        ink = ink[rows, np.arange(w)[None, :]]
    im = Image.fromarray((ink * 255).astype(np.uint8))
    u = rng.random()
    if u < 0.25:
        im = im.filter(ImageFilter.MaxFilter(3))   # thicker (ink is bright in the mask)
    elif u < 0.4:
        im = im.filter(ImageFilter.MinFilter(3))   # thinner
    # PIL maps output (x, y) to input (a x + b y + c, d x + e y + f); the centre stays the centre
    s, sx, r = rng.uniform(-0.35, 0.45), rng.uniform(0.8, 1.25), rng.uniform(-0.015, 0.015)
    w2 = int(w * sx + abs(s) * h)
    cx, cx2 = w / 2, w2 / 2
    im = im.transform((w2, h), Image.AFFINE, (1 / sx, s, cx - cx2 / sx - s * h / 2, r, 1, -r * cx2),
                      Image.BILINEAR, fillcolor=0)
    return np.asarray(im, np.float32) / 255.0


def render(text, font_path, rng, height=48):
    """One synthetic line: uint8 [height, W], stretched like prepare_lines.py's."""
    rng_np = np.random.default_rng(rng.randrange(1 << 31))
    size = rng.randint(*RENDER_SIZE)
    f = font(font_path, size)
    main = geometry(draw_words(text, f, rng, wobble=size * rng.uniform(0, 0.05))[0], size, rng, rng_np)
    h, w = main.shape
    rows = np.where(main.max(1) > 0.3)[0]
    cols = np.where(main.max(0) > 0.3)[0]
    if len(rows) == 0 or len(cols) == 0:
        return None
    # the line's box: its ink (ascenders to descenders) plus margins, as a line polygon would be
    top = max(0, rows.min() - int(size * rng.uniform(0.05, 0.4)))
    bottom = min(h, rows.max() + int(size * rng.uniform(0.05, 0.4)) + 1)
    left = max(0, cols.min() - rng.randint(0, size // 2))
    right = min(w, cols.max() + rng.randint(0, size // 2) + 1)
    ink = main.copy()
    # the neighbouring lines' descenders (above) and ascenders (below) reach into the box
    for side in ("above", "below"):
        if rng.random() < 0.3:
            other = draw_words(text[::-1] if rng.random() < 0.5 else text, f, rng, wobble=size * 0.05)[0]
            other = other[:, :w] if other.shape[1] >= w else np.pad(other, ((0, 0), (0, w - other.shape[1])))
            other = np.roll(other, rng.randint(-w // 4, w // 4), axis=1)
            orows = np.where(other.max(1) > 0.3)[0]
            if len(orows) == 0:
                continue
            reach = int(size * rng.uniform(0.05, 0.35))
            dy = (top + reach - orows.max()) if side == "above" else (bottom - reach - orows.min())
            src0, dst0 = max(0, -dy), max(0, dy)
            n = min(other.shape[0] - src0, h - dst0)
            if n > 0:
                ink[dst0:dst0 + n] = np.maximum(ink[dst0:dst0 + n], other[src0:src0 + n])
    # ink tone and pen pressure; paper tone, texture, stains
    paper_grey = rng.uniform(175, 250)
    ink_grey = max(0.0, paper_grey - rng.uniform(90, 240))
    pressure = 1 - rng.uniform(0, 0.4) * (smooth_noise(rng_np, (h, w), size * rng.uniform(0.5, 3)) * 0.5 + 0.5)
    paper = paper_grey + rng.uniform(0, 20) * smooth_noise(rng_np, (h, w), size * rng.uniform(1, 6))
    if rng.random() < 0.3:  # a stain or a shadow gradient
        paper -= rng.uniform(10, 45) * np.clip(smooth_noise(rng_np, (h, w), size * 8), 0, 1)
    alpha = np.clip(ink * pressure, 0, 1)
    grey = paper * (1 - alpha) + ink_grey * alpha
    img = Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8)).crop((left, top, right, bottom))
    if rng.random() < 0.5:
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.4)))
    # at the line's final height: grain, then the contrast stretch (as if scanned)
    small = np.asarray(to_height(img, height), np.float32)
    small = small + rng_np.standard_normal(small.shape, dtype=np.float32) * rng.uniform(0.5, 4)
    small = np.clip(small, 0, 255).astype(np.uint8)
    return stretch(small, np.ones(small.shape, bool))


# ------------------------------------------------------------- driver
_STATE = {}


def _init(texts, groups, fonts, height, seed):
    _STATE.update(source=TextSource(texts, groups), fonts=fonts, height=height, seed=seed)


def _one(k):
    """Line k (deterministic in seed and k): (name, text, image, skipped texts)."""
    st = _STATE
    rng = random.Random(st["seed"] * 1_000_003 + k)
    skipped = 0
    for _ in range(200):
        path = rng.choice(st["fonts"])
        ok = drawable(path)
        text = st["source"].sample(rng)
        if not all(ok(ch) for ch in text) or not text.strip():
            skipped += 1
            continue
        im = render(text, path, rng, st["height"])
        if im is None or im.shape[1] // 4 < len(text) + 2:  # too narrow for CTC, as prepare_lines.py skips
            skipped += 1
            continue
        stem = os.path.splitext(os.path.basename(path))[0].replace("_", "-")
        return f"synth__{stem}__{k:06d}", text, im, skipped
    return None, None, None, skipped


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--texts", default="work/lines/train", help="line folder or .lines pack whose texts are drawn")
    ap.add_argument("--fonts", nargs="*", help="font files/globs (default: Debian's handwriting fonts, "
                                               "else work/pack/fonts)")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--out", default="work/synth", help="folder for NAME.png + NAME.gt.txt")
    ap.add_argument("--pack", help="write one uncompressed .lines pack here instead of a folder")
    ap.add_argument("--height", type=int, default=48)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()

    fonts = sorted({f for g in args.fonts for f in glob.glob(g)}) if args.fonts else default_fonts()
    if not fonts:
        sys.exit("no fonts: install fonts-ecolier-court fonts-dkg-handwriting fonts-joscelyn fonts-dancingscript, "
                 "or run pack_lines.py (work/pack/fonts), or pass --fonts")
    t0 = time.time()
    texts, groups = line_texts(args.texts)  # normalised, as training targets
    init = (texts, groups, fonts, args.height, args.seed)
    if args.workers > 1:
        with multiprocessing.Pool(args.workers, _init, init) as pool:
            results = pool.map(_one, range(args.n), chunksize=64)
    else:
        _init(*init)
        results = [_one(k) for k in range(args.n)]
    kept = [r for r in results if r[0]]
    skipped = sum(r[3] for r in results)
    if args.pack:
        os.makedirs(os.path.dirname(os.path.abspath(args.pack)), exist_ok=True)
        write_pack(args.pack, [r[0] for r in kept], [r[1] for r in kept], ["synth"] * len(kept),
                   [r[2] for r in kept], compress=False, meta=dict(synthetic=True, fonts=[os.path.basename(f) for f in fonts]))
    else:
        os.makedirs(args.out, exist_ok=True)
        for name, text, im, _ in kept:
            Image.fromarray(im).save(os.path.join(args.out, name + ".png"), compress_level=1)
            with open(os.path.join(args.out, name + ".gt.txt"), "w", encoding="utf-8") as f:
                f.write(text)
    by_font = defaultdict(int)
    for r in kept:
        by_font[r[0].split("__")[1]] += 1
    print(json.dumps(dict(lines=len(kept), texts_skipped_for_glyphs=skipped, seconds=round(time.time() - t0, 1),
                          fonts=dict(sorted(by_font.items())), out=args.pack or args.out,
                          combining_marks=sum(1 for r in kept for ch in r[1] if unicodedata.combining(ch)))),
          file=sys.stderr)


if __name__ == "__main__":
    main()

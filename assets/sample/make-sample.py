#!/usr/bin/python3
"""Renders HTR Studio's sample project: handwritten-looking pages with their ground truth.

  /usr/bin/python3 assets/sample/make-sample.py            # writes assets/sample/*.jpg + page/*.xml
  /usr/bin/python3 assets/sample/make-sample.py --out DIR  # somewhere else

Three pages of public-domain 19th-century prose (written out below, see
README.md), each a heading and a paragraph drawn with a handwriting font that
Debian ships (fonts-dancingscript: Dancing Script Regular and Bold; used, never copied):
cream paper with fibres and foxing, brownish ink of uneven pressure, every line
slightly tilted and wavy, a ragged right margin. Beside each image, its PAGE-XML
2019 ground truth: a heading and a paragraph region, every line with its
polygon, baseline and text, a reading order. Deterministic: the same fonts and
Pillow give the same files (fixed seeds, fixed dates).
Needs Python 3 with Pillow and NumPy (Debian: python3-pil, python3-numpy).
"""
import argparse
import math
import os
import random
from xml.sax.saxutils import escape, quoteattr

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
DANCING = "/usr/share/fonts/opentype/dancingscript/DancingScript-Regular.otf"
DANCING_BOLD = "/usr/share/fonts/opentype/dancingscript/DancingScript-Bold.otf"
WIDTH, HEIGHT = 1500, 2000
CREATED = "2025-01-01T00:00:00"

PAGES = [
    {
        "name": "hugo-les-miserables",
        "seed": 1862,
        "font": DANCING, "size": 56, "stroke": 0, "spacing": 108, "measure": 1200,
        "ink": (52, 38, 30),
        "heading": "I. Monsieur Myriel",
        # Victor Hugo, Les Misérables (1862), tome I, livre premier, chapitre I.
        "text": (
            "En 1815, M. Charles-François-Bienvenu Myriel était évêque de Digne. "
            "C'était un vieillard d'environ soixante-quinze ans ; il occupait le siège "
            "de Digne depuis 1806. Quoique ce détail ne touche en aucune manière au fond "
            "même de ce que nous avons à raconter, il n'est peut-être pas inutile, ne "
            "fût-ce que pour être exact en tout, d'indiquer ici les bruits et les propos "
            "qui avaient couru sur son compte au moment où il était arrivé dans le diocèse. "
            "Vrai ou faux, ce qu'on dit des hommes tient souvent autant de place dans leur "
            "vie et surtout dans leur destinée que ce qu'ils font."
        ),
    },
    {
        "name": "dickens-two-cities",
        "seed": 1859,
        "font": DANCING_BOLD, "size": 54, "stroke": 0, "spacing": 106, "measure": 1200,
        "ink": (34, 36, 62),
        "heading": "Chapter I. The Period",
        # Charles Dickens, A Tale of Two Cities (1859), book the first, chapter I.
        "text": (
            "It was the best of times, it was the worst of times, it was the age of "
            "wisdom, it was the age of foolishness, it was the epoch of belief, it was "
            "the epoch of incredulity, it was the season of Light, it was the season of "
            "Darkness, it was the spring of hope, it was the winter of despair, we had "
            "everything before us, we had nothing before us, we were all going direct "
            "to Heaven, we were all going direct the other way; in short, the period was "
            "so far like the present period, that some of its noisiest authorities "
            "insisted on its being received, for good or for evil, in the superlative "
            "degree of comparison only."
        ),
    },
    {
        "name": "verne-tour-du-monde",
        "seed": 1872,
        "font": DANCING, "size": 52, "stroke": 0, "spacing": 104, "measure": 1200,
        "ink": (30, 30, 34),
        "heading": "Chapitre premier",
        # Jules Verne, Le Tour du monde en quatre-vingts jours (1872), chapitre I.
        "text": (
            "En l'année 1872, la maison portant le numéro 7 de Saville-row, Burlington "
            "Gardens, maison dans laquelle Sheridan mourut en 1814, était habitée par "
            "Phileas Fogg, esq., l'un des membres les plus singuliers et les plus remarqués "
            "du Reform-Club de Londres, bien qu'il semblât prendre à tâche de ne rien faire "
            "qui pût attirer l'attention. À l'un des plus grands orateurs qui honorent "
            "l'Angleterre, succédait donc ce Phileas Fogg, personnage énigmatique, dont on "
            "ne savait rien, sinon que c'était un fort galant homme et l'un des plus beaux "
            "gentlemen de la haute société anglaise."
        ),
    },
]


def smooth_noise(rng_np, shape, scale):
    """Low-frequency noise in [-1, 1] of `shape`, features about `scale` px."""
    h, w = shape
    small = rng_np.uniform(-1, 1, (max(2, int(h / scale) + 2), max(2, int(w / scale) + 2))).astype(np.float32)
    big = Image.fromarray(((small + 1) * 127.5).astype(np.uint8)).resize((w, h), Image.BICUBIC)
    return np.asarray(big, np.float32) / 127.5 - 1


def wrap(text, f, rng, measure):
    """Greedy lines of about `measure` px, each a little shorter or longer (a hand's ragged margin)."""
    lines, cur = [], []
    limit = measure * rng.uniform(0.9, 1.0)
    for word in text.split():
        if cur and f.getlength(" ".join(cur + [word])) * 1.08 > limit:
            lines.append(" ".join(cur))
            cur = []
            limit = measure * rng.uniform(0.88, 1.0)
        cur.append(word)
    if cur:
        lines.append(" ".join(cur))
    return lines


def draw_line(text, f, stroke, rng):
    """The line's ink mask (float 0..1), straight, word by word with jittered spacing and
    small per-word baseline shifts; returns mask, x of the first glyph, baseline row."""
    words = text.split(" ")
    space = f.getlength(" ") or f.size * 0.3
    asc, desc = f.getmetrics()
    pad = int(f.size * 0.8)
    widths = [f.getlength(w) for w in words]
    img = Image.new("L", (int(sum(widths) + space * 1.4 * len(words) + 2 * pad), asc + desc + 2 * pad), 0)
    d = ImageDraw.Draw(img)
    x = pad
    for w, ww in zip(words, widths):
        d.text((x, pad + rng.gauss(0, f.size * 0.015)), w, font=f, fill=255, stroke_width=stroke, stroke_fill=255)
        x += ww + space * rng.uniform(0.85, 1.35)
    return np.asarray(img, np.float32) / 255.0, pad, pad + asc


def render_page(spec):
    rng = random.Random(spec["seed"])
    rng_np = np.random.default_rng(spec["seed"])
    f = ImageFont.truetype(spec["font"], spec["size"], layout_engine=ImageFont.Layout.BASIC)
    fh = ImageFont.truetype(spec["font"], int(spec["size"] * 1.3), layout_engine=ImageFont.Layout.BASIC)
    alpha = np.zeros((HEIGHT, WIDTH), np.float32)
    page_tilt = rng.uniform(-0.6, 0.6)  # degrees: the whole sheet a little askew
    regions = []

    def place(text, font, x0, y0, centred=False):
        ink, left, base = draw_line(text, font, spec["stroke"], rng)
        h, w = ink.shape
        cols = np.where(ink.max(0) > 0.3)[0]
        rows = np.where(ink.max(1) > 0.3)[0]
        x_first, x_last = int(cols.min()), int(cols.max())
        top_off, bottom_off = base - int(rows.min()), int(rows.max()) - base
        if centred:
            x0 = (WIDTH - (x_last - x_first)) / 2 + rng.uniform(-20, 20)
        # wavy baseline: each column shifted by a smooth curve
        amp = font.size * rng.uniform(0.03, 0.07)
        period = rng.uniform(w * 0.7, w * 1.8)
        phase = rng.uniform(0, 2 * math.pi)

        def curve(x):
            return amp * math.sin(2 * math.pi * x / period + phase)
        shift = np.array([round(curve(x)) for x in range(w)], np.int64)
        src_rows = np.clip(np.arange(h)[:, None] - shift[None, :], 0, h - 1)
        ink = ink[src_rows, np.arange(w)[None, :]]
        # pen pressure
        ink = ink * (1 - 0.3 * (smooth_noise(rng_np, (h, w), font.size * 1.5) * 0.5 + 0.5))
        # tilt about the first glyph's baseline point, placed at (x0, y0) on the page
        theta = math.radians(page_tilt + rng.uniform(-0.9, 0.9))
        c, s = math.cos(theta), math.sin(theta)
        ax, ay = x_first, base

        def to_page(x, y):
            return (x0 + c * (x - ax) - s * (y - ay), y0 + s * (x - ax) + c * (y - ay))
        m = Image.fromarray((np.clip(ink, 0, 1) * 255).astype(np.uint8))
        # PIL maps each output pixel (X, Y) to input (a X + b Y + c0, d X + e Y + f0): the inverse of to_page
        coeffs = (c, s, ax - c * x0 - s * y0, -s, c, ay + s * x0 - c * y0)
        placed = np.asarray(m.transform((WIDTH, HEIGHT), Image.AFFINE, coeffs, Image.BILINEAR, fillcolor=0), np.float32) / 255.0
        np.maximum(alpha, placed, out=alpha)
        # geometry, in the line's own coordinates then onto the page
        n = max(2, (x_last - x_first) // 60 + 1)
        xs = [x_first + (x_last - x_first) * i / (n - 1) for i in range(n)]
        baseline = [to_page(x, base + curve(x)) for x in xs]
        upper = [to_page(x, base + curve(x) - top_off - 6) for x in [xs[0] - 6] + xs[1:-1] + [xs[-1] + 6]]
        lower = [to_page(x, base + curve(x) + bottom_off + 6) for x in [xs[-1] + 6] + xs[-2:0:-1] + [xs[0] - 6]]
        return {"text": text, "baseline": clip(baseline), "coords": clip(upper + lower)}

    # heading, centred
    y = 230 + rng.uniform(-15, 15)
    regions.append({"type": "heading", "lines": [place(spec["heading"], fh, 0, y, centred=True)]})
    # the paragraph: first line indented, the others at a slightly wandering margin
    y += spec["spacing"] * 1.9
    body = []
    margin = 170 + rng.uniform(-10, 10)
    for i, text in enumerate(wrap(spec["text"], f, rng, spec["measure"])):
        x = margin + (70 if i == 0 else 0) + rng.uniform(-8, 8) + i * rng.uniform(0, 2.5)
        body.append(place(text, f, x, y + rng.uniform(-4, 4)))
        y += spec["spacing"] * rng.uniform(0.97, 1.03)
    regions.append({"type": "paragraph", "lines": body})
    assert y < HEIGHT - 120, f"{spec['name']}: text runs off the page"
    for r in regions:
        pts = [p for line in r["lines"] for p in line["coords"]]
        x1, y1 = min(p[0] for p in pts) - 12, min(p[1] for p in pts) - 12
        x2, y2 = max(p[0] for p in pts) + 12, max(p[1] for p in pts) + 12
        r["coords"] = clip([(x1, y1), (x2, y1), (x2, y2), (x1, y2)])
    return paper(alpha, spec["ink"], rng, rng_np), regions


def clip(points):
    return [(min(WIDTH - 1, max(0, round(x))), min(HEIGHT - 1, max(0, round(y)))) for x, y in points]


def paper(alpha, ink_rgb, rng, rng_np):
    """Cream paper with tone, fibres, foxing and a darker rim; the ink laid on it."""
    h, w = alpha.shape
    base = np.array([236, 226, 203], np.float32)
    tone = 7 * smooth_noise(rng_np, (h, w), 220) + 3 * smooth_noise(rng_np, (h, w), 25)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    rim = ((xx / w - 0.5) ** 2 + (yy / h - 0.5) ** 2) * 38
    shade = tone - rim
    for _ in range(rng.randint(5, 9)):  # foxing: small brownish spots
        cx, cy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(6, 28)
        shade -= 14 * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r))
    grain = rng_np.normal(0, 2.5, (h, w)).astype(np.float32)
    page = base[None, None, :] + (shade + grain)[:, :, None] * np.array([1.0, 1.05, 1.3], np.float32)
    a = np.clip(alpha * 0.95, 0, 1)[:, :, None]
    out = page * (1 - a) + np.array(ink_rgb, np.float32)[None, None, :] * a
    img = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), "RGB")
    return img.filter(ImageFilter.GaussianBlur(0.6))


def points(pts):
    return " ".join(f"{x},{y}" for x, y in pts)


def page_xml(name, image, regions):
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15 '
        'http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15/pagecontent.xsd">',
        "  <Metadata>",
        "    <Creator>HTR Studio sample (assets/sample/make-sample.py)</Creator>",
        f"    <Created>{CREATED}</Created>",
        f"    <LastChange>{CREATED}</LastChange>",
        "  </Metadata>",
        f"  <Page imageFilename={quoteattr(image)} imageWidth=\"{WIDTH}\" imageHeight=\"{HEIGHT}\">",
        "    <ReadingOrder>",
        '      <OrderedGroup id="ro1">',
    ]
    for i in range(len(regions)):
        out.append(f'        <RegionRefIndexed index="{i}" regionRef="r{i + 1}"/>')
    out += ["      </OrderedGroup>", "    </ReadingOrder>"]
    for i, r in enumerate(regions, 1):
        out.append(f'    <TextRegion id="r{i}" type="{r["type"]}">')
        out.append(f'      <Coords points="{points(r["coords"])}"/>')
        for j, line in enumerate(r["lines"], 1):
            out += [
                f'      <TextLine id="r{i}l{j}">',
                f'        <Coords points="{points(line["coords"])}"/>',
                f'        <Baseline points="{points(line["baseline"])}"/>',
                f'        <TextEquiv><Unicode>{escape(line["text"])}</Unicode></TextEquiv>',
                "      </TextLine>",
            ]
        text = "\n".join(line["text"] for line in r["lines"])
        out += [f"      <TextEquiv><Unicode>{escape(text)}</Unicode></TextEquiv>", "    </TextRegion>"]
    out += ["  </Page>", "</PcGts>", ""]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=HERE, help="folder for NAME.jpg and page/NAME.xml (default: beside this script)")
    ap.add_argument("--quality", type=int, default=72, help="JPEG quality")
    args = ap.parse_args()
    os.makedirs(os.path.join(args.out, "page"), exist_ok=True)
    for spec in PAGES:
        img, regions = render_page(spec)
        image = spec["name"] + ".jpg"
        img.save(os.path.join(args.out, image), quality=args.quality, optimize=True, progressive=True)
        with open(os.path.join(args.out, "page", spec["name"] + ".xml"), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(page_xml(spec["name"], image, regions))
        n = sum(len(r["lines"]) for r in regions)
        print(f"{image}: {n} lines, {os.path.getsize(os.path.join(args.out, image)) // 1024} KB")


if __name__ == "__main__":
    main()

"""Pack line folders into a few compact files for a machine that gets only the
working tree (the `device` tool's GPU machine: ≤ 64 MiB with the carried paths).

  /usr/bin/python3 pack_lines.py                 # -> work/pack/{train,val,regression}.lines, fonts/, pack.json
  /usr/bin/python3 pack_lines.py --levels 256 --eval-levels 256   # lossless (≈ 4× bigger)
  /usr/bin/python3 pack_lines.py --unpack work/pack/val.lines --to /tmp/val   # back to NAME.png + NAME.gt.txt

Each split becomes one `.lines` file (format: data.py, write_pack): the lines
exactly as LineSet holds them (grey, stretched, at the model's height; the
regression folder, cut but unstretched, is stretched here as train.py does on
load), quantised (training lines: --levels 8 grey levels, grey ≥ --white 224 is
paper → 255; val and regression: --eval-levels 16, nearly lossless) and
xz-compressed as one stream (README: sizes and what quantising costs in CER). train.py, evaluate.py and export_onnx.py --check
read a `.lines` file wherever they take a line folder.

The handwriting fonts that synth_lines.py uses are copied into <out>/fonts/ so
that synthetic lines can be rendered where Debian's font packages are missing.
Everything here is third-party data: <out> must stay in the ignored work/.
"""
import argparse
import glob
import json
import os
import shutil
import sys
import time

import numpy as np
from PIL import Image

from data import PACK_EXT, find_lines, read_pack, write_pack
from lineimg import load_line
from paths import shared

DEFAULT_FONTS = [  # Debian: fonts-ecolier-court, fonts-dkg-handwriting, fonts-joscelyn, fonts-dancingscript
    "/usr/share/fonts/truetype/ecolier-court/*.ttf",
    "/usr/share/fonts/truetype/fifthhorseman/dkg*.ttf",
    "/usr/share/fonts/opentype/joscelyn/*.otf",
    "/usr/share/fonts/opentype/dancingscript/*.otf",
]


def collect(folder, height, stretch, limit=0):
    """-> names (relative, without extension), raw texts, groups, images."""
    items = [it for it in find_lines(folder) if it[1]]  # LineSet skips empty lines too
    if limit:
        items = items[:limit]
    names, texts, groups, images = [], [], [], []
    for path, _, group in items:
        stem = os.path.splitext(path)[0]
        with open(stem + ".gt.txt", encoding="utf-8") as f:
            texts.append(f.read())
        names.append(os.path.relpath(stem, folder))
        groups.append(group)
        images.append(load_line(path, height, stretch))
    return names, texts, groups, images


def unpack(pack, to):
    names, texts, _, images = read_pack(pack)
    for name, text, im in zip(names, texts, images):
        path = os.path.join(to, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        Image.fromarray(im).save(path + ".png", compress_level=1)
        with open(path + ".gt.txt", "w", encoding="utf-8") as f:
            f.write(text)
    return len(names)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", default="work/lines/train")
    ap.add_argument("--val", default="work/lines/val")
    ap.add_argument("--regression", default=shared("corpus", "htr-lines"),
                    help="cut, unstretched lines (stretched here); '' to leave out")
    ap.add_argument("--out", default="work/pack")
    ap.add_argument("--height", type=int, default=48)
    ap.add_argument("--levels", type=int, default=8, help="grey levels kept in the training lines (256 = lossless)")
    ap.add_argument("--white", type=int, default=224, help="training lines: grey >= this is paper (255)")
    ap.add_argument("--eval-levels", type=int, default=16, help="grey levels of val and regression")
    ap.add_argument("--eval-white", type=int, default=255, help="val and regression: grey >= this is paper")
    ap.add_argument("--fonts", nargs="*", default=DEFAULT_FONTS, help="font files/globs copied to <out>/fonts")
    ap.add_argument("--limit", type=int, default=0, help="first N lines of each set (tests)")
    ap.add_argument("--unpack", help="a .lines file: write its lines back as NAME.png + NAME.gt.txt into --to")
    ap.add_argument("--to")
    args = ap.parse_args()

    if args.unpack:
        t0 = time.time()
        n = unpack(args.unpack, args.to or os.path.splitext(args.unpack)[0])
        print(f"unpacked {n} lines into {args.to} in {time.time() - t0:.1f}s", file=sys.stderr)
        return

    os.makedirs(args.out, exist_ok=True)
    summary = dict(created=time.strftime("%Y-%m-%dT%H:%M:%S"), height=args.height, sets={}, fonts=[])
    for split, folder, stretch in (("train", args.train, False), ("val", args.val, False),
                                   ("regression", args.regression, True)):
        if not folder:
            continue
        t0 = time.time()
        names, texts, groups, images = collect(folder, args.height, stretch, args.limit)
        path = os.path.join(args.out, split + PACK_EXT)
        levels, white = (args.levels, args.white) if split == "train" else (args.eval_levels, args.eval_white)
        write_pack(path, names, texts, groups, images, levels, white if levels < 256 else 255,
                   meta=dict(source=os.path.abspath(folder), stretched_here=stretch))
        size = os.path.getsize(path)
        pixels = sum(im.size for im in images)
        summary["sets"][split] = dict(file=split + PACK_EXT, lines=len(names), bytes=size, pixels=pixels,
                                      levels=levels, white=white,
                                      source=os.path.abspath(folder))
        print(f"{split}: {len(names)} lines, {pixels / 1e6:.1f} Mpx -> {path} {size / 1e6:.2f} MB "
              f"({8 * size / max(pixels, 1):.2f} bit/px) in {time.time() - t0:.0f}s", file=sys.stderr)
    font_dir = os.path.join(args.out, "fonts")
    fonts = sorted({f for g in args.fonts for f in glob.glob(g)})
    if fonts:
        os.makedirs(font_dir, exist_ok=True)
        for f in fonts:
            shutil.copy2(f, font_dir)
            summary["fonts"].append(os.path.basename(f))
    total = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(args.out) for f in fs)
    summary["total_bytes"] = total
    with open(os.path.join(args.out, "pack.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1)
    print(f"{args.out}: {total / 1e6:.2f} MB in all ({len(fonts)} fonts)", file=sys.stderr)


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()

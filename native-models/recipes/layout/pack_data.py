"""Pack an `htr-studio export --format yolo` dataset small enough to carry to a lent GPU
machine (the working tree that travels there is 64 MiB in all, ≈35 MB of it tracked).

  nice -n 19 /usr/bin/python3 pack_data.py [--data work/data/data.yaml]
      [--regression work/regression/data.yaml] [--out work/pack] [--quality 75]
      [--long-side 0] [--grey] [--budget-mb 25]

Writes the same export layout: <out>/data.yaml (no absolute `path`: the yaml's own
folder is the root, wherever the folder lands), images/<split>/*.jpg re-encoded
at --quality (4:2:0), labels/<split>/*.txt copied (YOLO labels are normalised, so
a smaller image needs no change), and the regression export in
<out>/regression/ in the same layout (--no-regression leaves it out). --long-side N
scales images down to N px long side (never up); --grey stores them grey (the
model then sees grey training pages only: the app feeds colour). <out>/pack.json
records the settings and sizes. Fails when the pack is over --budget-mb.
train.py reads it with --data <out>/data.yaml --regression <out>/regression/data.yaml.
"""
import argparse
import io
import json
import os
import shutil
import sys

import yaml
from PIL import Image

from data import IMAGE_EXT, read_data_yaml


def folder_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def encode(src, quality, long_side, grey):
    im = Image.open(src)
    im = im.convert("L" if grey else "RGB")
    if long_side and max(im.size) > long_side:
        s = long_side / max(im.size)
        im = im.resize((max(1, round(im.size[0] * s)), max(1, round(im.size[1] * s))), Image.LANCZOS)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality, subsampling="4:2:0", optimize=True)
    return buf.getvalue(), im.size


def pack(data_yaml, out, quality, long_side, grey):
    """One export → out (data.yaml, images/, labels/). Returns {split: pages}, bytes in, bytes out."""
    root, names, splits = read_data_yaml(data_yaml)
    if os.path.exists(out):
        shutil.rmtree(out)
    counts, size_in = {}, 0
    for split, images_dir in splits.items():
        labels_src = os.path.join(root, "labels", split)
        img_out, lab_out = os.path.join(out, "images", split), os.path.join(out, "labels", split)
        os.makedirs(img_out)
        os.makedirs(lab_out)
        files = sorted(f for f in os.listdir(images_dir) if f.lower().endswith(IMAGE_EXT))
        for f in files:
            stem = os.path.splitext(f)[0]
            src = os.path.join(images_dir, f)
            size_in += os.path.getsize(src)
            blob, _ = encode(src, quality, long_side, grey)
            with open(os.path.join(img_out, stem + ".jpg"), "wb") as fh:
                fh.write(blob)
            lab = os.path.join(labels_src, stem + ".txt")
            if os.path.exists(lab):
                shutil.copyfile(lab, os.path.join(lab_out, stem + ".txt"))
        counts[split] = len(files)
    with open(os.path.join(out, "data.yaml"), "w", encoding="utf-8") as fh:
        fh.write("# packed by native-models/recipes/layout/pack_data.py from " + os.path.abspath(data_yaml) + "\n")
        fh.write("# no `path`: the folder of this file is the dataset root\n")
        yaml.safe_dump({**{k: f"images/{k}" for k in splits}, "nc": len(names), "names": dict(enumerate(names))},
                       fh, sort_keys=False, allow_unicode=True)
    return counts, size_in, folder_bytes(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="work/data/data.yaml")
    ap.add_argument("--regression", default="work/regression/data.yaml", help="packed into <out>/regression ('' to skip)")
    ap.add_argument("--no-regression", action="store_true")
    ap.add_argument("--out", default="work/pack")
    ap.add_argument("--quality", type=int, default=75, help="JPEG quality (the export writes 90)")
    ap.add_argument("--long-side", type=int, default=0, help="scale down to this long side (0: keep the export's)")
    ap.add_argument("--grey", action="store_true", help="store grey images")
    ap.add_argument("--budget-mb", type=float, default=25.0, help="fail above this many MB (1e6 bytes)")
    args = ap.parse_args()
    if os.path.abspath(args.out) in (os.path.dirname(os.path.abspath(p)) for p in (args.data, args.regression) if p):
        sys.exit("--out must not be the source export's folder")
    settings = {"quality": args.quality, "long_side": args.long_side, "grey": args.grey}
    report = {"settings": settings, "source": os.path.abspath(args.data)}
    counts, size_in, size_out = pack(args.data, args.out, args.quality, args.long_side, args.grey)
    report["data"] = {"pages": counts, "bytes_in": size_in, "bytes_out": size_out}
    # pack() clears its folder: pack the regression pages after the main export, into a subfolder.
    if args.regression and not args.no_regression and os.path.exists(args.regression):
        rc, rin, rout = pack(args.regression, os.path.join(args.out, "regression"), args.quality, args.long_side, args.grey)
        report["regression"] = {"pages": rc, "bytes_in": rin, "bytes_out": rout}
    total = folder_bytes(args.out)
    report["total_bytes"] = total
    with open(os.path.join(args.out, "pack.json"), "w", encoding="utf-8") as fh:
        json.dump(report, fh, indent=1)
    print(json.dumps(report, indent=1))
    if total > args.budget_mb * 1e6:
        sys.exit(f"{args.out}: {total / 1e6:.1f} MB, over the {args.budget_mb} MB budget (lower --quality, --long-side, --grey or --no-regression)")


if __name__ == "__main__":
    main()

"""Combines the training splits of several exports into one dataset (hard links or
copies, no re-encoding); validation comes from the first export only, so a model
trained on the mix is still chosen on real pages — or, with --val-from, from the
exports named there too (e.g. the new real pages' validation documents beside the
first export's). The exports' pages.tsv rows of what was taken are written to the
mix's pages.tsv, so evaluate_app.mjs --data MIX measures the mix's validation pages.

usage: /usr/bin/python3 mix_data.py --out work/mix work/data work/synth
       /usr/bin/python3 mix_data.py --out work/mix-more --val-from work/more work/data work/more work/synth-short
"""
import argparse
import os
import shutil

import yaml

from data import read_data_yaml


def link(src, dst):
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="work/mix")
    ap.add_argument("exports", nargs="+", help="export folders (each with data.yaml); the first gives validation")
    ap.add_argument("--val-from", action="append", default=[], metavar="EXPORT",
                    help="also take this export's validation split (repeatable; it must be among the exports)")
    args = ap.parse_args()
    val_from = {os.path.abspath(v) for v in args.val_from}
    unknown = val_from - {os.path.abspath(e) for e in args.exports}
    if unknown:
        raise SystemExit(f"--val-from {sorted(unknown)}: not among the exports")
    header, rows = None, []
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    names = None
    for k, folder in enumerate(args.exports):
        root, n, splits = read_data_yaml(os.path.join(folder, "data.yaml"))
        if names is None:
            names = n
        elif n != names:
            raise SystemExit(f"{folder}: classes {n} differ from {args.exports[0]}'s {names}")
        splits_taken = ("train", "val") if k == 0 or os.path.abspath(folder) in val_from else ("train",)
        tsv = os.path.join(folder, "pages.tsv")
        if os.path.exists(tsv):
            with open(tsv, encoding="utf-8") as f:
                lines = f.read().rstrip("\n").split("\n")
            header = header or lines[0]
            rows += [l for l in lines[1:] if l.split("\t")[1] in splits_taken]
        for split in splits_taken:
            if split not in splits:
                continue
            for sub in ("images", "labels"):
                src = os.path.join(root, sub, split)
                dst = os.path.join(args.out, sub, split)
                os.makedirs(dst, exist_ok=True)
                for f in sorted(os.listdir(src)) if os.path.isdir(src) else []:
                    if os.path.exists(os.path.join(dst, f)):
                        raise SystemExit(f"{f} is in two exports")
                    link(os.path.join(src, f), os.path.join(dst, f))
    with open(os.path.join(args.out, "data.yaml"), "w", encoding="utf-8") as f:
        f.write("# mix_data.py: " + " + ".join(args.exports) + " (validation: " + args.exports[0] + ")\n")
        yaml.safe_dump({"path": os.path.abspath(args.out), "train": "images/train", "val": "images/val",
                        "nc": len(names), "names": dict(enumerate(names))}, f, sort_keys=False, allow_unicode=True)
    if header:
        with open(os.path.join(args.out, "pages.tsv"), "w", encoding="utf-8") as f:
            f.write("\n".join([header, *rows]) + "\n")
    counts = {s: len(os.listdir(os.path.join(args.out, "images", s))) for s in ("train", "val") if os.path.isdir(os.path.join(args.out, "images", s))}
    print(counts)


if __name__ == "__main__":
    main()

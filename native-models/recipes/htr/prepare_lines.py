"""Cut training lines from ALTO 4 / PAGE 2019 pages into NAME.png + NAME.gt.txt.

  /usr/bin/python3 prepare_lines.py [--src /work/shared/corpus-train]
      [--regression /work/shared/corpus/htr-lines/lines.tsv] [--out work]

Writes work/lines/train/, work/lines/val/ (same layout as the app's
`htr-studio export --format lines`), work/lines/index.tsv (one row per line
with its provenance) and work/split.json.
"""
import argparse
import csv
import json
import os
import random
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict

import numpy as np
from PIL import Image, ImageDraw

from lineimg import stretch, to_height
from normalize import normalize

VAL_FRACTION = 0.09
SEED = 20261128


# ---------------------------------------------------------------- XML reading
def _ns(root):
    return root.tag.split("}")[0] + "}" if root.tag.startswith("{") else ""


def _points(s):
    """ALTO 'x y x y', 'x,y x,y' or PAGE 'x,y x,y' -> [(x, y), ...]."""
    nums = [float(v) for v in re.split(r"[\s,]+", s.strip()) if v]
    return list(zip(nums[0::2], nums[1::2]))


def read_alto(path):
    root = ET.parse(path).getroot()
    ns = _ns(root)
    labels = {t.get("ID"): t.get("LABEL", "") for t in root.iter(ns + "OtherTag")}
    for line in root.iter(ns + "TextLine"):
        poly = line.find(f"{ns}Shape/{ns}Polygon")
        text = " ".join(s.get("CONTENT", "") for s in line.iter(ns + "String"))
        kind = ",".join(labels.get(r, r) for r in (line.get("TAGREFS") or "").split())
        yield line.get("ID"), _points(poly.get("POINTS")) if poly is not None else [], text, kind


def read_page(path):
    root = ET.parse(path).getroot()
    ns = _ns(root)
    for line in root.iter(ns + "TextLine"):
        coords = line.find(ns + "Coords")
        # the line's own TextEquiv (a direct child), not its Words'
        uni = line.find(f"{ns}TextEquiv/{ns}Unicode")
        text = uni.text if uni is not None and uni.text else ""
        m = re.search(r"structure\s*\{[^}]*type:([^;}]+)", line.get("custom") or "")
        yield (line.get("id"), _points(coords.get("points")) if coords is not None else [],
               text, m.group(1).strip() if m else "")


def skip_reason(kind):
    """Printed or typewritten lines are not handwriting: leave them out.

    In this corpus that is lectaurep's pre-printed form headers (type
    "printed") and stanford's letterheads ("DefaultLine:Print"). HeadingLine
    is KEPT: in the CREMMA manuscripts it marks handwritten rubrics/titles.
    """
    k = kind.lower()
    if "print" in k or "typewrit" in k:
        return "printed"
    return None


# ---------------------------------------------------------------- cutting
def cut_line(page, pts, height):
    """Crop along the polygon (outside white), stretch, resize."""
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    x0, y0 = max(0, int(min(xs))), max(0, int(min(ys)))
    x1, y1 = min(page.width, int(max(xs)) + 1), min(page.height, int(max(ys)) + 1)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    crop = np.asarray(page.crop((x0, y0, x1, y1)))
    mask = Image.new("1", (x1 - x0, y1 - y0), 0)
    ImageDraw.Draw(mask).polygon([(x - x0, y - y0) for x, y in pts], fill=1)
    inside = np.asarray(mask, dtype=bool)
    if inside.sum() < 16:
        return None
    return to_height(Image.fromarray(stretch(crop, inside)), height)


def safe(s):
    return re.sub(r"[^A-Za-z0-9.-]+", "-", s).strip("-")


# ---------------------------------------------------------------- split
def choose_val(units, fraction, rng):
    """units: {unit: n_lines} of one dataset -> set of validation units.

    Greedy over a seeded shuffle, staying under 1.4 x target; if no unit fits
    (few big documents) take the smallest one when it is <= 20 % of the data.
    """
    total = sum(units.values())
    target = fraction * total
    order = sorted(units)
    rng.shuffle(order)
    val, n = set(), 0
    for u in order:
        if n + units[u] <= 1.4 * target:
            val.add(u)
            n += units[u]
        if n >= target:
            break
    if not val:
        u = min(units, key=units.get)
        if units[u] <= 0.2 * total and len(units) > 1:
            val.add(u)
    return val


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", default="/work/shared/corpus-train")
    ap.add_argument("--regression", default="/work/shared/corpus/htr-lines/lines.tsv",
                    help="lines.tsv of the regression set: its documents are left out")
    ap.add_argument("--out", default="work")
    ap.add_argument("--height", type=int, default=48)
    ap.add_argument("--limit-pages", type=int, default=0, help="smoke test: first N pages")
    args = ap.parse_args()

    with open(os.path.join(args.src, "manifest.tsv"), encoding="utf-8") as f:
        pages = list(csv.DictReader(f, delimiter="\t"))
    with open(args.regression, encoding="utf-8") as f:
        reg_docs = {r["document"] for r in csv.DictReader(f, delimiter="\t")}

    def in_regression(doc):  # e.g. "TestamentsDePoilus_will_AN_0207" <-> "AN_0207"
        return any(d == doc or d.endswith("_" + doc) for d in reg_docs)

    excluded = sorted({p["document"] for p in pages if in_regression(p["document"])})
    pages = [p for p in pages if not in_regression(p["document"])]
    if args.limit_pages:
        pages = pages[: args.limit_pages]

    # Validation units: documents; for datasets that are ONE document (one
    # register) the page is the unit, else they could not be validated at all.
    rng = random.Random(SEED)
    by_ds = defaultdict(Counter)
    for p in pages:
        single = len({q["document"] for q in pages if q["dataset"] == p["dataset"]}) == 1
        p["unit"] = p["xml"] if single else p["document"]
        by_ds[p["dataset"]][p["unit"]] += int(p["lines"])
    val_units = set()
    for ds in sorted(by_ds):
        val_units |= {(ds, u) for u in choose_val(by_ds[ds], VAL_FRACTION, rng)}

    lines_dir = os.path.join(args.out, "lines")
    for sub in ("train", "val"):
        os.makedirs(os.path.join(lines_dir, sub), exist_ok=True)
    index, skipped = [], Counter()
    for i, p in enumerate(pages):
        split = "val" if (p["dataset"], p["unit"]) in val_units else "train"
        reader = read_alto if p["format"] == "alto" else read_page
        page_img = Image.open(os.path.join(args.src, p["image"])).convert("L")
        stem = safe(os.path.splitext(os.path.basename(p["xml"]))[0].replace(".chocomufin", ""))
        for n, (lid, pts, text, kind) in enumerate(reader(os.path.join(args.src, p["xml"]))):
            text = normalize(text)
            why = "empty" if not text else skip_reason(kind) or ("no polygon" if len(pts) < 3 else None)
            img = None if why else cut_line(page_img, pts, args.height)
            if not why and img is None:
                why = "degenerate polygon"
            # CTC needs at least one frame per character (width / 4 >= len)
            if not why and img.width / 4 < len(text) + 2:
                why = "too narrow for its text"
            if why:
                skipped[why] += 1
                continue
            name = f"{safe(p['dataset'])}__{safe(p['document'])}__{stem}__{n:03d}"
            img.save(os.path.join(lines_dir, split, name + ".png"))
            with open(os.path.join(lines_dir, split, name + ".gt.txt"), "w", encoding="utf-8") as f:
                f.write(text + "\n")
            index.append(dict(name=name, split=split, dataset=p["dataset"], document=p["document"],
                              xml=p["xml"], line_id=lid, line_type=kind, width=img.width, text=text))
        print(f"[{i + 1}/{len(pages)}] {p['xml']}: {split}", file=sys.stderr)

    with open(os.path.join(lines_dir, "index.tsv"), "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(index[0]), delimiter="\t")
        w.writeheader()
        w.writerows(index)
    per_ds = defaultdict(Counter)
    for r in index:
        per_ds[r["dataset"]][r["split"]] += 1
    split = dict(
        seed=SEED, val_fraction=VAL_FRACTION, height=args.height,
        excluded_regression_documents=excluded, skipped=dict(skipped),
        lines={s: sum(1 for r in index if r["split"] == s) for s in ("train", "val")},
        per_dataset={k: dict(v) for k, v in sorted(per_ds.items())},
        val_units=sorted(f"{d}:{u}" for d, u in val_units),
        train=[r["name"] for r in index if r["split"] == "train"],
        val=[r["name"] for r in index if r["split"] == "val"],
    )
    with open(os.path.join(args.out, "split.json"), "w", encoding="utf-8") as f:
        json.dump(split, f, ensure_ascii=False, indent=1)
    print(json.dumps({k: split[k] for k in ("lines", "skipped", "per_dataset", "excluded_regression_documents")},
                     ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

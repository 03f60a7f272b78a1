"""Training lines from the ALTO / PAGE training pages, cut by the app itself.

  /usr/bin/python3 prepare_lines.py [--src DIR ...] [--model DIR|ID]
      [--regression LINES.tsv] [--out work]

The cutting is the app's: `htr-studio export --format lines --cut-as MODEL`
writes every line exactly as `recognize` feeds that model (its manifest's
height, straightening and contrast stretch), so training reads the pixels
recognition will give the model — there is no second cutter here. This script
decides which page goes where and which line is kept:

* sources: ../shared/corpus-train and ../shared/corpus-train-more (found beside
  the repository; --src to change), one manifest.tsv each;
* the regression set's documents (../shared/corpus/htr-lines) are left out;
* validation by document, per dataset (see choose_val); each source is split on
  its own with the same seed, so corpus-train's split is the one earlier models
  were validated on — a warm start never sees its validation lines;
* lines left out: printed / typewritten lines (line type), empty ones, lines
  with "XXX" (the LECTAUREP convention for a word not read: the text does not
  say what the image shows; only in lectaurep-* datasets, since elsewhere XXX is
  a Roman numeral), and lines too narrow for CTC (width/4 < chars + 2).

Writes work/lines/{train,val}/<dataset>/NAME.png + NAME.gt.txt (the group of a
line is its dataset folder), work/lines/index.tsv, work/split.json and
work/val-pages.tsv (the validation pages, relative to ../shared; packaging copies
it beside the model, where CI re-measures the model on those pages).
"""
import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
from collections import Counter, defaultdict

from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "common"))
from paths import CLI, REPO, shared  # noqa: E402

from normalize import normalize  # noqa: E402

VAL_FRACTION = 0.09
SEED = 20261128
EXCLUDED_TYPES = "print,typewrit"
UNREAD = "XXX"  # LECTAUREP's "word not read" (their README); a Roman thirty in iforal's charters
UNREAD_DATASETS = ("lectaurep",)


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


def split_source(pages, rng):
    """-> set of (dataset, unit) for validation. The unit is the document; for a
    dataset that is ONE document (one register) it is the page, else it could
    not be validated at all."""
    by_ds = defaultdict(Counter)
    for p in pages:
        single = len({q["document"] for q in pages if q["dataset"] == p["dataset"]}) == 1
        p["unit"] = p["xml"] if single else p["document"]
        by_ds[p["dataset"]][p["unit"]] += int(p["lines"])
    val = set()
    for ds in sorted(by_ds):
        val |= {(ds, u) for u in choose_val(by_ds[ds], VAL_FRACTION, rng)}
    return val


def export(xmls, out_dir, model):
    """The app's cutter: -> rows of its lines.tsv."""
    os.makedirs(out_dir, exist_ok=True)
    cmd = ["node", CLI, "export", *xmls, "--format", "lines", "--cut-as", model,
           "--exclude-type", EXCLUDED_TYPES, "-o", out_dir, "--quiet"]
    r = subprocess.run(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit(f"htr-studio export failed ({r.returncode}):\n{r.stderr}")
    print(r.stderr.strip(), file=sys.stderr)
    with open(os.path.join(out_dir, "lines.tsv"), encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", action="append",
                    help="a folder with manifest.tsv (repeatable; default: ../shared/corpus-train and corpus-train-more)")
    ap.add_argument("--regression", default=shared("corpus", "htr-lines", "lines.tsv"),
                    help="lines.tsv of the regression set: its documents are left out")
    ap.add_argument("--model", default=os.path.join(REPO, "native-models", "htr-default"),
                    help="model (folder or id) whose cut the lines get: its manifest's input block")
    ap.add_argument("--out", default="work")
    ap.add_argument("--limit-pages", type=int, default=0, help="smoke test: first N pages of each source")
    args = ap.parse_args()
    srcs = args.src or [shared("corpus-train"), shared("corpus-train-more")]

    with open(args.regression, encoding="utf-8") as f:
        reg_docs = {r["document"] for r in csv.DictReader(f, delimiter="\t")}

    def in_regression(doc):  # e.g. "TestamentsDePoilus_will_AN_0207" <-> "AN_0207"
        return any(d == doc or d.endswith("_" + doc) for d in reg_docs)

    lines_dir = os.path.join(os.path.abspath(args.out), "lines")
    shutil.rmtree(lines_dir, ignore_errors=True)  # names follow the cut: never mix two runs
    excluded, index, skipped = set(), [], Counter()
    for src in srcs:
        with open(os.path.join(src, "manifest.tsv"), encoding="utf-8") as f:
            pages = list(csv.DictReader(f, delimiter="\t"))
        excluded |= {p["document"] for p in pages if in_regression(p["document"])}
        pages = [p for p in pages if not in_regression(p["document"])]
        if args.limit_pages:
            pages = pages[: args.limit_pages]
        # One RNG per source, seeded alike: adding a source never moves another's split.
        val_units = split_source(pages, random.Random(SEED))
        groups = defaultdict(list)
        for p in pages:
            split = "val" if (p["dataset"], p["unit"]) in val_units else "train"
            groups[(split, p["dataset"])].append(p)
        for (split, ds), group in sorted(groups.items()):
            out_dir = os.path.join(lines_dir, split, ds)
            rows = export([os.path.join(src, p["xml"]) for p in group], out_dir, args.model)
            page_of = {os.path.join(src, p["xml"]): p for p in group}  # basenames repeat (iforal's 1.xml, 2.xml)
            for r in rows:
                base = os.path.join(out_dir, r["name"])
                text = normalize(r["text"])
                unread = UNREAD in text and ds.startswith(UNREAD_DATASETS)
                why = "empty" if not text else "unread word (XXX)" if unread else None
                if not why:
                    with Image.open(base + ".png") as im:
                        width = im.width
                    if width / 4 < len(text) + 2:  # CTC needs a frame per character
                        why = "too narrow for its text"
                if why:
                    skipped[why] += 1
                    os.remove(base + ".png")
                    os.remove(base + ".gt.txt")
                    continue
                p = page_of[r["source"]]
                index.append(dict(name=r["name"], split=split, dataset=ds, document=p["document"],
                                  source=os.path.basename(os.path.normpath(src)), xml=p["xml"],
                                  line_id=r["line_id"], line_type=r.get("type", ""), width=width, text=text))
            os.remove(os.path.join(out_dir, "lines.tsv"))

    with open(os.path.join(lines_dir, "index.tsv"), "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(index[0]), delimiter="\t")
        w.writeheader()
        w.writerows(index)
    per_ds = defaultdict(Counter)
    for r in index:
        per_ds[r["dataset"]][r["split"]] += 1
    cut = {}  # the cut written down with the split (a model id: see its manifest)
    if os.path.isfile(os.path.join(args.model, "model.json")):
        with open(os.path.join(args.model, "model.json"), encoding="utf-8") as f:
            cut = json.load(f)["input"]
    split = dict(
        seed=SEED, val_fraction=VAL_FRACTION, sources=[os.path.basename(os.path.normpath(s)) for s in srcs],
        cut_as=dict(model=os.path.basename(os.path.normpath(args.model)), input=cut),
        excluded_regression_documents=sorted(excluded), skipped=dict(skipped),
        lines={s: sum(1 for r in index if r["split"] == s) for s in ("train", "val")},
        per_dataset={k: dict(v) for k, v in sorted(per_ds.items())},
        val_documents=sorted({f"{r['dataset']}:{r['document']}" for r in index if r["split"] == "val"}),
    )
    # The validation pages, relative to ../shared: CI re-measures the shipped model on them through the app.
    val_pages = sorted({(r["source"], r["xml"], r["dataset"], r["document"]) for r in index if r["split"] == "val"})
    with open(os.path.join(args.out, "val-pages.tsv"), "w", encoding="utf-8") as f:
        f.write("xml\tdataset\tdocument\n")
        f.writelines(f"{src}/{xml}\t{ds}\t{doc}\n" for src, xml, ds, doc in val_pages)
    with open(os.path.join(args.out, "split.json"), "w", encoding="utf-8") as f:
        json.dump(split, f, ensure_ascii=False, indent=1)
    print(json.dumps({k: split[k] for k in ("lines", "skipped", "per_dataset", "excluded_regression_documents")},
                     ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

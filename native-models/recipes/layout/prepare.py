"""Builds the training data with the app's own exporter (`htr-studio export --format yolo`).

  /usr/bin/python3 prepare.py [--imgsz 1024] [--out work] [--source DIR ...] [--corpus DIR] [--dry-run]

1. Reads each source's manifest.tsv (default: ../shared/corpus-train, 173 pages; more
   with --source, e.g. --source ../shared/corpus-train --source ../shared/corpus-train-more,
   whose pages carry SegmOnto zones, line polygons and baselines in the same layout).
   ../shared is found beside the repository checkout, or at $HTR_STUDIO_SHARED
   (../common/paths.py).
2. Leaves out every document that has a page image in the corpus (../shared/corpus,
   --corpus: the regression pages the app is measured on): same image file name → its
   document, whichever source holds it.
3. Validation BY DOCUMENT, per dataset, over all sources together (a document with pages
   in two sources is on one side only): documents in seeded random order until
   >= --val-fraction of the dataset's pages (datasets with < 3 documents: none). With the
   default source the split is the one every shipped snapshot was trained and chosen on.
4. work/data      ← export of train + val pages (--val-list work/val-list.txt)
   work/regression ← export of the handwritten regression pages in the corpus
   (all in its "val" split), for train.py's log and evaluate.py.
work/split.json records the choices.
"""
import argparse
import csv
import json
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, "common"))
from paths import CLI, REPO, shared  # noqa: E402  (no machine paths: ../shared beside the checkout)

# Handwritten corpus pages with line ground truth and an image (the layout benchmark's
# handwritten set, bench/layout-detectors.mjs); ALTO of the TIME US page, not its PAGE twin.
REGRESSION = [
    "escriptorium-testaments-alto/TestamentsDePoilus_will_AD78_0066-0.xml",
    "escriptorium-testaments-alto/TestamentsDePoilus_will_AN_0155-0.xml",
    "escriptorium-timeuscorpus/cph_paris_tissage_1858/alto/PH 1858-535.xml",
    "transkribus-du-abp/M_Aicha_vorm_Wald_017_0130.pxml",
    "transkribus-kraken-tests/170025120000003,0074.xml",
]
IMAGE_EXT = (".jpg", ".jpeg", ".png", ".tif", ".tiff")


def corpus_images(corpus):
    """File names of the page images in the corpus (htr-lines are line crops, not pages)."""
    names = set()
    for root, dirs, files in os.walk(corpus):
        dirs[:] = [d for d in dirs if d not in ("htr-lines", "schemas")]
        names.update(f for f in files if f.lower().endswith(IMAGE_EXT))
    return names


def export(cli, xmls, out, imgsz, val_list):
    cmd = ["node", cli, "export", "--format", "yolo", "-o", out, "--imgsz", str(imgsz), "--val-list", val_list, "-q", *xmls]
    print("$", " ".join(cmd[:10]), f"... ({len(xmls)} files)", flush=True)
    subprocess.run(cmd, check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(HERE, "work"))
    ap.add_argument("--imgsz", type=int, default=1024)
    ap.add_argument("--val-fraction", type=float, default=0.12)
    ap.add_argument("--seed", type=int, default=20261128)
    ap.add_argument("--cli", default=CLI)
    ap.add_argument("--source", action="append", default=None,
                    help="a folder with manifest.tsv and its pages (repeat for several; default ../shared/corpus-train)")
    ap.add_argument("--corpus", default=shared("corpus"), help="the regression corpus whose documents are left out")
    ap.add_argument("--dry-run", action="store_true", help="print the split (JSON) and stop: no export, nothing written")
    args = ap.parse_args()
    sources = [os.path.abspath(s) for s in (args.source or [shared("corpus-train")])]
    corpus = os.path.abspath(args.corpus)
    if not args.dry_run and not os.path.exists(os.path.join(REPO, "dist", "cli.cjs")):
        subprocess.run(["node", os.path.join(REPO, "build", "build.mjs"), "cli"], check=True, cwd=REPO)

    rows = []
    for src in sources:
        with open(os.path.join(src, "manifest.tsv"), encoding="utf-8") as f:
            # Each row's paths are relative to its own source folder.
            rows += [dict(r, xml=os.path.join(src, r["xml"]), image=os.path.join(src, r["image"])) for r in csv.DictReader(f, delimiter="\t")]
    seen = corpus_images(corpus)
    excluded = sorted({(r["dataset"], r["document"]) for r in rows if os.path.basename(r["image"]) in seen})
    rows_in = [r for r in rows if (r["dataset"], r["document"]) not in set(excluded)]
    if not args.dry_run:
        print(f"{len(rows)} pages from {len(sources)} source(s); leaving out {len(rows) - len(rows_in)} pages of documents with a page in {corpus}: {excluded}")

    rng = random.Random(args.seed)
    val_docs = []
    for ds in sorted({r["dataset"] for r in rows_in}):
        pages = [r for r in rows_in if r["dataset"] == ds]
        docs = sorted({r["document"] for r in pages})
        if len(docs) < 3:
            continue
        rng.shuffle(docs)
        want, taken = max(1, round(args.val_fraction * len(pages))), 0
        for d in docs:
            if taken >= want:
                break
            n = sum(r["document"] == d for r in pages)
            if taken + n > 1.5 * want and taken:
                continue
            val_docs.append((ds, d))
            taken += n
    val_rows = [r for r in rows_in if (r["dataset"], r["document"]) in set(val_docs)]
    per_ds = {}
    for r in rows_in:
        d = per_ds.setdefault(r["dataset"], {"train": 0, "val": 0})
        d["val" if (r["dataset"], r["document"]) in set(val_docs) else "train"] += 1
    split = {"seed": args.seed, "val_fraction": args.val_fraction, "imgsz": args.imgsz,
             "sources": [os.path.relpath(s, os.path.abspath(shared())) if s.startswith(os.path.abspath(shared())) else s for s in sources],
             "excluded_documents": [f"{a}:{b}" for a, b in excluded],
             "pages": {"train": len(rows_in) - len(val_rows), "val": len(val_rows), "excluded": len(rows) - len(rows_in)},
             "val_documents": [f"{a}:{b}" for a, b in val_docs], "pages_per_dataset": per_ds}
    if args.dry_run:
        split["train_documents"] = sorted({f"{r['dataset']}:{r['document']}" for r in rows_in} - set(split["val_documents"]))
        print(json.dumps(split, ensure_ascii=False, indent=1))
        return 0
    os.makedirs(args.out, exist_ok=True)
    val_list = os.path.join(args.out, "val-list.txt")
    with open(val_list, "w", encoding="utf-8") as f:
        f.write("# validation pages (XML paths), chosen by document: prepare.py\n")
        f.writelines(r["xml"] + "\n" for r in val_rows)
    export(args.cli, [r["xml"] for r in rows_in], os.path.join(args.out, "data"), args.imgsz, val_list)

    reg_xml = [os.path.join(corpus, p) for p in REGRESSION if os.path.exists(os.path.join(corpus, p))]
    reg_list = os.path.join(args.out, "regression-list.txt")
    with open(reg_list, "w", encoding="utf-8") as f:
        f.writelines(p + "\n" for p in reg_xml)
    export(args.cli, reg_xml, os.path.join(args.out, "regression"), args.imgsz, reg_list)

    split["regression"] = [os.path.relpath(p, corpus) for p in reg_xml]
    with open(os.path.join(args.out, "split.json"), "w", encoding="utf-8") as f:
        json.dump(split, f, ensure_ascii=False, indent=1)
    print(json.dumps(split["pages"]), json.dumps(per_ds))


if __name__ == "__main__":
    sys.exit(main())

"""Export a checkpoint to model.onnx + model.json, in the Ultralytics detect layout the
app's YOLO runner (electron/node/layout/yolo.ts) reads.

  /usr/bin/python3 export_onnx.py [work/ckpt/best.pt] [--out work/export] [--check work/data/data.yaml]
      [--check-runtime auto|python|node]

Graph: input "images" float [1, 3, imgsz, imgsz] (RGB 0-1, letterboxed with grey
114), output "output0" [1, 4 + nc, N]: cx, cy, w, h in input pixels, then the
class scores after sigmoid (no objectness); N = cells of strides 8, 16, 32.
metadata_props: names (Python dict string), imgsz, stride, task, and the usual
Ultralytics keys. model.json: id layout-default, family yolo, task layout, the
post-processing found best on validation (conf, iou) and maxDet.
--check runs one validation page through torch and through onnxruntime, and fails
above 1e-3 (boxes relative, scores absolute): onnxruntime-node (the app's runtime,
check_onnx.cjs) where node is, else Python's onnxruntime (a GPU machine has no node;
Debian's Python here has no onnxruntime); --check-runtime picks one. Exports on the CPU
whichever device trained the checkpoint.
"""
import argparse
import datetime
import json
import inspect
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn

from data import PageSet, letterbox, read_data_yaml, to_tensor_batch
from evaluate import load_checkpoint
from model import REG_CLAMP, STRIDES, grid

OPSET = 17
ATTRIBUTION = [  # ../shared/corpus-train/SOURCES.md; all CC BY 4.0
    ("HTR-United/CREMMA-AN-TestamentsDePoilus", "CREMMA / projet Testaments de Poilus (Archives nationales), doi:10.5281/zenodo.10177106"),
    ("HTR-United/lectaurep-mariages-et-divorces", "LECTAUREP, Archives nationales (Minutier central) / Inria ALMAnaCH"),
    ("HTR-United/CREMMA-MSS-17", "CREMMA, images Gallica (BnF)"),
    ("HTR-United/CREMMA-MSS-18", "CREMMA"),
    ("HTR-United/CREMMA-MSS-19", "CREMMA"),
    ("alix-tz/peraire-ground-truth", "Digital Peraire; images Bibliothèque Sébert, Espéranto-France, Paris"),
    ("PSL-Chartes-HTR-Students/HN2021-Memorials_Jane_Lathrop_Stanford", "PSL / École des chartes students; images Stanford University Archives"),
    ("Arch-W/iForal-Dataset", "iForal project"),
    ("HTR-United/CREMMA-Medieval-LAT", "CREMMA Medieval Latin"),
    ("HTRomance-Project/medieval-italian", "HTRomance; images Gallica (BnF)"),
    # ../shared/corpus-train-more/SOURCES.md (fine-tune of 2026-12-04 onwards); all CC BY 4.0
    ("HTR-United/lectaurep-repertoires", "LECTAUREP, Archives nationales (Minutier central des notaires de Paris) / Inria ALMAnaCH / EPHE"),
    ("HTR-United/CREMMA-MSS-20", "CREMMA"),
    ("alix-tz/dataset-celestine-doniau-danest", "Journal de Célestine Doniau-Danest, Archives départementales de la Somme 134J94; Université de Montréal HNU2000"),
    ("PSL-Chartes-HTR-Students/TNAH-2021-Projet-Correspondance-Berlioz", "PSL / École des chartes students; images Gallica (BnF)"),
]


def cell_centres(sizes):
    """Cell centres (input pixels) and strides of all levels, flattened as the outputs are: [1, N], [1, N],
    [1, 1, N]; sizes: (rows, columns) of each level's feature map, in STRIDES order."""
    cx, cy, st = [], [], []
    for (h, w), s in zip(sizes, STRIDES):
        x, y = grid(h, w, s)
        cx.append(x)
        cy.append(y)
        st.append(torch.full_like(x, float(s)))
    return torch.cat(cx)[None], torch.cat(cy)[None], torch.cat(st)[None, None]


class UltralyticsOutput(nn.Module):
    """LayoutNet + box decoding into [1, 4 + nc, N]: cell centres constant for one input size, or (dynamic)
    computed from each level's feature map, so that one file runs at any size that is a multiple of 32 (the
    app runs pages of small writing a second time at a larger size: yolo.ts, `layout.zoom`)."""

    def __init__(self, model, imgsz, dynamic=False):
        super().__init__()
        self.model = model
        self.dynamic = dynamic
        cx, cy, stride = cell_centres([(imgsz // s, imgsz // s) for s in STRIDES])
        self.register_buffer("cx", cx)
        self.register_buffer("cy", cy)
        self.register_buffer("stride", stride)

    def forward(self, images):
        outs = self.model(images)
        reg = torch.cat([r.flatten(2) for r, _ in outs], 2)
        cls = torch.cat([c.flatten(2) for _, c in outs], 2)
        if self.dynamic:
            cx, cy, stride = cell_centres([(r.shape[2], r.shape[3]) for r, _ in outs])
        else:
            cx, cy, stride = self.cx, self.cy, self.stride
        d = torch.exp(reg.clamp(*REG_CLAMP)) * stride
        x1, y1 = cx - d[:, 0], cy - d[:, 1]
        x2, y2 = cx + d[:, 2], cy + d[:, 3]
        box = torch.stack([(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1], 1)
        return torch.cat([box, cls.sigmoid()], 1)


def onnx_export(wrapped, x, path, dynamic=False):
    """The TorchScript exporter (what torch 1.13 has); torch >= 2.9 defaults to the dynamo one, which is
    asked for only if the old one is gone."""
    kw = dict(opset_version=OPSET, input_names=["images"], output_names=["output0"], do_constant_folding=True)
    if dynamic:
        kw["dynamic_axes"] = {"images": {2: "height", 3: "width"}, "output0": {2: "cells"}}
    if "dynamo" not in inspect.signature(torch.onnx.export).parameters:
        return torch.onnx.export(wrapped, x, path, **kw)
    try:
        return torch.onnx.export(wrapped, x, path, dynamo=False, **kw)
    except Exception as e:  # noqa: BLE001 - any failure of the legacy path: try the new exporter
        print(f"TorchScript ONNX export failed ({type(e).__name__}: {e}); trying dynamo=True", file=sys.stderr)
        kw.pop("do_constant_folding")
        return torch.onnx.export(wrapped, x, path, dynamo=True, external_data=False, **kw)


def export(model, path, imgsz, names, ckpt, dynamic=False):
    wrapped = UltralyticsOutput(model, imgsz, dynamic).eval()
    onnx_export(wrapped, torch.zeros(1, 3, imgsz, imgsz), path, dynamic)
    import onnx
    m = onnx.load(path)
    meta = {
        "description": "HTR Studio layout detector: text lines and SegmOnto zones on handwritten pages",
        "author": "HTR Studio (native-models/recipes/layout)",
        "date": datetime.date.today().isoformat(),
        "version": f"step {ckpt.get('step')}",
        "license": "CC-BY-4.0",
        "stride": str(max(STRIDES)),
        "task": "detect",
        "batch": "1",
        "imgsz": str([imgsz, imgsz]),
        "names": str(dict(enumerate(names))),
    }
    for k, v in meta.items():
        e = m.metadata_props.add()
        e.key, e.value = k, v
    onnx.checker.check_model(m)
    onnx.save(m, path)
    return wrapped


def manifest(ckpt, model_id, conf, iou, max_det, imgsz, note="", zoom=None):
    return {
        "id": model_id,
        "name": "HTR Studio layout: text lines and SegmOnto zones (handwritten pages)",
        "version": f"step-{ckpt.get('step')}",
        "family": "yolo",
        "task": "layout",
        "file": "model.onnx",
        "description": "Compact anchor-free detector (strides 8/16/32, horizontal context for long lines) trained from scratch "
                       "on 10 CC BY 4.0 handwritten datasets (French, Latin, Portuguese, Italian, English; 12th-20th c.). "
                       "Lines are axis-aligned boxes: the app estimates baselines from the ink." + (" " + note if note else ""),
        "layout": {"imgsz": imgsz, "conf": conf, "iou": iou, "maxDet": max_det, **({"zoom": zoom} if zoom else {})},
        "training": {"step": ckpt.get("step"), "epoch": ckpt.get("epoch"), "best_val_line_f1": ckpt.get("best_val_f1"),
                     "recipe": "native-models/recipes/layout", "classes": ckpt["names"]},
        "licence": "CC-BY-4.0",
        "attribution": [{"repository": r, "credit": c, "licence": "CC-BY-4.0"} for r, c in ATTRIBUTION],
        "citation": "HTR Studio layout detector, trained with native-models/recipes/layout on CC BY 4.0 ground truth from "
                    + ", ".join(r for r, _ in ATTRIBUTION) + ".",
    }


def compare(out, ref):
    """As check_onnx.cjs: boxes (channels 0-3, pixels) relative to max(1, |ref|), scores absolute."""
    if out.shape != ref.shape:
        return {"output": list(out.shape), "expected": list(ref.shape), "ok": False}
    box = float((np.abs(out[:, :4] - ref[:, :4]) / np.maximum(1.0, np.abs(ref[:, :4]))).max())
    score = float(np.abs(out[:, 4:] - ref[:, 4:]).max())
    return {"output": list(out.shape), "max_rel_box_diff": box, "max_abs_score_diff": score, "ok": box <= 1e-3 and score <= 1e-3}


def check(wrapped, onnx_path, data_yaml, names, imgsz, runtime="auto"):
    """torch vs onnxruntime (node's where node is, else Python's) on one real page."""
    _, _, splits = read_data_yaml(data_yaml)
    split = splits.get("val") or splits["train"]
    pages = PageSet(split, names, limit=1)
    x = to_tensor_batch([letterbox(pages.images[0], imgsz)[0]])
    with torch.no_grad():
        ref = wrapped(x).numpy()
    if runtime == "auto":  # check_onnx.cjs needs node and the repository's onnxruntime-node
        root = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../.."))
        node_ok = shutil.which("node") and os.path.isdir(os.path.join(root, "node_modules/onnxruntime-node"))
        runtime = "node" if node_ok else "python"
    if runtime == "python":
        try:
            import onnxruntime as ort
        except ImportError:
            print("no onnxruntime for Python (and no node): cannot check the export", file=sys.stderr)
            return False
        sess = ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
        res = compare(sess.run(["output0"], {"images": x.numpy()})[0], ref)
        res["runtime"] = f"onnxruntime {ort.__version__} (Python)"
        print(json.dumps(res, separators=(",", ":")), file=sys.stderr)
        return res["ok"]
    with tempfile.TemporaryDirectory() as tmp:
        x.numpy().astype("<f4").tofile(os.path.join(tmp, "in.f32"))
        ref.astype("<f4").tofile(os.path.join(tmp, "ref.f32"))
        here = os.path.dirname(os.path.abspath(__file__))
        out = subprocess.run(["node", os.path.join(here, "check_onnx.cjs"), onnx_path, tmp, json.dumps(list(x.shape)), json.dumps(list(ref.shape))],
                             capture_output=True, text=True)
    print(out.stdout.strip() or out.stderr.strip(), file=sys.stderr)
    return out.returncode == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("checkpoint", nargs="?", default="work/ckpt/best.pt")
    ap.add_argument("--out", default="work/export")
    ap.add_argument("--id", default="layout-default")
    ap.add_argument("--note", default="", help="a sentence added to model.json's description (e.g. what else the run trained on)")
    ap.add_argument("--conf", type=float, help="default: the best on validation, from the checkpoint")
    ap.add_argument("--iou", type=float, help="NMS IoU; default: the best on validation")
    ap.add_argument("--max-det", type=int, default=500, help="dense registers have 150+ lines a page")
    ap.add_argument("--raw", action="store_true", help="export the raw weights, not the EMA")
    ap.add_argument("--imgsz", type=int, help="inference input size (square, a multiple of 32); default: the training scale. "
                    "The network is fully convolutional, so a larger size shows dense pages' lines taller")
    ap.add_argument("--fixed", action="store_true", help="a fixed input size (imgsz × imgsz); by default height and width "
                    "are free (multiples of 32), which the app's zoom for small writing needs")
    ap.add_argument("--zoom", metavar="LINE_HEIGHT,MAX,MIN",
                    help="layout.zoom for model.json: pages whose median line is under LINE_HEIGHT/MIN input pixels are run "
                    "again up to MAX times larger (the app's zoom for small writing; needs the default free input size). "
                    "layout-default: 30,2,1.2 (30 px: the median training line at 1024)")
    ap.add_argument("--check", default="work/data/data.yaml", help="dataset for the torch/ONNX check; '' skips")
    ap.add_argument("--check-runtime", default="auto", choices=["auto", "node", "python"],
                    help="auto: onnxruntime-node where node is, else Python's onnxruntime")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    model, ckpt = load_checkpoint(args.checkpoint, ema=not args.raw)
    post = ckpt.get("postprocess") or {}
    conf = args.conf if args.conf is not None else post.get("conf", 0.25)
    iou = args.iou if args.iou is not None else post.get("iou", 0.7)
    os.makedirs(args.out, exist_ok=True)
    onnx_path = os.path.join(args.out, "model.onnx")
    imgsz = args.imgsz or ckpt["imgsz"]
    zoom = None
    if args.zoom:
        try:
            lh, mx, mn = (float(v) for v in args.zoom.split(","))
        except ValueError:
            sys.exit(f"--zoom {args.zoom}: three numbers, LINE_HEIGHT,MAX,MIN (e.g. 30,2,1.2)")
        if args.fixed:
            sys.exit("--zoom needs a free input size: leave out --fixed")
        zoom = {"lineHeight": lh, "max": mx, "min": mn}
    if imgsz % 32:
        sys.exit(f"--imgsz {imgsz}: must be a multiple of 32 (the coarsest stride)")
    wrapped = export(model, onnx_path, imgsz, ckpt["names"], ckpt, dynamic=not args.fixed)
    with open(os.path.join(args.out, "model.json"), "w", encoding="utf-8") as f:
        json.dump(manifest(ckpt, args.id, conf, iou, args.max_det, imgsz, args.note, zoom), f, ensure_ascii=False, indent=1)
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path) / 1e6:.2f} MB) and model.json (conf {conf}, iou {iou})", file=sys.stderr)
    if args.check and not check(wrapped, onnx_path, args.check, ckpt["names"], imgsz, args.check_runtime):
        sys.exit("ONNX output differs from torch (or no onnxruntime to check it with)")


if __name__ == "__main__":
    main()

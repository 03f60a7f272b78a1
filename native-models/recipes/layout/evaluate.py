"""Line (and zone) P/R/F1 at IoU 0.5 of a checkpoint on a split of an export.

  /usr/bin/python3 evaluate.py work/ckpt/best.pt [--data work/data/data.yaml] [--split val]
      [--conf 0.25] [--iou 0.7] [--sweep] [--per-page] [--device auto|cpu|cuda]

Pages are letterboxed to the checkpoint's imgsz exactly as the app does, boxes
mapped back to the page, and scored as electron/common/layout/score.ts scores
(see metrics.py). Lines = every class whose name ends in "Line", matched
regardless of line type; zones are matched within their class. "micro" sums
matches over all pages; "page_mean_f1" averages the per-page F1 (as the layout
benchmark reports). --sweep tries conf x iou and reports the best line F1.
Prints JSON.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

from data import PageSet, is_line, letterbox, read_data_yaml, to_tensor_batch
from metrics import match, postprocess, prf
from model import build, decode

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "common"))
# Every script of this recipe imports this module first: from here on they can import torchkit.
from torchkit import load_state, pick_device  # noqa: E402


def load_checkpoint(path, ema=True, device="cpu"):
    ckpt = load_state(path)
    model = build(ckpt["model_config"])
    model.load_state_dict(ckpt["ema"] if ema and ckpt.get("ema") else ckpt["model"])
    model.to(device).eval()
    return model, ckpt


@torch.no_grad()
def raw_predictions(model, pages, imgsz):
    """Per page: (boxes [N,4] in page px, scores [N,nc]) before thresholds, so sweeps reuse one pass."""
    out = []
    dev = next(model.parameters()).device  # float32 on every device: the figures the exported model gives
    for img in pages.images:
        lb, s, px, py = letterbox(img, imgsz)
        boxes, logits, _ = decode(model(to_tensor_batch([lb]).to(dev)))
        b = boxes[0].cpu().numpy()
        b = (b - np.array([px, py, px, py], np.float32)) / s
        h, w = img.shape[:2]
        b = np.clip(b, 0, [w, h, w, h])
        out.append((b, logits[0].sigmoid().cpu().numpy()))
    return out


def score(pages, raw, conf, iou, max_det=500, per_page=False):
    line_ids = np.array([is_line(n) for n in pages.names])
    tot = {"lines": [0, 0, 0], "zones": [0, 0, 0]}
    page_f1, rows = [], []
    for i, (b, sc) in enumerate(raw):
        pb, _, pc = postprocess(b, sc, conf, iou, max_det)
        gb, gc = pages.boxes[i], pages.classes[i]
        pl, gl = line_ids[pc], line_ids[gc]
        tp = match(pb[pl], gb[gl])
        f = prf(tp, int(pl.sum()), int(gl.sum()))
        page_f1.append(f[2])
        tot["lines"] = [a + v for a, v in zip(tot["lines"], (tp, int(pl.sum()), int(gl.sum())))]
        if pages.has_zones(i):  # zones only where the page is annotated for them
            ztp = sum(match(pb[pc == c], gb[gc == c]) for c in np.unique(np.concatenate([pc[~pl], gc[~gl]])))
            tot["zones"] = [a + v for a, v in zip(tot["zones"], (ztp, int((~pl).sum()), int((~gl).sum())))]
        rows.append({"page": pages.stems[i], "lines_gt": int(gl.sum()), "lines_pred": int(pl.sum()), "line_f1": round(f[2], 4)})
    res = {"conf": conf, "iou": iou, "pages": len(raw)}
    for k, (tp, n_pred, n_gt) in tot.items():
        p, r, f = prf(tp, n_pred, n_gt)
        res[k] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "pred": n_pred, "gt": n_gt}
    res["page_mean_line_f1"] = round(float(np.mean(page_f1)), 4) if page_f1 else None
    if per_page:
        res["per_page"] = rows
    return res


def evaluate(model, pages, imgsz, conf=0.25, iou=0.7, sweep=False, per_page=False):
    t0 = time.time()
    raw = raw_predictions(model, pages, imgsz)
    secs = time.time() - t0
    res = score(pages, raw, conf, iou, per_page=per_page)
    res["seconds_per_page"] = round(secs / max(1, len(raw)), 3)
    if sweep:
        grid = [score(pages, raw, c, u) for c in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7) for u in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)]
        best = max(grid, key=lambda r: (r["lines"]["f1"], r["page_mean_line_f1"]))
        res["best"] = {"conf": best["conf"], "iou": best["iou"], "lines": best["lines"], "page_mean_line_f1": best["page_mean_line_f1"]}
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("checkpoint")
    ap.add_argument("--data", default="work/data/data.yaml")
    ap.add_argument("--split", default="val")
    ap.add_argument("--conf", type=float, default=0.25)
    ap.add_argument("--iou", type=float, default=0.7)
    ap.add_argument("--sweep", action="store_true")
    ap.add_argument("--per-page", action="store_true")
    ap.add_argument("--raw", action="store_true", help="the raw weights, not the EMA")
    ap.add_argument("--limit", type=int, default=0, help="only the first N pages")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="auto", help="auto (cuda when there is one), cpu or cuda")
    ap.add_argument("--out", help="also write the JSON to this file")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    device = pick_device(args.device)
    model, ckpt = load_checkpoint(args.checkpoint, ema=not args.raw, device=device)
    _, names, splits = read_data_yaml(args.data)
    if names != ckpt["names"]:
        raise SystemExit(f"class names of {args.data} differ from the checkpoint's: {names} vs {ckpt['names']}")
    pages = PageSet(splits[args.split], names, args.limit)
    res = evaluate(model, pages, ckpt["imgsz"], args.conf, args.iou, args.sweep, args.per_page)
    res.update(checkpoint=args.checkpoint, step=ckpt.get("step"), data=args.data, split=args.split, device=str(device))
    text = json.dumps(res, ensure_ascii=False, indent=1)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()

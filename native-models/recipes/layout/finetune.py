"""Fine-tune a layout model folder on a user's corrected pages (an `htr-studio export --format yolo` dataset).

  nice -n 19 env OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1 /usr/bin/python3 finetune.py \
      --base ../../layout-default --data EXPORT/data.yaml --out DIR [--minutes 10] [--resume]

`htr-studio train --task layout` runs this. It is a warm restart of train.py
(--resume CKPT --rewarm --reset-best, cosine over the time budget, --regression
off) from the base's checkpoint: layout-default's is this recipe's
checkpoint/last.pt (the shipped step); a model this script made keeps its own in
DIR/.training/ckpt, so it can be fine-tuned again. (The layout network's weights
are not read back from ONNX: its exporter folds more than the recogniser's.)
The validation pages of the export (the user's own) measure line F1 before and
after and choose the best checkpoint.

Progress: JSON lines on stdout, as the recogniser's finetune.py writes them
(events start / step / eval / done; eval has val_f1 instead of val_cer).
SIGTERM: train.py finishes its step and saves; the best (or last) checkpoint is
exported as usual. Writes DIR/model.onnx, DIR/model.json (with "lineage") and
DIR/MODEL_CARD.md.
"""
import argparse
import datetime
import json
import os
import resource
import signal
import subprocess
import sys
import time

import torch

from data import PageSet, read_data_yaml
from evaluate import evaluate, load_checkpoint
from torchkit import load_state

HERE = os.path.dirname(os.path.abspath(__file__))


def emit(event, **fields):
    print(json.dumps(dict(event=event, **fields), ensure_ascii=False), flush=True)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def base_checkpoint(base_dir, manifest):
    for name in ("best.pt", "last.pt"):
        p = os.path.join(base_dir, ".training", "ckpt", name)
        if os.path.exists(p):
            return p
    if manifest.get("id") == "layout-default" or os.path.abspath(base_dir) == os.path.abspath(os.path.join(HERE, "../../layout-default")):
        return os.path.join(HERE, "checkpoint", "last.pt")
    raise SystemExit(f"{base_dir}: no training checkpoint for this layout model (only layout-default and models "
                     "fine-tuned from it can be fine-tuned)")


def val_f1(ckpt_path, data):
    _, names, splits = read_data_yaml(data)
    if "val" not in splits:
        return None, 0
    model, ckpt = load_checkpoint(ckpt_path)
    pages = PageSet(splits["val"], names, 0)
    if not len(pages):
        return None, 0
    return evaluate(model, pages, ckpt["imgsz"], sweep=True)["best"]["lines"]["f1"], len(pages)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", required=True)
    ap.add_argument("--data", required=True, help="data.yaml of an export --format yolo")
    ap.add_argument("--out", required=True)
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--batch", type=int, default=0, help="default: min(4, training pages)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--max-steps", type=int, default=0)
    ap.add_argument("--id")
    ap.add_argument("--name")
    ap.add_argument("--stop-with-parent", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    t_start = time.time()
    work = os.path.join(args.out, ".training")
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(args.base, "model.json"), encoding="utf-8") as f:
        base = json.load(f)
    if base.get("task") != "layout":
        raise SystemExit(f"{args.base}: a {base.get('task')} model, not a layout model")
    init = os.path.join(work, "ckpt", "last.pt") if args.resume else base_checkpoint(args.base, base)
    if args.resume and not os.path.exists(init):
        raise SystemExit(f"--resume: nothing to resume in {work}")
    _, _, splits = read_data_yaml(args.data)
    n_train = len([f for f in os.listdir(splits["train"]) if not f.startswith(".")]) if os.path.isdir(splits["train"]) else 0
    batch = args.batch or max(1, min(4, n_train))
    info_path = os.path.join(work, "finetune.json")
    if args.resume and os.path.exists(info_path):
        with open(info_path) as f:
            before, n_val = (lambda d: (d["before_val_f1"], d["val_pages"]))(json.load(f))
    else:
        before, n_val = val_f1(init, args.data)
        with open(info_path, "w") as f:
            json.dump(dict(before_val_f1=before, val_pages=n_val, base=init), f)
    emit("start", pages=n_train, val_pages=n_val, before_val_f1=before, minutes=args.minutes, base=base.get("id"),
         resumed_at=None, lines=None, val_lines=None, new_characters="", before_val_cer=None, device="cpu")
    train_minutes = max(0.2, args.minutes - (time.time() - t_start) / 60 - 0.5)  # export and check after
    cmd = [sys.executable, os.path.join(HERE, "train.py"), "--data", args.data, "--regression", "", "--out", work,
           "--resume", "" if args.resume else init, "--minutes", f"{train_minutes:.2f}",
           "--schedule-minutes", f"{train_minutes:.2f}", "--eval-minutes", f"{max(0.5, train_minutes / 5):.2f}",
           "--save-minutes", "1", "--batch", str(batch), "--threads", str(args.threads), "--lr", str(args.lr),
           "--warmup", "20"]
    if not args.resume:
        cmd += ["--rewarm", "--reset-best"]
    if args.max_steps:
        cmd += ["--steps", str(args.max_steps)]
    child = subprocess.Popen(cmd, cwd=HERE, stdout=subprocess.PIPE, text=True, bufsize=1)
    cancelled = []

    def stop(*_):
        cancelled.append(1)
        child.send_signal(signal.SIGTERM)

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, stop)
    parent = os.getppid()
    deadline = t_start + 60 * args.minutes
    step = 0
    for line in child.stdout:
        if args.stop_with_parent and os.getppid() != parent and not cancelled:
            stop()
        left = round(max(0.0, deadline - time.time()) / 60, 2)
        if line.startswith("step "):
            parts = line.split()
            step = int(parts[1])
            loss = float(parts[parts.index("loss") + 1]) if "loss" in parts else None
            emit("step", step=step, loss=loss, lines_per_s=None, minutes_left=left)
        elif line.startswith("{"):
            try:
                e = json.loads(line)
            except ValueError:
                continue
            step = e.get("step", step)
            f1 = (e.get("val_best") or {}).get("lines", {}).get("f1")
            emit("eval", step=step, loss=e.get("loss"), val_cer=None, val_f1=f1, best_val_cer=None, minutes_left=left)
        else:
            log(line.rstrip())
    if child.wait() != 0:
        raise SystemExit(f"train.py failed (exit {child.returncode})")
    ckpt_dir = os.path.join(work, "ckpt")
    best = os.path.join(ckpt_dir, "best.pt")
    chosen = best if os.path.exists(best) else os.path.join(ckpt_dir, "last.pt")
    ckpt = load_state(chosen)
    after = ckpt.get("best_val_f1") if ckpt and ckpt.get("best_val_f1", -1) >= 0 else None
    model_id = args.id or os.path.basename(os.path.abspath(args.out))
    r = subprocess.run([sys.executable, os.path.join(HERE, "export_onnx.py"), chosen, "--out", args.out, "--id", model_id,
                        "--check", args.data, "--threads", str(args.threads)], cwd=HERE, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"export failed: {r.stderr[-1500:]}")
    write_manifest(args, base, model_id, n_train, n_val, before, after, ckpt, cancelled)
    emit("done", reason="cancelled" if cancelled else "time", cancelled=bool(cancelled), step=ckpt.get("step", step),
         best_step=ckpt.get("step", step), before_val_cer=None, after_val_cer=None, before_val_f1=before,
         after_val_f1=after, out=os.path.abspath(args.out), id=model_id, lines=0, val_lines=0, pages=n_train,
         val_pages=n_val, peak_rss_mb=round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024))


def write_manifest(args, base, model_id, n_train, n_val, before, after, ckpt, cancelled):
    path = os.path.join(args.out, "model.json")
    with open(path, encoding="utf-8") as f:
        m = json.load(f)
    today = datetime.date.today().isoformat()
    lineage = dict(base=dict(id=base.get("id"), version=base.get("version")), pages=n_train, val_pages=n_val,
                   date=today, steps=ckpt.get("step"), stopped="cancelled" if cancelled else "time", lr=args.lr,
                   recipe="native-models/recipes/layout/finetune.py")
    if base.get("lineage"):
        lineage["base_lineage"] = base["lineage"]
    # The base's zoom for small writing goes with its weights (the export's input size is free).
    zoom = (base.get("layout") or {}).get("zoom")
    if zoom:
        m.setdefault("layout", {})["zoom"] = zoom
    m.update(name=args.name or f"{base.get('name', base.get('id'))} — fine-tuned on {n_train} page(s)",
             version=f"{today}-step-{ckpt.get('step')}", lineage=lineage,
             metrics=dict(heldBackPages=n_val, heldBackLineF1Before=before, heldBackLineF1After=after,
                          measuredOn="held-back pages of the user's own, best conf x NMS IoU"))
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(m, f, ensure_ascii=False, indent=1)
    os.replace(path + ".tmp", path)
    fmt = lambda x: "–" if x is None else f"{x:.3f}"  # noqa: E731
    with open(os.path.join(args.out, "MODEL_CARD.md"), "w", encoding="utf-8") as f:
        f.write(f"""# {m['name']}

`{model_id}` — fine-tuned from `{base.get('id')}` ({base.get('version') or 'no version'}) on {today} with
`native-models/recipes/layout/finetune.py` (a warm restart of train.py on {n_train} page(s); {n_val} held back).

| line F1 on the held-back pages | |
|---|---|
| `{base.get('id')}` before | {fmt(before)} |
| this model | {fmt(after)} |

Made for the layout of the pages it was trained on; keep the base for other collections.
""")


if __name__ == "__main__":
    sys.exit(main())

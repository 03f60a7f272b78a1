"""Fine-tune an app model folder (model.json + model.onnx) on a user's corrected lines.

  nice -n 19 env OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1 /usr/bin/python3 finetune.py \
      --base ../../htr-default --lines LINES --out DIR [--minutes 10] [--lr 1.5e-3] [--resume]

LINES is what `htr-studio export --format lines --cut-as BASE` writes (NAME.png +
NAME.gt.txt and lines.tsv, whose page column counts the pages): cut exactly as
the app feeds BASE, so the model learns the pixels it will be given. `htr-studio
train` runs this script; it is also usable by hand.

* Weights come from the base's ONNX file (onnx_weights.py): any model the app
  runs can be fine-tuned again, the shipped one included. The BatchNorms stay
  frozen (their statistics are folded into the ONNX convs; a few hundred lines
  could not estimate better ones anyway).
* Characters the lines have and the base lacks get new output classes (as
  train.py --init does).
* Every --val-every'th line of each page is held back (or --val LINES): early
  stopping and the before/after figures are measured on them, never on pages
  the user did not give.
* Learning rate: a short warm-up, then cosine over the time budget. Measured on
  one hand (issue 22): 1e-3..2e-3 best, 3e-4 clearly worse; the time matters less.
* Progress: one JSON object a line on stdout (event start / step / eval / done);
  everything else goes to stderr.
* SIGTERM/SIGINT: finish the step, evaluate, keep the best model so far (exported
  as usual), exit 0 with "cancelled": true. --resume goes on from DIR/.training.

Writes DIR/model.onnx, DIR/model.json (the base's manifest with the new charset
and a "lineage" block), DIR/MODEL_CARD.md and a copy of the base's character LM
(the app replaces it with one that adds the new text); checkpoints and the log in
DIR/.training/ (delete it to save space; it is what --resume needs).
"""
import argparse
import datetime
import json
import math
import os
import random
import resource
import shutil
import signal
import sys
import time

import torch

from data import LineSet, augment, bucket_batches, collate, contrast
from evaluate import predict
from export_onnx import check, export, node_runtime_available
from lineimg import to_input
from metrics import score
from model import Codec, build, extend_classes
from onnx_weights import load_model_dir
from torchkit import load_state, optimizer_step, pick_device, to_cpu

FINAL_RESERVE_S = 15  # of the budget, kept for the last evaluation and the export


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", required=True, help="model folder: model.json + model.onnx")
    ap.add_argument("--lines", required=True, help="line folder (export --format lines --cut-as BASE)")
    ap.add_argument("--val", help="held-back lines (default: every --val-every'th line of each page of --lines)")
    ap.add_argument("--val-every", type=int, default=10)
    ap.add_argument("--out", required=True)
    ap.add_argument("--minutes", type=float, default=10, help="time budget, whole run")
    ap.add_argument("--lr", type=float, default=1.5e-3)
    ap.add_argument("--wd", type=float, default=0.01)
    ap.add_argument("--warmup", type=int, default=30, help="steps")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--max-pixels", type=int, default=16 * 900)
    ap.add_argument("--eval-steps", type=int, default=40, help="evaluate every N steps ...")
    ap.add_argument("--eval-seconds", type=float, default=60, help="... or every N seconds, whichever first")
    ap.add_argument("--patience", type=int, default=8, help="stop after N evaluations without a better val CER")
    ap.add_argument("--max-steps", type=int, default=0, help="tests: stop after N steps (across --resume)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--resume", action="store_true", help="continue from OUT/.training/last.pt")
    ap.add_argument("--id", help="model id (default: the output folder's name)")
    ap.add_argument("--name", help="display name")
    ap.add_argument("--stop-with-parent", action="store_true",
                    help="stop (as on SIGTERM) when the process that started this one ends (the app uses it)")
    ap.add_argument("--no-check", action="store_true", help="skip the torch vs onnxruntime-node check of the export")
    return ap.parse_args(argv)


def emit(event, **fields):
    print(json.dumps(dict(event=event, **fields), ensure_ascii=False), flush=True)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class Lines:
    """A subset of a LineSet (images, texts), with the names of its files."""

    def __init__(self, images, texts, names):
        self.images, self.texts, self.names = images, texts, names

    def __len__(self):
        return len(self.images)


def page_of(lines_dir):
    """NAME -> page file, from lines.tsv (absent: each line is its own page group)."""
    tsv = os.path.join(lines_dir, "lines.tsv")
    pages = {}
    if os.path.exists(tsv):
        with open(tsv, encoding="utf-8") as f:
            next(f, None)
            for row in f:
                cols = row.rstrip("\n").split("\t")
                if len(cols) >= 2:
                    pages[cols[0]] = cols[1]
    return pages


def split_lines(args, height, held_names=None):
    """(train, val, pages): val = held_names when resuming, --val when given, else every
    --val-every'th line of each page (in the page's reading order, offset to mid-interval)."""
    every = LineSet(args.lines, height)
    names = [os.path.splitext(os.path.basename(p))[0] for p in every.paths]
    pages = page_of(args.lines)
    order = {n: k for k, n in enumerate(pages)}  # lines.tsv is in reading order
    by_page = {}
    for i, n in enumerate(names):
        by_page.setdefault(pages.get(n, n), []).append(i)
    if held_names is not None:
        held = {i for i, n in enumerate(names) if n in set(held_names)}
    elif args.val:
        held = set()
    else:
        held = set()
        for idx in by_page.values():
            idx = sorted(idx, key=lambda i: order.get(names[i], i))
            held.update(idx[min(args.val_every // 2, len(idx) - 1)::args.val_every] if len(idx) > 1 else [])
    train = Lines([every.images[i] for i in range(len(names)) if i not in held],
                  [every.texts[i] for i in range(len(names)) if i not in held],
                  [names[i] for i in range(len(names)) if i not in held])
    if args.val and held_names is None:
        v = LineSet(args.val, height)
        val = Lines(v.images, v.texts, [os.path.splitext(os.path.basename(p))[0] for p in v.paths])
    else:
        val = Lines([every.images[i] for i in sorted(held)], [every.texts[i] for i in sorted(held)],
                    [names[i] for i in sorted(held)])
    return train, val, len(by_page)


def freeze_batchnorm(model):
    """Train mode for dropout, eval mode (frozen statistics) for the BatchNorms."""
    model.train()
    for m in model.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            m.eval()


def cer_of(model, codec, lines):
    if not len(lines):
        return None
    return score(lines.texts, predict(model, codec, lines.images))["cer"]


def save(path, state):
    tmp = path + ".tmp"
    torch.save(state, tmp)
    os.replace(tmp, path)  # a kill during save never leaves a broken checkpoint


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    device = pick_device(args.device)
    work = os.path.join(args.out, ".training")
    os.makedirs(work, exist_ok=True)
    stop = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.append(1))  # finish the step, evaluate, keep the best, export
    parent = os.getppid()
    t_start = time.time()
    deadline = t_start + 60 * args.minutes

    base_model, base_charset, base_manifest = load_model_dir(args.base)
    height = base_manifest["input"]["height"]
    resumed = load_state(os.path.join(work, "last.pt")) if args.resume else None
    if args.resume and resumed is None:
        raise SystemExit(f"--resume: nothing to resume in {work}")
    train, val, n_pages = split_lines(args, height, resumed["val_names"] if resumed else None)
    if not len(train):
        raise SystemExit(f"no training lines in {args.lines}")
    if resumed:
        codec = Codec(resumed["charset"])
    else:
        codec = Codec(base_charset + sorted({c for t in train.texts for c in t} - set(base_charset)))
    new_chars = codec.charset[len(base_charset):]
    config = dict(base_model.config, n_classes=len(codec.charset) + 1)
    model = build(config)
    if resumed:
        model.load_state_dict(resumed["model"])
    else:
        extend_classes(model, base_model.state_dict(), base_charset, codec)
    model.to(device)
    before = resumed["before_val_cer"] if resumed else cer_of(base_model, Codec(base_charset), val)
    del base_model
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.wd)
    step, best, history, since_best, prior_minutes = 0, float("inf"), [], 0, 0.0
    rng = random.Random(args.seed)
    if resumed:
        opt.load_state_dict(resumed["optimizer"])
        step, best, history = resumed["step"], resumed["best_val_cer"], resumed["history"]
        prior_minutes = resumed["trained_minutes"]
        rng.setstate(resumed["rng"])
    if not os.path.exists(os.path.join(work, "best.pt")):
        best = float("inf")
    widths = [im.shape[1] for im in train.images]
    emit("start", lines=len(train), val_lines=len(val), pages=n_pages, new_characters="".join(new_chars),
         before_val_cer=before, minutes=args.minutes, resumed_at=step if resumed else None,
         base=base_manifest.get("id"), device=str(device))
    log(f"fine-tuning {base_manifest.get('id')} on {len(train)} lines ({n_pages} page(s)), {len(val)} held back; "
        f"new characters: {''.join(new_chars) or 'none'}; base val CER {before}")

    warm_from = step  # a resumed run warms up again (a fresh time window for its cosine)
    train_end = deadline - FINAL_RESERVE_S

    def lr_factor(_):
        warm = min(1.0, (step - warm_from + 1) / args.warmup)
        progress = (time.time() - t_start) / max(1.0, train_end - t_start)
        return warm * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress))))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_factor)
    ctc = torch.nn.CTCLoss(blank=0, reduction="mean", zero_infinity=True)

    def minutes_left():
        return round(max(0.0, deadline - time.time()) / 60, 2)

    def state():
        return dict(model=to_cpu(model.state_dict()), optimizer=to_cpu(opt.state_dict()), model_config=config,
                    charset=codec.charset, step=step, best_val_cer=best, history=history, rng=rng.getstate(),
                    val_names=val.names, before_val_cer=before,
                    trained_minutes=round(prior_minutes + (time.time() - t_start) / 60, 2),
                    base=dict(id=base_manifest.get("id"), version=base_manifest.get("version")))

    def evaluate(loss_avg):
        nonlocal best, since_best
        cer = cer_of(model, codec, val)
        entry = dict(step=step, loss=None if math.isnan(loss_avg) else round(loss_avg, 4), val_cer=cer,
                     minutes_left=minutes_left())
        history.append(entry)
        if cer is None or cer < best:
            best, since_best = (cer if cer is not None else best), 0
            save(os.path.join(work, "best.pt"), state())
        else:
            since_best += 1
        save(os.path.join(work, "last.pt"), state())
        emit("eval", **entry, best_val_cer=None if best == float("inf") else best)

    if not resumed and len(val):
        # Step 0 is a candidate too: a run that never beats the base keeps the base's weights.
        evaluate(float("nan"))
    freeze_batchnorm(model)
    loss_sum = loss_n = lines_done = 0
    t_eval, steps_at_eval, t_train = time.time(), step, 0.0
    reason = "time"
    while True:
        order = bucket_batches(widths, args.batch, args.max_pixels, rng)
        for batch in order:
            if args.stop_with_parent and os.getppid() != parent:  # the app that started us is gone
                stop.append(1)
            if stop:
                reason = "cancelled"
                break
            if time.time() >= train_end:
                reason = "time"
                break
            if args.max_steps and step >= args.max_steps:
                reason = "steps"
                break
            t0 = time.time()
            x, frames = collate([contrast(to_input(augment(train.images[i], rng)), rng) for i in batch])
            targets = [codec.encode(train.texts[i]) for i in batch]
            logp = model(x.to(device)).float()
            loss = ctc(logp.cpu() if device.type != "cpu" else logp, torch.tensor([c for t in targets for c in t]),
                       frames, torch.tensor([len(t) for t in targets]))
            optimizer_step(loss, opt, model.parameters(), 5.0, None)
            sched.step()
            step += 1
            loss_sum, loss_n, lines_done = loss_sum + loss.item(), loss_n + 1, lines_done + len(batch)
            t_train += time.time() - t0
            if step % 10 == 0:
                emit("step", step=step, loss=round(loss_sum / loss_n, 4), lines_per_s=round(lines_done / t_train, 1),
                     minutes_left=minutes_left())
            if step - steps_at_eval >= args.eval_steps or time.time() - t_eval >= args.eval_seconds:
                evaluate(loss_sum / loss_n)
                freeze_batchnorm(model)
                loss_sum = loss_n = 0
                t_eval, steps_at_eval = time.time(), step
                if since_best >= args.patience:
                    reason = "early"
                    break
        else:
            continue
        break
    if loss_n or len(history) <= (0 if resumed else 1):
        evaluate(loss_sum / max(loss_n, 1))
    best_state = load_state(os.path.join(work, "best.pt"))
    model.load_state_dict(best_state["model"])
    model.to("cpu").eval()
    after = best_state["best_val_cer"] if best_state["best_val_cer"] != float("inf") else None
    info = write_model(args, model, codec, base_manifest, new_chars, train, val, n_pages, before, after,
                       best_state, reason)
    if not args.no_check and len(val) and node_runtime_available():
        if not check(model, os.path.join(args.out, "model.onnx"), os.path.join(work, "check-lines"), height):
            raise SystemExit("the exported ONNX does not match torch")
    emit("done", reason=reason, cancelled=reason == "cancelled", step=step, before_val_cer=before,
         after_val_cer=after, best_step=best_state["step"], out=os.path.abspath(args.out),
         peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024), **info)


def write_model(args, model, codec, base, new_chars, train, val, n_pages, before, after, best_state, reason):
    out = args.out
    export(model, os.path.join(out, "model.onnx"), model.config["height"])
    # a few held-back lines for the export check (onnxruntime-node reads PNGs through LineSet)
    chk = os.path.join(out, ".training", "check-lines")
    shutil.rmtree(chk, ignore_errors=True)
    os.makedirs(chk)
    from PIL import Image
    for k, (im, t) in enumerate(list(zip(val.images, val.texts))[:6]):
        Image.fromarray(im).save(os.path.join(chk, f"l{k}.png"))
        with open(os.path.join(chk, f"l{k}.gt.txt"), "w", encoding="utf-8") as f:
            f.write(t + "\n")
    today = datetime.date.today().isoformat()
    model_id = args.id or os.path.basename(os.path.abspath(out))
    manifest = {k: v for k, v in base.items() if k not in ("metrics", "training", "lineage", "version")}
    lineage = dict(base=dict(id=base.get("id"), version=base.get("version")),
                   lines=len(train), val_lines=len(val), pages=n_pages, date=today,
                   new_characters="".join(new_chars), steps=best_state["step"],
                   minutes=best_state["trained_minutes"], lr=args.lr, stopped=reason,
                   recipe="native-models/recipes/htr/finetune.py")
    if base.get("lineage"):
        lineage["base_lineage"] = base["lineage"]
    manifest.update(
        id=model_id,
        name=args.name or f"{base.get('name', base.get('id'))} — fine-tuned on {n_pages} page(s)",
        version=f"{today}-step-{best_state['step']}",
        description=f"Fine-tuned from {base.get('id')} ({base.get('version', '?')}) on {len(train)} corrected lines of "
                    f"{n_pages} page(s). Made for that collection's hand: on other hands it is usually worse "
                    "than its base.",
        file="model.onnx",
        charset=codec.charset,
        lineage=lineage,
        metrics=dict(heldBackLines=len(val), heldBackCerBefore=before, heldBackCerAfter=after,
                     measuredOn="held-back corrected lines, greedy decoding"),
    )
    dec = base.get("decoder")
    if dec and dec.get("lm") and os.path.exists(os.path.join(args.base, dec["lm"])):
        if os.path.abspath(args.base) != os.path.abspath(out):
            shutil.copyfile(os.path.join(args.base, dec["lm"]), os.path.join(out, dec["lm"]))
    else:
        manifest.pop("decoder", None)
    tmp = os.path.join(out, "model.json.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
    os.replace(tmp, os.path.join(out, "model.json"))
    with open(os.path.join(out, "MODEL_CARD.md"), "w", encoding="utf-8") as f:
        f.write(model_card(manifest, lineage, before, after))
    return dict(id=model_id, lines=len(train), val_lines=len(val), pages=n_pages)


def pct(x):
    return "–" if x is None else f"{100 * x:.1f}%"


def model_card(manifest, lineage, before, after):
    b = lineage["base"]
    no_gain = ("\n\n**No evaluation beat the base model on the held-back lines: this model has the base's "
               "weights** (with output classes for any new characters). More corrected pages, or more time, may help."
               if lineage["steps"] == 0 else "")
    return f"""# {manifest['name']}

`{manifest['id']}` — fine-tuned from `{b['id']}` ({b.get('version') or 'no version'}) on {lineage['date']}
with `native-models/recipes/htr/finetune.py`.

| | |
|---|---|
| training lines | {lineage['lines']} from {lineage['pages']} page(s) |
| held-back lines (every 10th of each page, never trained on) | {lineage['val_lines']} |
| new characters | {lineage['new_characters'] or 'none'} |
| steps (best) / minutes | {lineage['steps']} / {lineage['minutes']} |
| learning rate | {lineage['lr']:g} (warm-up, cosine over the time budget) |
| stopped by | {lineage['stopped']} |

## Character error rate on the held-back lines (greedy decoding)

| | CER |
|---|---|
| `{b['id']}` before fine-tuning | {pct(before)} |
| this model | {pct(after)} |

The held-back lines are few: the figure is a guide, not a benchmark.{no_gain}

## Use

Made for the hand (and conventions) of the pages it was trained on. On other
hands it is usually **worse** than its base model: keep using the base for other
collections. Careful reading uses `{manifest.get('decoder', {}).get('lm', 'no language model')}`
(the base's character language model plus this collection's text).
"""


if __name__ == "__main__":
    sys.exit(main())

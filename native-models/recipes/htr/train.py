"""Train the CRNN-CTC line recogniser on folders of NAME.png + NAME.gt.txt.

  nice -n 19 env OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1 \
      /usr/bin/python3 train.py [--resume] [options]

Checkpoints: <out>/ckpt/last.pt (every --save-minutes and at each evaluation;
model + optimizer + schedule + position in the epoch, so --resume continues
where it stopped) and <out>/ckpt/best.pt (lowest validation CER).
Log: <out>/train.log, one JSON object per evaluation.
"""
import argparse
import json
import math
import os
import random
import signal
import sys
import time

import torch

from data import LineSet, augment, bucket_batches, collate, contrast
from evaluate import predict
from lineimg import HI_PCT, LO_PCT, MIN_RANGE, MIN_WIDTH, to_input
from metrics import score
from model import Codec, build


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", default="work/lines/train")
    ap.add_argument("--val", default="work/lines/val")
    ap.add_argument("--regression", default="/work/shared/corpus/htr-lines",
                    help="cut, unstretched lines (stretched on load); '' to skip")
    ap.add_argument("--out", default="work")
    ap.add_argument("--resume", action="store_true", help="continue from <out>/ckpt/last.pt")
    ap.add_argument("--height", type=int, default=48)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--max-pixels", type=int, default=16 * 900, help="batch count x padded width cap")
    ap.add_argument("--lr", type=float, default=1.5e-3)
    ap.add_argument("--wd", type=float, default=0.01)
    ap.add_argument("--warmup", type=int, default=300, help="steps")
    ap.add_argument("--epochs", type=int, default=80, help="cosine horizon and stop")
    ap.add_argument("--eval-minutes", type=float, default=10)
    ap.add_argument("--save-minutes", type=float, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0, help="smoke test: use N lines per set")
    ap.add_argument("--max-steps", type=int, default=0, help="smoke test: stop after N steps")
    return ap.parse_args()


def save(path, state):
    tmp = path + ".tmp"
    torch.save(state, tmp)
    os.replace(tmp, path)  # a kill during save never leaves a broken last.pt


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    ckpt_dir = os.path.join(args.out, "ckpt")
    os.makedirs(ckpt_dir, exist_ok=True)
    log_path = os.path.join(args.out, "train.log")
    resumed = torch.load(os.path.join(ckpt_dir, "last.pt"), map_location="cpu") if args.resume else None
    height = resumed["model_config"]["height"] if resumed else args.height

    t0 = time.time()
    train = LineSet(args.train, height)
    val = LineSet(args.val, height) if args.val else None
    reg = LineSet(args.regression, height, stretch=True) if args.regression else None
    if args.limit:
        for s in filter(None, (train, val, reg)):
            for attr in ("paths", "texts", "groups", "images"):
                setattr(s, attr, getattr(s, attr)[: args.limit])
    codec = Codec(resumed["charset"]) if resumed else Codec.from_texts(train.texts)
    lost = sorted({c for t in train.texts for c in t} - set(codec.charset))
    print(f"loaded {len(train)} train, {len(val) if val else 0} val, {len(reg) if reg else 0} regression lines "
          f"in {time.time() - t0:.0f}s; charset {len(codec.charset)} (+blank)"
          + (f"; NOT in the checkpoint's charset: {''.join(lost)}" if lost else ""), flush=True)

    config = resumed["model_config"] if resumed else dict(
        n_classes=len(codec.charset) + 1, height=height, hidden=args.hidden, dropout=0.2)
    model = build(config)
    print(f"parameters: {sum(p.numel() for p in model.parameters()):,}", flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.wd)
    widths = [im.shape[1] for im in train.images]
    rng = random.Random(args.seed)
    steps_per_epoch = len(bucket_batches(widths, args.batch, args.max_pixels, random.Random(0)))
    total = args.epochs * steps_per_epoch

    def lr_factor(step):  # linear warm-up, cosine to 5 %
        warm = min(1.0, (step + 1) / args.warmup)
        return warm * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(1.0, step / total))))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_factor)
    step, epoch, order, pos, best = 0, 0, None, 0, float("inf")
    if resumed:
        model.load_state_dict(resumed["model"])
        opt.load_state_dict(resumed["optimizer"])
        sched.load_state_dict(resumed["scheduler"])
        step, epoch, order, pos = resumed["step"], resumed["epoch"], resumed["order"], resumed["pos"]
        best = resumed["best_val_cer"]
        rng.setstate(resumed["rng"])
        print(f"resumed at step {step}, epoch {epoch}, batch {pos}/{len(order) if order else 0}", flush=True)
    ctc = torch.nn.CTCLoss(blank=0, reduction="mean", zero_infinity=True)

    def state():
        return dict(model=model.state_dict(), optimizer=opt.state_dict(), scheduler=sched.state_dict(),
                    model_config=config, charset=codec.charset, step=step, epoch=epoch, order=order,
                    pos=pos, best_val_cer=best, rng=rng.getstate(), args=vars(args),
                    preprocess=dict(lo_pct=LO_PCT, hi_pct=HI_PCT, min_range=MIN_RANGE,
                                    min_width=MIN_WIDTH, invert=True, scale=1 / 255, mean=0.0, std=1.0))

    stop = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.append(1))  # finish the step, save, exit

    def evaluate(loss_avg, lines_per_s):
        nonlocal best
        entry = dict(time=time.strftime("%Y-%m-%dT%H:%M:%S"), step=step, epoch=round(epoch + pos / max(len(order or [1]), 1), 3),
                     loss=round(loss_avg, 4), lr=round(sched.get_last_lr()[0], 6), lines_per_s=round(lines_per_s, 2))
        for name, s in (("val", val), ("regression", reg)):
            if s:
                hyps = predict(model, codec, s.images)
                r = score(s.texts, hyps, s.groups)
                entry[f"{name}_cer"], entry[f"{name}_wer"] = r["cer"], r["wer"]
                entry[f"{name}_cer_by_group"] = r.get("by_group")
                print(f"  {name} sample: {s.texts[0]!r} -> {hyps[0]!r}", flush=True)
        with open(log_path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
        print(json.dumps(entry, ensure_ascii=False), flush=True)
        if val and entry["val_cer"] < best:
            best = entry["val_cer"]
            save(os.path.join(ckpt_dir, "best.pt"), state())
        save(os.path.join(ckpt_dir, "last.pt"), state())

    model.train()
    last_eval = last_save = time.time()
    train_time, lines_done, loss_sum, loss_n = 0.0, 0, 0.0, 0
    while epoch < args.epochs and not stop:
        if order is None:
            order, pos = bucket_batches(widths, args.batch, args.max_pixels, rng), 0
        while pos < len(order) and not stop:
            t_step = time.time()
            batch = order[pos]
            x, frames = collate([contrast(to_input(augment(train.images[i], rng)), rng) for i in batch])
            targets = [codec.encode(train.texts[i]) for i in batch]
            logp = model(x)
            loss = ctc(logp, torch.tensor([c for t in targets for c in t]), frames,
                       torch.tensor([len(t) for t in targets]))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            sched.step()
            step, pos = step + 1, pos + 1
            train_time += time.time() - t_step
            lines_done += len(batch)
            loss_sum, loss_n = loss_sum + loss.item(), loss_n + 1
            if step % 50 == 0:
                print(f"step {step} epoch {epoch} {pos}/{len(order)} loss {loss_sum / loss_n:.3f} "
                      f"lr {sched.get_last_lr()[0]:.2e} {lines_done / train_time:.1f} lines/s", flush=True)
            now = time.time()
            if now - last_eval >= args.eval_minutes * 60 or (args.max_steps and step >= args.max_steps):
                evaluate(loss_sum / max(loss_n, 1), lines_done / max(train_time, 1e-9))
                train_time, lines_done, loss_sum, loss_n = 0.0, 0, 0.0, 0
                last_eval = last_save = time.time()
            elif now - last_save >= args.save_minutes * 60:
                save(os.path.join(ckpt_dir, "last.pt"), state())
                last_save = time.time()
            if args.max_steps and step >= args.max_steps:
                stop.append(1)
        if pos >= len(order):
            epoch, order, pos = epoch + 1, None, 0
    if loss_n and not stop:  # finished all epochs: a last evaluation
        evaluate(loss_sum / loss_n, lines_done / max(train_time, 1e-9))
    else:  # killed (or smoke test): only save, so that --resume goes on from here
        save(os.path.join(ckpt_dir, "last.pt"), state())
    print("stopped" if stop else "done", flush=True)


if __name__ == "__main__":
    sys.exit(main())

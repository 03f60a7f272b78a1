"""Train the layout detector on an `htr-studio export --format yolo` dataset.

  nice -n 19 env OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1 \\
      /usr/bin/python3 train.py [--data work/data/data.yaml] [--resume] [options]

Checkpoints: <out>/ckpt/last.pt (every --save-minutes, at each evaluation and on
SIGTERM/SIGINT: model, EMA, optimizer, schedule, step, position in the epoch and
random state, so --resume continues where it stopped) and <out>/ckpt/best.pt
(highest validation line F1). Log: <out>/train.log, one JSON object per
evaluation (every --eval-minutes, on the validation split and, if given, on the
--regression export).
"""
import argparse
import json
import math
import os
import signal
import sys
import time

import numpy as np
import torch

from data import PageSet, read_data_yaml, sample, to_tensor_batch
from evaluate import evaluate
from loss import compute_loss
from model import STRIDES, build


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="work/data/data.yaml")
    ap.add_argument("--regression", default="work/regression/data.yaml", help="an export scored at each evaluation ('' to skip)")
    ap.add_argument("--out", default="work")
    ap.add_argument("--resume", action="store_true", help="continue from <out>/ckpt/last.pt")
    ap.add_argument("--imgsz", type=int, default=1024, help="inference input (square), and the page scale of training windows")
    ap.add_argument("--window", default="640x768", help="training window HxW (pixels at --imgsz scale)")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--wd", type=float, default=0.05)
    ap.add_argument("--warmup", type=int, default=150, help="steps")
    ap.add_argument("--epochs", type=int, default=250, help="passes over the training pages: cosine horizon and stop")
    ap.add_argument("--ema", type=float, default=0.999)
    ap.add_argument("--eval-minutes", type=float, default=20)
    ap.add_argument("--save-minutes", type=float, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0, help="smoke test: N pages per split")
    ap.add_argument("--max-steps", type=int, default=0, help="smoke test: stop (and evaluate) after N steps")
    return ap.parse_args()


def save(path, state):
    tmp = path + ".tmp"
    torch.save(state, tmp)
    os.replace(tmp, path)  # a kill during save never leaves a broken checkpoint


class Ema:
    """Exponential moving average of the weights (as Ultralytics: decay ramps up over ~2000 steps)."""

    def __init__(self, model, decay, updates=0):
        self.model = build(model.config)
        self.model.load_state_dict(model.state_dict())
        self.model.eval()
        self.decay, self.updates = decay, updates

    @torch.no_grad()
    def update(self, model):
        self.updates += 1
        d = self.decay * (1 - math.exp(-self.updates / 2000))
        msd = model.state_dict()
        for k, v in self.model.state_dict().items():
            if v.dtype.is_floating_point:
                v.mul_(d).add_(msd[k].detach(), alpha=1 - d)
            else:
                v.copy_(msd[k])


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    ckpt_dir = os.path.join(args.out, "ckpt")
    os.makedirs(ckpt_dir, exist_ok=True)
    log_path = os.path.join(args.out, "train.log")
    resumed = torch.load(os.path.join(ckpt_dir, "last.pt"), map_location="cpu") if args.resume else None
    window = tuple(int(v) for v in args.window.lower().split("x"))
    imgsz = resumed["imgsz"] if resumed else args.imgsz

    t0 = time.time()
    _, names, splits = read_data_yaml(args.data)
    if resumed and resumed["names"] != names:
        raise SystemExit("the dataset's class names differ from the checkpoint's")
    train = PageSet(splits["train"], names, args.limit)
    val = PageSet(splits["val"], names, args.limit) if "val" in splits else None
    reg = None
    if args.regression and os.path.exists(args.regression):
        _, rnames, rsplits = read_data_yaml(args.regression)
        if rnames == names:
            reg = PageSet(rsplits["val"], names, args.limit)
    nobj = sum(len(c) for c in train.classes)
    print(f"loaded {len(train)} train ({nobj} objects), {len(val) if val else 0} val, {len(reg) if reg else 0} regression pages "
          f"in {time.time() - t0:.0f}s; {len(names)} classes; {sum(train.has_zones(i) for i in range(len(train)))} train pages with zones",
          flush=True)

    config = resumed["model_config"] if resumed else {"nc": len(names), "width": [16, 32, 64, 96, 128], "depth": [0, 2, 2, 1]}
    model = build(config)
    model.config = config
    print(f"parameters: {sum(p.numel() for p in model.parameters()):,}", flush=True)
    decay, no_decay = [], []
    for n, p in model.named_parameters():
        (no_decay if p.ndim <= 1 else decay).append(p)  # no weight decay on BN and biases
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.wd}, {"params": no_decay, "weight_decay": 0.0}], lr=args.lr)
    steps_per_epoch = max(1, len(train) // args.batch)
    total = args.epochs * steps_per_epoch

    def lr_factor(step):  # linear warm-up, cosine to 5 %
        warm = min(1.0, (step + 1) / args.warmup)
        return warm * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(1.0, step / total))))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_factor)
    rng = np.random.default_rng(args.seed)
    step, epoch, order, pos, best = 0, 0, None, 0, -1.0
    ema = Ema(model, args.ema)
    if resumed:
        model.load_state_dict(resumed["model"])
        ema = Ema(model, args.ema, resumed["ema_updates"])
        ema.model.load_state_dict(resumed["ema"])
        opt.load_state_dict(resumed["optimizer"])
        sched.load_state_dict(resumed["scheduler"])
        step, epoch, order, pos, best = resumed["step"], resumed["epoch"], resumed["order"], resumed["pos"], resumed["best_val_f1"]
        rng.bit_generator.state = resumed["rng"]
        print(f"resumed at step {step}, epoch {epoch}, batch {pos}/{len(order) if order else 0}", flush=True)
    zone_ids = torch.from_numpy(train.zone_ids)
    post = {"conf": 0.25, "iou": 0.7}

    def state():
        return dict(model=model.state_dict(), ema=ema.model.state_dict(), ema_updates=ema.updates, optimizer=opt.state_dict(),
                    scheduler=sched.state_dict(), model_config=config, names=names, imgsz=imgsz, strides=list(STRIDES),
                    step=step, epoch=epoch, order=order, pos=pos, best_val_f1=best, rng=rng.bit_generator.state,
                    args=vars(args), postprocess=dict(post), data=os.path.abspath(args.data))

    stop = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.append(1))  # finish the step, save, exit

    def run_eval(loss_avg, parts, secs_per_step):
        nonlocal best
        t = time.time()
        entry = dict(time=time.strftime("%Y-%m-%dT%H:%M:%S"), step=step, epoch=round(epoch + pos / max(len(order or [1]), 1), 2),
                     loss=round(loss_avg, 4), **{k: round(v, 4) for k, v in parts.items()}, lr=round(sched.get_last_lr()[0], 6),
                     s_per_step=round(secs_per_step, 2), pages_per_s=round(args.batch / max(secs_per_step, 1e-9), 2))
        torch.set_num_threads(args.threads)
        at = {"conf": 0.25, "iou": 0.7}
        if val and len(val):
            r = evaluate(ema.model, val, imgsz, sweep=True)
            entry["val"] = {k: r[k] for k in ("lines", "zones", "page_mean_line_f1", "seconds_per_page")}
            entry["val_best"] = r["best"]
            at = {"conf": r["best"]["conf"], "iou": r["best"]["iou"]}
            if r["best"]["lines"]["f1"] > best:
                best = r["best"]["lines"]["f1"]
                post.update(at)
                save(os.path.join(ckpt_dir, "best.pt"), state())
        if reg and len(reg):  # at the thresholds validation chose: what the exported model would do
            r = evaluate(ema.model, reg, imgsz, at["conf"], at["iou"], per_page=True)
            entry["regression"] = {k: r[k] for k in ("conf", "iou", "lines", "zones", "page_mean_line_f1", "seconds_per_page")}
            entry["regression"]["line_f1_by_page"] = {p["page"]: p["line_f1"] for p in r["per_page"]}
        entry["eval_seconds"] = round(time.time() - t, 1)
        with open(log_path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
        print(json.dumps(entry, ensure_ascii=False), flush=True)
        save(os.path.join(ckpt_dir, "last.pt"), state())

    model.train()
    last_eval = last_save = time.time()
    step_time, n_steps, loss_sum, part_sum = 0.0, 0, 0.0, {}
    while epoch < args.epochs and not stop:
        if order is None:
            order, pos = [int(i) for i in rng.permutation(len(train))], 0
        while pos + args.batch <= len(order) and not stop:
            t_step = time.time()
            idx = order[pos:pos + args.batch]
            samples = [sample(train, i, rng, window, imgsz=imgsz) for i in idx]
            x = to_tensor_batch([s[0] for s in samples])
            targets = [(torch.from_numpy(s[1]), torch.from_numpy(s[2])) for s in samples]
            has_zones = [train.has_zones(i) for i in idx]
            loss, parts = compute_loss(model(x), targets, zone_ids, has_zones)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)
            opt.step()
            sched.step()
            ema.update(model)
            step, pos = step + 1, pos + args.batch
            step_time += time.time() - t_step
            n_steps += 1
            loss_sum += float(loss)
            for k, v in parts.items():
                part_sum[k] = part_sum.get(k, 0.0) + v
            if step % 10 == 0:
                print(f"step {step} epoch {epoch} {pos}/{len(order)} loss {loss_sum / n_steps:.4f} "
                      + " ".join(f"{k} {v / n_steps:.3f}" for k, v in part_sum.items())
                      + f" lr {sched.get_last_lr()[0]:.2e} {step_time / n_steps:.2f} s/step", flush=True)
            now = time.time()
            if now - last_eval >= args.eval_minutes * 60 or (args.max_steps and step >= args.max_steps):
                run_eval(loss_sum / n_steps, {k: v / n_steps for k, v in part_sum.items()}, step_time / n_steps)
                model.train()
                step_time, n_steps, loss_sum, part_sum = 0.0, 0, 0.0, {}
                last_eval = last_save = time.time()
            elif now - last_save >= args.save_minutes * 60:
                save(os.path.join(ckpt_dir, "last.pt"), state())
                last_save = time.time()
            if args.max_steps and step >= args.max_steps:
                stop.append(1)
        if pos + args.batch > len(order):
            epoch, order, pos = epoch + 1, None, 0
    if n_steps and not stop:  # all epochs done: a last evaluation
        run_eval(loss_sum / n_steps, {k: v / n_steps for k, v in part_sum.items()}, step_time / n_steps)
    else:  # killed (or smoke test): only save, so that --resume goes on from here
        save(os.path.join(ckpt_dir, "last.pt"), state())
    print("stopped" if stop else "done", flush=True)


if __name__ == "__main__":
    sys.exit(main())

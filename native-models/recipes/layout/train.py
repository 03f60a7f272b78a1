"""Train the layout detector on an `htr-studio export --format yolo` dataset.

  nice -n 19 env OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1 \\
      /usr/bin/python3 train.py [--data work/data/data.yaml] [--resume [CKPT]] [options]

Checkpoints: <out>/ckpt/last.pt (every --save-minutes, at each evaluation and on
SIGTERM/SIGINT: model, EMA, optimizer, schedule, step, position in the epoch and
random state, so --resume continues where it stopped) and <out>/ckpt/best.pt
(highest validation line F1). Log: <out>/train.log, one JSON object per
evaluation (every --eval-minutes, on the validation split and, if given, on the
--regression export).

Devices: --device auto picks cuda when torch sees one. On cuda the training
windows are cut by --workers data-loader processes (each window seeded by
(seed, epoch, position), so a resumed run draws the same ones), the forward pass
runs under --amp (bf16 by default) and the loss in float32. On cpu the windows
are cut in the training process itself, from the run's random generator, as
before (workers would take the cores the step needs). Checkpoints hold CPU
tensors and load on either device.

Time budgets: --minutes N stops after N minutes of wall-clock (then the normal
final evaluation and save). --schedule-minutes M replaces the epoch cosine with
one over M minutes of training (counted across --resume), so that a run whose
speed is unknown beforehand (a lent GPU) still anneals to 5 % at its end;
--rewarm makes a resumed run a warm restart: warm-up again from its first step,
at --lr, and a new time schedule.
"""
import argparse
import contextlib
import json
import math
import os
import shutil
import signal
import sys
import time

import numpy as np
import torch

from data import PageSet, read_data_yaml, sample, to_tensor_batch
from evaluate import evaluate
from loss import assign, compute_loss, level_shapes, pad_targets
from model import STRIDES, build
from torchkit import grad_scaler, load_state, optimizer_step, pick_device


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="work/data/data.yaml")
    ap.add_argument("--regression", default="work/regression/data.yaml", help="an export scored at each evaluation ('' to skip)")
    ap.add_argument("--out", default="work")
    ap.add_argument("--resume", nargs="?", const="", default=None, metavar="CKPT",
                    help="continue from <out>/ckpt/last.pt, or from CKPT (e.g. checkpoint/last.pt)")
    ap.add_argument("--imgsz", type=int, default=1024, help="inference input (square), and the page scale of training windows")
    ap.add_argument("--window", default="640x768", help="training window HxW (pixels at --imgsz scale)")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--lr", type=float, default=2e-3, help="peak learning rate of a new run (or of a --rewarm restart)")
    ap.add_argument("--wd", type=float, default=0.05)
    ap.add_argument("--warmup", type=int, default=150, help="steps")
    ap.add_argument("--epochs", type=int, default=250, help="passes over the training pages: cosine horizon and stop")
    ap.add_argument("--ema", type=float, default=0.999)
    ap.add_argument("--eval-minutes", type=float, default=20)
    ap.add_argument("--save-minutes", type=float, default=5)
    ap.add_argument("--snapshots", action="store_true",
                    help="also keep each evaluation's checkpoint as <out>/ckpt/step-N.pt (to choose among them through the app)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0, help="smoke test: N pages per split")
    ap.add_argument("--max-steps", type=int, default=0, help="smoke test: stop (and evaluate) at step N (counted from the run's start)")
    ap.add_argument("--steps", type=int, default=0, help="smoke test: stop (and evaluate) after N steps of this invocation")
    ap.add_argument("--device", default="auto", help="auto (cuda when there is one), cpu or cuda")
    ap.add_argument("--workers", type=int, default=-1,
                    help="data-loader processes cutting windows; -1: none on cpu, min(12, cores - 2) on cuda")
    ap.add_argument("--prefetch", type=int, default=2, help="batches each loader worker prepares ahead")
    ap.add_argument("--amp", default="auto", choices=["auto", "bf16", "fp16", "off"], help="autocast on cuda (auto: bf16); never on cpu")
    ap.add_argument("--minutes", type=float, default=0, help="stop after N minutes of wall-clock, then evaluate and save")
    ap.add_argument("--schedule-minutes", type=float, default=0,
                    help="cosine over M minutes of training instead of over --epochs (which then no longer stops the run)")
    ap.add_argument("--rewarm", action="store_true", help="with --resume: warm restart (warm-up again, --lr as the peak, new time schedule)")
    ap.add_argument("--reset-best", action="store_true", help="with --resume: forget the checkpoint's best validation F1, "
                    "so that this run writes best.pt from its own evaluations")
    return ap.parse_args()


def save(path, state):
    tmp = path + ".tmp"
    torch.save(state, tmp)
    os.replace(tmp, path)  # a kill during save never leaves a broken checkpoint


def cpu_state(module):
    return {k: v.detach().cpu() for k, v in module.state_dict().items()}


class Ema:
    """Exponential moving average of the weights (as Ultralytics: decay ramps up over ~2000 steps)."""

    def __init__(self, model, decay, updates=0):
        self.model = build(model.config)
        self.model.load_state_dict(model.state_dict())
        self.model.to(next(model.parameters()).device).eval()
        self.decay, self.updates = decay, updates

    @torch.no_grad()
    def update(self, model):
        self.updates += 1
        d = self.decay * (1 - math.exp(-self.updates / 2000))
        msd = model.state_dict()
        mine, theirs = [], []
        for k, v in self.model.state_dict().items():
            if v.dtype.is_floating_point:
                mine.append(v)
                theirs.append(msd[k].detach())
            else:
                v.copy_(msd[k])
        torch._foreach_mul_(mine, d)  # one kernel per list on cuda, not two per tensor
        torch._foreach_add_(mine, theirs, alpha=1 - d)


def epoch_order(seed, epoch, n):
    """The page order of an epoch in data-loader mode: a function of (seed, epoch), so loader and trainer agree."""
    return [int(i) for i in np.random.default_rng([seed, epoch, 7]).permutation(n)]


class Windows(torch.utils.data.Dataset):
    """Training windows keyed by (page, epoch, position): the loader's workers cut and assign them."""

    def __init__(self, pages, window, imgsz, seed):
        self.pages, self.window, self.imgsz, self.seed = pages, window, imgsz, seed
        self.shapes = level_shapes(*window)

    def __len__(self):
        return len(self.pages)

    def __getitem__(self, key):
        i, epoch, pos = key
        rng = np.random.default_rng([self.seed, epoch, pos])
        img, boxes, cls = sample(self.pages, i, rng, self.window, imgsz=self.imgsz)
        b, c = torch.from_numpy(boxes), torch.from_numpy(cls)
        return torch.from_numpy(img), b, c, assign(b, c, self.shapes).to(torch.int32), self.pages.has_zones(i), key


def collate(items):
    x = torch.stack([it[0] for it in items])  # uint8 [B, H, W, 3]: a quarter of the bytes to the GPU
    gb, gc = pad_targets([(it[1], it[2]) for it in items])
    return x, gb, gc, torch.stack([it[3] for it in items]), [it[4] for it in items], [it[5] for it in items]


class Batches:
    """Batches of window keys from (epoch, order, pos) on, for ever (the trainer decides when to stop)."""

    def __init__(self, n, batch, seed, epoch, order, pos):
        self.n, self.batch, self.seed, self.start = n, batch, seed, (epoch, order, pos)

    def __iter__(self):
        epoch, order, pos = self.start
        while True:
            if order is None:
                order, pos = epoch_order(self.seed, epoch, self.n), 0
            while pos + self.batch <= len(order):
                yield [(order[pos + j], epoch, pos + j) for j in range(self.batch)]
                pos += self.batch
            epoch, order = epoch + 1, None


def main():
    args = parse_args()
    t_start = time.time()
    torch.set_num_threads(args.threads)
    device = pick_device(args.device)
    cuda = device.type == "cuda"
    workers = args.workers if args.workers >= 0 else (min(12, max(1, (os.cpu_count() or 2) - 2)) if cuda else 0)
    amp = {"auto": "bf16" if cuda else "off"}.get(args.amp, args.amp) if cuda else "off"
    amp_dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(amp)
    if cuda:
        torch.backends.cudnn.benchmark = True  # one window size: the fastest kernels are found once
    ckpt_dir = os.path.join(args.out, "ckpt")
    os.makedirs(ckpt_dir, exist_ok=True)
    log_path = os.path.join(args.out, "train.log")
    resume_path = (args.resume or os.path.join(ckpt_dir, "last.pt")) if args.resume is not None else None
    resumed = load_state(resume_path) if resume_path else None
    window = tuple(int(v) for v in args.window.lower().split("x"))
    imgsz = resumed["imgsz"] if resumed else args.imgsz

    t0 = time.time()
    _, names, splits = read_data_yaml(args.data)
    if resumed and resumed["names"] != names:
        raise SystemExit("the dataset's class names differ from the checkpoint's")
    train = PageSet(splits["train"], names, args.limit)
    if len(train) < args.batch:
        raise SystemExit(f"{len(train)} training pages, fewer than --batch {args.batch}")
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
    print(f"device {device}{' (' + torch.cuda.get_device_name(device) + ')' if cuda else ''}, {workers} loader workers, "
          f"amp {amp}, batch {args.batch}, torch {torch.__version__}", flush=True)

    config = resumed["model_config"] if resumed else {"nc": len(names), "width": [16, 32, 64, 96, 128], "depth": [0, 2, 2, 1]}
    model = build(config)
    model.config = config
    if resumed:
        model.load_state_dict(resumed["model"])
    model.to(device)
    print(f"parameters: {sum(p.numel() for p in model.parameters()):,}", flush=True)
    decay, no_decay = [], []
    for n, p in model.named_parameters():
        (no_decay if p.ndim <= 1 else decay).append(p)  # no weight decay on BN and biases
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.wd}, {"params": no_decay, "weight_decay": 0.0}], lr=args.lr)
    steps_per_epoch = max(1, len(train) // args.batch)
    step, epoch, order, pos, best = 0, 0, None, 0, -1.0
    warm_from = 0  # the step the warm-up counts from (a --rewarm restart: its first step)
    sched_state = {"minutes": args.schedule_minutes, "seconds": 0.0}  # time schedule: seconds trained under it

    def progress():
        """Where the cosine is, 0..1: epochs done (in whole steps, as step / total before), or time trained."""
        if args.schedule_minutes:
            return min(1.0, sched_state["seconds"] / (args.schedule_minutes * 60))
        return (epoch + min(pos // args.batch, steps_per_epoch) / steps_per_epoch) / args.epochs

    def lr_factor(_=None):  # linear warm-up, cosine to 5 %
        warm = min(1.0, (step - warm_from + 1) / args.warmup)
        return warm * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress()))))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_factor)
    rng = np.random.default_rng(args.seed)
    ema = Ema(model, args.ema)
    if resumed:
        ema = Ema(model, args.ema, resumed["ema_updates"])
        ema.model.load_state_dict(resumed["ema"])
        if "optimizer" in resumed:
            opt.load_state_dict(resumed["optimizer"])
            sched.load_state_dict(resumed["scheduler"])
        elif not args.rewarm:  # a shipped checkpoint is stripped to its weights (strip_checkpoint.py)
            raise SystemExit(f"{resume_path} holds weights only (no optimizer state): resume it with --rewarm")
        step, epoch, order, pos, best = resumed["step"], resumed["epoch"], resumed.get("order"), resumed.get("pos", 0), resumed["best_val_f1"]
        if resumed.get("rng"):
            rng.bit_generator.state = resumed["rng"]
        old = resumed.get("time_schedule")
        if args.schedule_minutes and old and not args.rewarm and old.get("minutes") == args.schedule_minutes:
            sched_state["seconds"] = old["seconds"]
        if args.rewarm:
            warm_from = step
            sched.base_lrs = [args.lr] * len(opt.param_groups)
        if order is not None and len(order) != len(train):
            # Another dataset than the checkpoint's (a warm restart on a mix, a lent GPU's
            # pack): its page order means nothing here, so a new epoch starts.
            print(f"the checkpoint's epoch order is for {len(order)} training pages, this data has {len(train)}: a new epoch", flush=True)
            order, pos = None, 0
        if args.reset_best:
            best = -1.0
        print(f"resumed at step {step}, epoch {epoch}, batch {pos}/{len(order) if order else 0}, from {resume_path}"
              f"{'; warm restart at lr ' + str(args.lr) if args.rewarm else ''}", flush=True)
    for g, base in zip(opt.param_groups, sched.base_lrs):  # the schedule as it stands now (the horizon may have changed)
        g["lr"] = base * lr_factor()
    zone_ids = torch.from_numpy(train.zone_ids)
    post = {"conf": 0.25, "iou": 0.7}

    def state():
        return dict(model=cpu_state(model), ema=cpu_state(ema.model), ema_updates=ema.updates, optimizer=opt.state_dict(),
                    scheduler=sched.state_dict(), model_config=config, names=names, imgsz=imgsz, strides=list(STRIDES),
                    step=step, epoch=epoch, order=order, pos=pos, best_val_f1=best, rng=rng.bit_generator.state,
                    args=vars(args), postprocess=dict(post), data=os.path.abspath(args.data),
                    time_schedule=dict(sched_state) if args.schedule_minutes else None)

    stop = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.append(1))  # finish the step, save, exit

    def run_eval(loss_avg, parts, secs_per_step):
        nonlocal best
        t = time.time()
        entry = dict(time=time.strftime("%Y-%m-%dT%H:%M:%S"), step=step, epoch=round(epoch + pos / max(len(order or [1]), 1), 2),
                     loss=round(loss_avg, 4), **{k: round(v, 4) for k, v in parts.items()}, lr=round(sched.get_last_lr()[0], 6),
                     s_per_step=round(secs_per_step, 3), pages_per_s=round(args.batch / max(secs_per_step, 1e-9), 2),
                     device=device.type, minutes=round((time.time() - t_start) / 60, 2))
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
        if args.snapshots:
            shutil.copyfile(os.path.join(ckpt_dir, "last.pt"), os.path.join(ckpt_dir, f"step-{step}.pt"))

    loader = None
    if workers:
        loader = iter(torch.utils.data.DataLoader(
            Windows(train, window, imgsz, args.seed), batch_sampler=Batches(len(train), args.batch, args.seed, epoch, order, pos),
            num_workers=workers, collate_fn=collate, pin_memory=cuda, prefetch_factor=args.prefetch, persistent_workers=False,
            # fork: the workers share the decoded pages instead of each unpickling a copy (Python 3.14 defaults to forkserver)
            multiprocessing_context="fork" if "fork" in torch.multiprocessing.get_all_start_methods() else None))

    def next_batch():
        """(images float [B,3,H,W] on the device, targets, has_zones, assigned or None) for order[pos:pos + batch]."""
        nonlocal loader
        idx = order[pos:pos + args.batch]
        if loader is not None:
            try:
                batch = next(loader)
            except (RuntimeError, OSError) as e:  # a worker killed (e.g. too little /dev/shm): go on without workers
                print(f"data loader failed ({type(e).__name__}: {e}); cutting windows in this process from now on", flush=True)
                loader = None
        if loader is None:  # in-process, from the run's generator (the CPU path)
            samples = [sample(train, i, rng, window, imgsz=imgsz) for i in idx]
            x = to_tensor_batch([s[0] for s in samples]).to(device)
            targets = [(torch.from_numpy(s[1]), torch.from_numpy(s[2])) for s in samples]
            return x, targets, [train.has_zones(i) for i in idx], None
        x, gb, gc, assigned, has_zones, keys = batch
        expect = [(i, epoch, pos + j) for j, i in enumerate(idx)]
        if [tuple(k) for k in keys] != expect:
            raise RuntimeError(f"data loader out of step with the trainer: {keys[:2]}... vs {expect[:2]}...")
        x = x.to(device, non_blocking=True).permute(0, 3, 1, 2).float().div_(255.0)
        targets = (gb.to(device, non_blocking=True), gc.to(device, non_blocking=True))
        return x, targets, has_zones, assigned.to(device, non_blocking=True).long()

    scaler = None
    if amp == "fp16":
        scaler = grad_scaler()

    def epochs_left():
        return (not args.schedule_minutes and epoch < args.epochs) or (args.schedule_minutes and progress() < 1.0)

    model.train()
    first_step = step
    last_eval = last_save = t_sched = time.time()
    step_time, n_steps, loss_sum, part_sum = 0.0, 0, 0.0, {}
    while epochs_left() and not stop:
        if order is None:
            order, pos = ([int(i) for i in rng.permutation(len(train))] if loader is None else epoch_order(args.seed, epoch, len(train))), 0
        while pos + args.batch <= len(order) and not stop:
            t_step = time.time()
            x, targets, has_zones, assigned = next_batch()
            with torch.autocast(device_type="cuda", dtype=amp_dtype, enabled=amp_dtype is not None) if cuda else contextlib.nullcontext():
                outputs = model(x)
            outputs = [(r.float(), c.float()) for r, c in outputs]
            loss, parts = compute_loss(outputs, targets, zone_ids, has_zones, assigned=assigned)
            optimizer_step(loss, opt, model.parameters(), 10.0, scaler)
            ema.update(model)
            step, pos = step + 1, pos + args.batch
            now = time.time()
            sched_state["seconds"] += now - t_sched
            t_sched = now
            sched.step()  # the learning rate of the next step, from the position just reached
            step_time += now - t_step
            n_steps += 1
            loss_sum = loss_sum + loss.detach()
            for k, v in parts.items():
                part_sum[k] = part_sum.get(k, 0.0) + v
            if step % 10 == 0:
                print(f"step {step} epoch {epoch} {pos}/{len(order)} loss {float(loss_sum) / n_steps:.4f} "
                      + " ".join(f"{k} {float(v) / n_steps:.3f}" for k, v in part_sum.items())
                      + f" lr {sched.get_last_lr()[0]:.2e} {step_time / n_steps:.3f} s/step", flush=True)
            end = ((args.max_steps and step >= args.max_steps) or (args.steps and step - first_step >= args.steps)
                   or (args.minutes and now - t_start >= args.minutes * 60)
                   or (args.schedule_minutes and progress() >= 1.0))
            if now - last_eval >= args.eval_minutes * 60 or end:
                run_eval(float(loss_sum) / n_steps, {k: float(v) / n_steps for k, v in part_sum.items()}, step_time / n_steps)
                model.train()
                step_time, n_steps, loss_sum, part_sum = 0.0, 0, 0.0, {}
                last_eval = last_save = t_sched = time.time()  # evaluations do not eat into the time schedule
            elif now - last_save >= args.save_minutes * 60:
                save(os.path.join(ckpt_dir, "last.pt"), state())
                last_save = t_sched = time.time()
            if end:
                stop.append(1)
        if pos + args.batch > len(order):
            epoch, order, pos = epoch + 1, None, 0
    if n_steps and not stop:  # all epochs done: a last evaluation
        run_eval(float(loss_sum) / n_steps, {k: float(v) / n_steps for k, v in part_sum.items()}, step_time / n_steps)
    else:  # killed (or smoke test): only save, so that --resume goes on from here
        save(os.path.join(ckpt_dir, "last.pt"), state())
    del loader  # ends the workers
    print(f"stopped after {(time.time() - t_start) / 60:.1f} min" if stop else "done", flush=True)


if __name__ == "__main__":
    sys.exit(main())

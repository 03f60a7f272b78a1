"""Train the CRNN-CTC line recogniser on folders of NAME.png + NAME.gt.txt.

  nice -n 19 env OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1 \
      /usr/bin/python3 train.py [--resume] [options]

Checkpoints: <out>/ckpt/last.pt (every --save-minutes and at each evaluation;
model + optimizer + schedule + position in the epoch, so --resume continues
where it stopped) and <out>/ckpt/best.pt (lowest validation CER).
Log: <out>/train.log, one JSON object per evaluation.

On a GPU (--device auto finds it, or --device cuda): augmentation and batching
run in --workers DataLoader processes (default 12 there; 0 = in the training
process, as always on the CPU, where workers would only take the cores the
model needs), bf16 autocast (--amp), a larger --batch/--max-pixels if asked.
--minutes N stops after N minutes (then the usual final evaluation and save);
--time-schedule spreads the cosine over those minutes instead of --epochs.
--init CKPT starts from a checkpoint's weights with a fresh optimizer and
schedule (fine-tuning after synthetic pretraining: synth_lines.py);
--charset-from LINES takes the charset from other lines' texts (pretraining on
synthetic lines with the real training set's charset).
"""
import argparse
import contextlib
import json
import math
import os
import random
import signal
import sys
import time

import torch

from data import LineSet, augment, bucket_batches, collate, contrast, line_texts
from evaluate import predict
from lineimg import HI_PCT, LO_PCT, MIN_RANGE, MIN_WIDTH, to_input
from metrics import score
from model import ARCHS, Codec, build, extend_classes
from paths import shared
from torchkit import grad_scaler, load_state, optimizer_step, pick_device, to_cpu


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", default="work/lines/train")
    ap.add_argument("--val", default="work/lines/val")
    ap.add_argument("--regression", default=shared("corpus", "htr-lines"),
                    help="cut, unstretched lines (stretched on load); '' to skip")
    ap.add_argument("--out", default="work")
    ap.add_argument("--resume", action="store_true", help="continue from <out>/ckpt/last.pt")
    ap.add_argument("--init", help="start from this checkpoint's weights (and charset, shape), fresh optimizer/schedule")
    ap.add_argument("--charset-from", help="lines (folder or .lines) whose texts make the charset (default: --train's)")
    ap.add_argument("--arch", default="crnn-s", choices=sorted(ARCHS),
                    help="network of a fresh run (model.ARCHS; --resume/--init keep their checkpoint's)")
    ap.add_argument("--height", type=int, help="input height (default: the arch's)")
    ap.add_argument("--hidden", type=int, help="LSTM units (default: the arch's)")
    ap.add_argument("--batch", type=int, help="lines per batch (16; on --resume: the checkpoint's)")
    ap.add_argument("--max-pixels", type=int,
                    help="batch count x padded width cap (16 x 900; on --resume: the checkpoint's)")
    ap.add_argument("--lr", type=float, default=1.5e-3)
    ap.add_argument("--wd", type=float, default=0.01)
    ap.add_argument("--warmup", type=int, default=300, help="steps")
    ap.add_argument("--epochs", type=int, default=80, help="cosine horizon and stop")
    ap.add_argument("--eval-minutes", type=float, default=10)
    ap.add_argument("--save-minutes", type=float, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--weight", action="append", default=[], metavar="DATASET=W",
                    help="sample the training lines of a dataset W times per epoch (0.5: half of them, 3: three "
                         "times; seeded); repeatable. Validation is never weighted")
    ap.add_argument("--limit", type=int, default=0, help="smoke test: use N lines per set")
    ap.add_argument("--max-steps", type=int, default=0, help="smoke test: stop after N steps")
    ap.add_argument("--minutes", type=float, default=0, help="stop training after N minutes (0: no limit)")
    ap.add_argument("--cpu-minutes", type=float, default=0,
                    help="stop after N minutes of this process's CPU time, all threads (0: no limit): "
                         "equal budgets for compared networks whatever else runs on the machine")
    ap.add_argument("--prior-minutes", type=float, default=0,
                    help="training time before the resumed checkpoint, for checkpoints that do not record it "
                         "(those written before trained_minutes existed)")
    ap.add_argument("--time-schedule", action="store_true",
                    help="cosine over --minutes of wall-clock instead of --epochs (with --minutes)")
    ap.add_argument("--teacher", help="a trained checkpoint whose per-frame posteriors the network also learns "
                    "(knowledge distillation; any network of model.ARCHS: all have one frame per 4 px)")
    ap.add_argument("--kd-weight", type=float, default=1.0, help="weight of the distillation loss beside CTC's")
    ap.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    ap.add_argument("--workers", type=int, default=-1,
                    help="DataLoader processes for augmentation (-1: 12 on cuda, 0 on cpu)")
    ap.add_argument("--amp", default="auto", choices=("auto", "bf16", "fp16", "off"),
                    help="autocast on cuda (auto: bf16); never on cpu")
    args = ap.parse_args()
    if args.time_schedule and not (args.minutes or args.cpu_minutes):
        ap.error("--time-schedule needs --minutes or --cpu-minutes")
    if args.resume and args.init:
        ap.error("--resume or --init, not both")
    return args


class AugmentedBatches(torch.utils.data.Dataset):
    """Batch k of an epoch's order, augmented and collated (in a DataLoader
    worker). Its own RNG per (seed, epoch, batch): the same batches whatever
    the number of workers."""

    def __init__(self, images, order, seed):
        self.images, self.order, self.seed = images, order, seed

    def __len__(self):
        return len(self.order)

    def __getitem__(self, k):
        rng = random.Random(self.seed * 1_000_003 + k)
        return collate([contrast(to_input(augment(self.images[i], rng)), rng) for i in self.order[k]])


def weigh(lines, specs, seed):
    """Lines repeated or thinned per dataset (group), in place: a fine-tune toward some
    hands without dropping the others. Images are shared, not copied; each copy is
    augmented afresh when drawn."""
    weights = {}
    for spec in specs:
        name, _, w = spec.partition("=")
        try:
            weights[name] = float(w)
        except ValueError:
            raise SystemExit(f"--weight {spec}: expected DATASET=NUMBER")
        if weights[name] < 0:
            raise SystemExit(f"--weight {spec}: the weight must be 0 or more")
    unknown = sorted(set(weights) - set(lines.groups))
    if unknown:
        raise SystemExit(f"--weight: no training lines of {', '.join(unknown)} (datasets: {', '.join(sorted(set(lines.groups)))})")
    rng = random.Random(seed)
    keep = []
    for i, g in enumerate(lines.groups):
        w = weights.get(g, 1.0)
        keep.extend([i] * (int(w) + (1 if rng.random() < w - int(w) else 0)))
    before = len(lines.images)
    for attr in ("paths", "texts", "groups", "images"):
        setattr(lines, attr, [getattr(lines, attr)[i] for i in keep])
    print(f"weighted: {before} training lines drawn as {len(keep)} per epoch ({', '.join(f'{k}x{v:g}' for k, v in sorted(weights.items()))})", flush=True)


class Teacher:
    """Knowledge distillation from a trained network: the student also learns the
    teacher's distribution over classes at every frame (KL divergence, averaged over
    the lines' own frames). A CTC network from scratch spends its first CPU hours
    emitting only blanks; the teacher's frames tell it where each character is from
    the first step. Every network here has one frame per 4 px, so frames line up;
    the teacher's classes are reordered to the student's charset."""

    def __init__(self, path, codec, device):
        ckpt = load_state(path)
        self.model = build(ckpt["model_config"]).to(device)
        self.model.load_state_dict(ckpt["model"])
        self.model.eval()
        for p in self.model.parameters():
            p.requires_grad_(False)
        index = {ch: i + 1 for i, ch in enumerate(ckpt["charset"])}
        missing = [ch for ch in codec.charset if ch not in index]
        if missing:
            raise SystemExit(f"--teacher {path} lacks classes of this charset: {''.join(missing)!r}; "
                             "distil from a network that reads these characters, or train without --teacher")
        self.order = torch.tensor([0] + [index[ch] for ch in codec.charset], device=device)
        print(f"distilling from {path} (step {ckpt.get('step')}, {sum(p.numel() for p in self.model.parameters()):,} "
              f"parameters)", flush=True)

    def loss(self, x, logp, frames):
        with torch.no_grad():
            t_logp = self.model(x).float().index_select(-1, self.order)
            t_logp = t_logp - torch.logsumexp(t_logp, dim=-1, keepdim=True)  # classes the student lacks: none
        mask = (torch.arange(logp.shape[0])[:, None] < frames[None, :]).to(logp.device)  # [T, B]
        kl = (t_logp.exp() * (t_logp - logp)).sum(-1)
        return (kl * mask).sum() / mask.sum().clamp(min=1)


def amp_dtype(args, device, model, ctc, n_classes):
    """The autocast dtype on cuda (None: fp32), after one trial step: a
    combination this GPU/torch cannot run falls back to fp32 with a warning."""
    if device.type != "cuda" or args.amp == "off":
        return None
    dtype = torch.float16 if args.amp == "fp16" else torch.bfloat16
    saved = {k: v.clone() for k, v in model.state_dict().items()}  # the trial must not move BN statistics
    try:
        x = torch.rand(2, 1, model.config["height"], 128, device=device)
        with torch.autocast("cuda", dtype=dtype):
            logp = model(x).float()
        targets = (torch.tensor([1, 2, 1, 2]) % (n_classes - 1) + 1).to(device)
        ctc(logp, targets, torch.tensor([32, 32]), torch.tensor([2, 2])).backward()
        return dtype
    except RuntimeError as e:
        print(f"autocast {dtype} failed ({str(e).splitlines()[0]}): training in fp32", flush=True)
        return None
    finally:
        model.zero_grad(set_to_none=True)
        model.load_state_dict(saved)


def save(path, state):
    tmp = path + ".tmp"
    torch.save(state, tmp)
    os.replace(tmp, path)  # a kill during save never leaves a broken last.pt


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    device = pick_device(args.device)
    workers = args.workers if args.workers >= 0 else (min(12, max(1, (os.cpu_count() or 2) - 2))
                                                      if device.type == "cuda" else 0)
    ckpt_dir = os.path.join(args.out, "ckpt")
    os.makedirs(ckpt_dir, exist_ok=True)
    log_path = os.path.join(args.out, "train.log")
    resumed = load_state(os.path.join(ckpt_dir, "last.pt")) if args.resume else None
    init = load_state(args.init) if args.init else None
    # batch shape: the checkpoint's on --resume (its step-based schedule assumes it)
    prev = (resumed or {}).get("args") or {}
    args.batch = args.batch or prev.get("batch") or 16
    args.max_pixels = args.max_pixels or prev.get("max_pixels") or 16 * 900
    arch = dict(ARCHS[args.arch], **{k: v for k, v in (("height", args.height), ("hidden", args.hidden)) if v})
    height = resumed["model_config"]["height"] if resumed else init["model_config"]["height"] if init else arch["height"]

    t0 = time.time()
    train = LineSet(args.train, height)
    val = LineSet(args.val, height) if args.val else None
    reg = LineSet(args.regression, height, stretch=True) if args.regression else None
    if args.limit:
        for s in filter(None, (train, val, reg)):
            for attr in ("paths", "texts", "groups", "images"):
                setattr(s, attr, getattr(s, attr)[: args.limit])
    if args.weight:
        weigh(train, args.weight, args.seed)
    charset_texts = line_texts(args.charset_from)[0] if args.charset_from else train.texts
    if resumed:
        codec = Codec(resumed["charset"])
    elif init:  # the init checkpoint's classes first, then any new character of these lines
        codec = Codec(init["charset"] + sorted({c for t in charset_texts for c in t} - set(init["charset"])))
    else:
        codec = Codec.from_texts(charset_texts)
    lost = sorted({c for t in train.texts for c in t} - set(codec.charset))
    print(f"loaded {len(train)} train, {len(val) if val else 0} val, {len(reg) if reg else 0} regression lines "
          f"in {time.time() - t0:.0f}s; charset {len(codec.charset)} (+blank)"
          + (f"; NOT in the checkpoint's charset: {''.join(lost)}" if lost else ""), flush=True)

    config = resumed["model_config"] if resumed else dict(init["model_config"], n_classes=len(codec.charset) + 1) \
        if init else dict(arch, n_classes=len(codec.charset) + 1, dropout=0.2)
    model = build(config)
    config = model.config  # with its blocks and layers: the checkpoint builds without ARCHS
    if init:
        extend_classes(model, init["model"], init["charset"], codec)
        print(f"initialised from {args.init} (step {init.get('step')}; "
              f"{len(codec.charset) - len(init['charset'])} new classes)", flush=True)
    model.to(device)
    print(f"parameters: {sum(p.numel() for p in model.parameters()):,}; device {device}, "
          f"{workers} augmentation workers, batch {args.batch} / {args.max_pixels} px", flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.wd)
    widths = [im.shape[1] for im in train.images]
    rng = random.Random(args.seed)
    steps_per_epoch = len(bucket_batches(widths, args.batch, args.max_pixels, random.Random(0)))
    total = args.epochs * steps_per_epoch

    t_start = time.time()
    # CPU seconds of this run's training steps (evaluations not counted): --cpu-minutes
    cpu_used = [(resumed or {}).get("cpu_seconds", 0.0)]
    # The model's whole training, across --resume and --init (a fine-tune goes on from
    # its init's minutes and steps); --prior-minutes for checkpoints that predate it.
    base = resumed or init
    prior_minutes = base.get("trained_minutes", args.prior_minutes) if base else 0
    # Steps before this run's step 0: the init's own total (a resumed run keeps its step count).
    base_steps = (resumed or {}).get("base_steps", 0) if not init else init.get("base_steps", 0) + init.get("step", 0)

    def lr_factor(step):  # linear warm-up, cosine to 5 % (over the epochs, or over --minutes)
        warm = min(1.0, (step + 1) / args.warmup)
        progress = (cpu_used[0] / (60 * args.cpu_minutes) if args.cpu_minutes else
                    (time.time() - t_start) / (60 * args.minutes)) if args.time_schedule else step / total
        return warm * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress))))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_factor)
    step, epoch, order, pos, best = 0, 0, None, 0, float("inf")
    if resumed and "optimizer" not in resumed:
        # A shipped, weights-only checkpoint (strip_checkpoint.py): the step, epoch and
        # schedule go on from where it stopped; AdamW's moments start afresh.
        model.load_state_dict(resumed["model"])
        step, epoch = resumed["step"], resumed.get("epoch", 0)
        best = resumed.get("best_val_cer", float("inf"))
        sched.last_epoch = step
        for group in opt.param_groups:
            group["lr"] = args.lr * lr_factor(step)
        print(f"resumed at step {step}, epoch {epoch} (weights only: fresh optimizer state)", flush=True)
    elif resumed:
        model.load_state_dict(resumed["model"])
        opt.load_state_dict(resumed["optimizer"])
        for group in opt.param_groups:  # keys a newer/older torch's AdamW expects
            for k, v in opt.defaults.items():
                group.setdefault(k, v)
        sched.load_state_dict(resumed["scheduler"])
        step, epoch, order, pos = resumed["step"], resumed["epoch"], resumed["order"], resumed["pos"]
        best = resumed["best_val_cer"]
        rng.setstate(resumed["rng"])
        print(f"resumed at step {step}, epoch {epoch}, batch {pos}/{len(order) if order else 0}", flush=True)
        if order and max(i for b in order for i in b) >= len(train):  # other (fewer) lines than the checkpoint's
            print("the checkpoint's epoch order does not fit these lines: a new epoch starts", flush=True)
            order, pos = None, 0
    ctc = torch.nn.CTCLoss(blank=0, reduction="mean", zero_infinity=True)
    teacher = Teacher(args.teacher, codec, device) if args.teacher else None
    dtype = amp_dtype(args, device, model, ctc, config["n_classes"])
    scaler = None
    if dtype == torch.float16:
        scaler = grad_scaler()
    if device.type == "cuda":
        print(f"autocast: {dtype or 'off (fp32)'}; GPU {torch.cuda.get_device_name(device)}", flush=True)

    def state():  # tensors on the CPU: a checkpoint written on a GPU loads anywhere
        return dict(model=to_cpu(model.state_dict()), optimizer=to_cpu(opt.state_dict()),
                    scheduler=sched.state_dict(),
                    model_config=config, charset=codec.charset, step=step, epoch=epoch, order=order,
                    pos=pos, best_val_cer=best, rng=rng.getstate(), args=vars(args), trained_minutes=trained_minutes(), base_steps=base_steps,
                    cpu_seconds=cpu_used[0],
                    preprocess=dict(lo_pct=LO_PCT, hi_pct=HI_PCT, min_range=MIN_RANGE,
                                    min_width=MIN_WIDTH, invert=True, scale=1 / 255, mean=0.0, std=1.0))

    stop = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.append(1))  # finish the step, save, exit

    def trained_minutes():  # wall-clock of the whole run, across resumes (pauses included)
        return round(prior_minutes + (time.time() - t_start) / 60, 1)

    def evaluate(loss_avg, lines_per_s):
        nonlocal best
        entry = dict(time=time.strftime("%Y-%m-%dT%H:%M:%S"), step=step, epoch=round(epoch + pos / max(len(order or [1]), 1), 3),
                     loss=round(loss_avg, 4), lr=round(sched.get_last_lr()[0], 6), lines_per_s=round(lines_per_s, 2),
                     trained_minutes=trained_minutes(), total_steps=base_steps + step,
                     cpu_minutes=round(cpu_used[0] / 60, 2))
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
    timed_out = False
    batches, pending = None, []  # workers: one DataLoader over this and the next epochs' orders
    while epoch < args.epochs and not stop:
        if order is None:
            order, pos = (pending.pop(0) if pending else bucket_batches(widths, args.batch, args.max_pixels, rng)), 0
        if workers and batches is None:
            # this epoch's remaining batches and up to 7 more epochs' (their orders drawn now: on this
            # path the RNG only draws orders), augmented ahead in worker processes; a DataLoader
            # per epoch would restart its workers every few seconds on a GPU
            pending = [bucket_batches(widths, args.batch, args.max_pixels, rng)
                       for _ in range(min(7, args.epochs - epoch - 1))]
            seq = order[pos:] + [b for o in pending for b in o]
            source = AugmentedBatches(train.images, seq, args.seed * 7919 + epoch * 104_729 + pos)
            batches = iter(torch.utils.data.DataLoader(source, batch_size=None, shuffle=False, num_workers=workers,
                                                       pin_memory=device.type == "cuda", prefetch_factor=4))
        while pos < len(order) and not stop:
            t_step, cpu_step = time.time(), time.process_time()
            batch = order[pos]
            if batches is not None:
                x, frames = next(batches)
            else:
                x, frames = collate([contrast(to_input(augment(train.images[i], rng)), rng) for i in batch])
            targets = [codec.encode(train.texts[i]) for i in batch]
            if device.type == "cpu":
                logp = model(x)
            else:
                with torch.autocast(device.type, dtype=dtype) if dtype else contextlib.nullcontext():
                    logp = model(x.to(device, non_blocking=True)).float()
            flat = torch.tensor([c for t in targets for c in t])
            loss = ctc(logp, flat if device.type == "cpu" else flat.to(device), frames,
                       torch.tensor([len(t) for t in targets]))
            if teacher:
                loss = loss + args.kd_weight * teacher.loss(x, logp, frames)
            optimizer_step(loss, opt, model.parameters(), 5.0, scaler)
            sched.step()
            step, pos = step + 1, pos + 1
            train_time += time.time() - t_step
            cpu_used[0] += time.process_time() - cpu_step
            lines_done += len(batch)
            # on a GPU no .item() per step (it waits for the GPU): summed there, read at the prints
            loss_sum, loss_n = loss_sum + (loss.item() if device.type == "cpu" else loss.detach()), loss_n + 1
            if step % 50 == 0:
                print(f"step {step} epoch {epoch} {pos}/{len(order)} loss {float(loss_sum) / loss_n:.3f} "
                      f"lr {sched.get_last_lr()[0]:.2e} {lines_done / train_time:.1f} lines/s", flush=True)
            now = time.time()
            if now - last_eval >= args.eval_minutes * 60 or (args.max_steps and step >= args.max_steps):
                evaluate(float(loss_sum) / max(loss_n, 1), lines_done / max(train_time, 1e-9))
                train_time, lines_done, loss_sum, loss_n = 0.0, 0, 0.0, 0
                last_eval = last_save = time.time()
            elif now - last_save >= args.save_minutes * 60:
                save(os.path.join(ckpt_dir, "last.pt"), state())
                last_save = time.time()
            if args.max_steps and step >= args.max_steps:
                stop.append(1)
            if args.minutes and now - t_start >= 60 * args.minutes:
                timed_out = True
                break
            if args.cpu_minutes and cpu_used[0] >= 60 * args.cpu_minutes:
                print(f"--cpu-minutes {args.cpu_minutes:g} reached", flush=True)
                timed_out = True
                break
        if pos >= len(order):
            epoch, order, pos = epoch + 1, None, 0
            if not pending:
                batches = None  # all its epochs consumed: ends the workers
        if timed_out:
            print(f"time budget reached at step {step}", flush=True)
            break
    batches = None  # ends the workers
    if loss_n and not stop:  # finished all epochs or the time budget: a last evaluation
        evaluate(float(loss_sum) / loss_n, lines_done / max(train_time, 1e-9))
    else:  # killed (or smoke test): only save, so that --resume goes on from here
        save(os.path.join(ckpt_dir, "last.pt"), state())
    print("stopped" if stop else "done", flush=True)


if __name__ == "__main__":
    sys.exit(main())

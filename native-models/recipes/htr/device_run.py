"""The one prepared script for a lent GPU machine (the `device` tool's `run`).

Run from the repository root there (device_run.sh calls this), with the line
pack carried (pack_lines.py -> native-models/recipes/htr/work/pack):

  bash native-models/recipes/htr/device_run.sh --minutes 7                    # resume checkpoint/last.pt
  bash native-models/recipes/htr/device_run.sh --mode scratch --minutes 7     # A: real lines from scratch
  bash native-models/recipes/htr/device_run.sh --mode scratch --minutes 7 --synthetic-minutes 2   # B
  bash native-models/recipes/htr/device_run.sh --ab --minutes 7 --synthetic-minutes 1.5  # A and B, 3.5 min each

Modes:
  resume   checkpoint/last.pt (model, optimizer, schedule, step; its batch size)
           goes on with `train.py --epochs 40 --resume` for --minutes.
  scratch  a fresh model on the real lines for --minutes, cosine over those
           minutes (--time-schedule), --batch/--lr for a GPU.
  --synthetic-minutes M (scratch): first render --synth-lines synthetic lines
           (synth_lines.py, the pack's fonts, the training texts), pretrain a
           fresh model on them for M minutes (the real lines' charset), then
           fine-tune on the real lines (--init) for --minutes - M.
  --ab     A (scratch, real only) and B (synthetic then real) one after the other,
           --minutes / 2 each, so that they compare at equal training time; the
           better one on validation CER is exported.
Then: evaluation (val + regression) of the exported checkpoint (best.pt of the
last phase where it exists, else last.pt), ONNX export on the CPU with the
torch-vs-onnxruntime check (Python's onnxruntime where node is missing), and
copies to --out ($OUT): model.onnx, model.json, last.pt, best.pt (if any),
train.log (every phase's evaluations, with "phase"), run.log, summary.json.
It runs on the CPU too (--device cpu --max-steps 3: the recipe's test).
"""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=7, help="training time in all (wall-clock)")
    ap.add_argument("--mode", choices=("resume", "scratch"),
                    help="default: resume; scratch with --synthetic-minutes or --ab")
    ap.add_argument("--synthetic-minutes", type=float, default=0, help="scratch: pretrain on synthetic lines first")
    ap.add_argument("--ab", action="store_true", help="A (real only) vs B (synthetic then real), --minutes/2 each")
    ap.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    ap.add_argument("--pack", default=os.path.join(HERE, "work/pack"))
    ap.add_argument("--checkpoint", default=os.path.join(HERE, "checkpoint/last.pt"), help="resume: start from")
    ap.add_argument("--epochs", type=int, default=40, help="resume: the run's --epochs (its cosine horizon)")
    ap.add_argument("--out", default=os.environ.get("OUT") or os.path.join(HERE, "work/device-out"))
    ap.add_argument("--work", default="/tmp/htr-device", help="scratch space (checkpoints, synthetic lines)")
    ap.add_argument("--batch", type=int, default=48, help="scratch/synthetic phases (resume keeps the checkpoint's)")
    ap.add_argument("--lr", type=float, default=2.5e-3, help="scratch/synthetic phases")
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--eval-minutes", type=float, default=1.0)
    ap.add_argument("--synth-lines", type=int, default=16000, help="synthetic lines rendered (≈ 2.4x the real set)")
    ap.add_argument("--workers", type=int, default=-1, help="train.py --workers (-1: 12 on cuda, 0 on cpu)")
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: 4 on cuda, 2 on cpu)")
    ap.add_argument("--max-steps", type=int, default=0, help="tests: stop each phase after N steps")
    ap.add_argument("--python", default=sys.executable)
    args = ap.parse_args()
    if args.mode is None:
        args.mode = "scratch" if args.ab or args.synthetic_minutes > 0 else "resume"
    if args.mode == "resume" and (args.ab or args.synthetic_minutes > 0):
        ap.error("--ab and --synthetic-minutes train from scratch: not with --mode resume")
    if args.synthetic_minutes >= (args.minutes / 2 if args.ab else args.minutes):
        ap.error("--synthetic-minutes must leave time for the real lines")
    return args


class Runner:
    def __init__(self, args):
        self.args = args
        os.makedirs(args.out, exist_ok=True)
        self.log = open(os.path.join(args.out, "run.log"), "a", encoding="utf-8")
        self.times = {}
        self.failed = []

    def say(self, msg):
        line = f"[device_run {time.strftime('%H:%M:%S')}] {msg}"
        print(line, flush=True)
        self.log.write(line + "\n")
        self.log.flush()

    def run(self, name, script, *argv, must=True):
        """Runs a recipe script, its output to stdout and run.log; a failure ends
        everything (must) or returns None (evaluation, export: the checkpoints
        are copied to --out whatever happens to them)."""
        cmd = [self.args.python, os.path.join(HERE, script), *[str(a) for a in argv]]
        self.say(f"{name}: {' '.join(cmd)}")
        t0 = time.time()
        env = dict(os.environ, PYTHONUNBUFFERED="1", OMP_WAIT_POLICY="PASSIVE")
        p = subprocess.Popen(cmd, cwd=HERE, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        out = []
        for line in p.stdout:
            sys.stdout.write(line)
            self.log.write(line)
            out.append(line)
        p.wait()
        self.log.flush()
        self.times[name] = round(time.time() - t0, 1)
        if p.returncode != 0:
            self.say(f"{name} failed with exit code {p.returncode}")
            self.failed.append(name)
            if must:
                sys.exit(p.returncode)
            return None
        return "".join(out)


def device_name(args):
    if args.device != "auto":
        return args.device
    import torch
    return "cuda" if torch.cuda.is_available() else "cpu"


def main():
    args = parse_args()
    r = Runner(args)
    t_all = time.time()
    dev = device_name(args)
    threads = args.threads or (4 if dev == "cuda" else 2)
    pack = os.path.abspath(args.pack)
    train_set, val_set, reg_set = (os.path.join(pack, n + ".lines") for n in ("train", "val", "regression"))
    missing = [p for p in (train_set, val_set) if not os.path.exists(p)]
    if missing:
        sys.exit(f"missing {missing}: run pack_lines.py here and carry {os.path.relpath(pack)}")
    if not os.path.exists(reg_set):
        reg_set = ""
    if os.path.exists(args.work):
        shutil.rmtree(args.work)
    os.makedirs(args.work)
    r.say(f"device {dev}, {args.minutes:g} min, mode {args.mode}, synthetic {args.synthetic_minutes:g} min, "
          f"ab {args.ab}, pack {pack}")
    common = ["--val", val_set, "--regression", reg_set, "--device", dev, "--threads", threads,
              "--workers", args.workers, "--eval-minutes", args.eval_minutes, "--save-minutes", 100]
    if args.max_steps:
        common += ["--max-steps", args.max_steps]
    fresh = ["--batch", args.batch, "--max-pixels", args.batch * 900, "--lr", args.lr, "--warmup", args.warmup,
             "--epochs", 100000, "--time-schedule"]

    def phase_out(name):
        return os.path.join(args.work, name)

    def real_scratch(name, minutes):
        r.run(name, "train.py", "--train", train_set, "--out", phase_out(name), "--minutes", minutes,
              *fresh, *common)
        return phase_out(name)

    def synthetic_then_real(name, minutes):
        synth = os.path.join(args.work, "synth.lines")
        if not os.path.exists(synth):
            fonts = sorted(glob.glob(os.path.join(pack, "fonts", "*")))
            r.run("render-synthetic", "synth_lines.py", "--texts", train_set, "--n", args.synth_lines,
                  "--pack", synth, "--workers", max(1, (os.cpu_count() or 2) - (1 if dev == "cuda" else 0)),
                  *(["--fonts", *fonts] if fonts else []))
        pre = phase_out(name + "-synthetic")
        r.run(name + "-synthetic", "train.py", "--train", synth, "--charset-from", train_set, "--out", pre,
              "--minutes", args.synthetic_minutes, *fresh, *common)
        r.run(name + "-real", "train.py", "--train", train_set, "--init", os.path.join(pre, "ckpt/last.pt"),
              "--out", phase_out(name + "-real"), "--minutes", max(0.05, minutes - args.synthetic_minutes),
              *fresh, *common)
        return phase_out(name + "-real")

    finals = {}  # arm -> its last phase's folder
    if args.mode == "resume":
        out = phase_out("resume")
        os.makedirs(os.path.join(out, "ckpt"))
        shutil.copy2(args.checkpoint, os.path.join(out, "ckpt/last.pt"))
        r.run("resume", "train.py", "--resume", "--epochs", args.epochs, "--train", train_set, "--out", out,
              "--minutes", args.minutes, *common)
        finals["resume"] = out
    elif args.ab:
        half = args.minutes / 2
        finals["A"] = real_scratch("A", half)
        finals["B"] = synthetic_then_real("B", half) if args.synthetic_minutes > 0 else real_scratch("B", half)
    elif args.synthetic_minutes > 0:
        finals["B"] = synthetic_then_real("B", args.minutes)
    else:
        finals["A"] = real_scratch("A", args.minutes)

    # every phase's evaluations, in one log
    with open(os.path.join(args.out, "train.log"), "w", encoding="utf-8") as f:
        for log in sorted(glob.glob(os.path.join(args.work, "*", "train.log"))):
            phase = os.path.basename(os.path.dirname(log))
            for line in open(log, encoding="utf-8"):
                if line.strip():
                    f.write(json.dumps(dict(phase=phase, **json.loads(line)), ensure_ascii=False) + "\n")

    results = {}
    for arm, out in finals.items():
        best = os.path.join(out, "ckpt/best.pt")
        ckpt = best if os.path.exists(best) else os.path.join(out, "ckpt/last.pt")
        res = {"checkpoint": os.path.relpath(ckpt, args.work)}
        for name, folder in (("val", val_set), ("regression", reg_set)):
            if folder:
                text = r.run(f"evaluate-{arm}-{name}", "evaluate.py", ckpt, folder, "--device", dev,
                             "--threads", threads, must=False)
                if text:
                    e = json.loads(text.strip().splitlines()[-1])
                    res[name] = {k: e.get(k) for k in ("cer", "wer", "lines", "by_group", "step")}
        results[arm] = res
    chosen = min(results, key=lambda a: results[a].get("val", {}).get("cer", 1.0))
    out = finals[chosen]
    ckpt = os.path.join(args.work, results[chosen]["checkpoint"])
    for name in ("last.pt", "best.pt"):  # first the checkpoints: they are the run
        if os.path.exists(os.path.join(out, "ckpt", name)):
            shutil.copy2(os.path.join(out, "ckpt", name), os.path.join(args.out, name))
    export = os.path.join(args.work, "export")
    r.run("export", "export_onnx.py", ckpt, "--out", export, "--check", val_set, must=False)
    for name in ("model.onnx", "model.json"):
        if os.path.exists(os.path.join(export, name)):
            shutil.copy2(os.path.join(export, name), os.path.join(args.out, name))
    summary = dict(device=dev, gpu=gpu_name(dev), minutes=args.minutes, mode=args.mode, ab=args.ab,
                   synthetic_minutes=args.synthetic_minutes, exported=chosen, results=results,
                   seconds=r.times, failed=r.failed, total_seconds=round(time.time() - t_all, 1),
                   synthetic_lines=args.synth_lines if args.synthetic_minutes > 0 else 0,
                   batch=None if args.mode == "resume" else args.batch, lr=None if args.mode == "resume" else args.lr)
    with open(os.path.join(args.out, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, ensure_ascii=False, indent=1)
    r.say("summary: " + json.dumps({a: {k: v.get("cer") for k, v in res.items() if isinstance(v, dict)}
                                    for a, res in results.items()}) + f"; exported {chosen}; "
          f"{summary['total_seconds']:.0f} s in all; files in {args.out}: {sorted(os.listdir(args.out))}"
          + (f"; FAILED: {r.failed}" if r.failed else ""))
    if r.failed:
        sys.exit(1)


def gpu_name(dev):
    if dev != "cuda":
        return None
    import torch
    return torch.cuda.get_device_name(0)


if __name__ == "__main__":
    main()

"""Table of the networks compared at equal CPU time (train.py --arch … --cpu-minutes N,
one run per network under <runs>/<arch>/): parameters, training speed, and the
validation CER along the way, read at the same CPU minutes for all.

  /usr/bin/python3 compare_archs.py [work/arch] [--at 15,30,45]

Prints JSON (one object per network) and a Markdown table for the model card.
"""
import argparse
import json
import os
import sys

from model import ARCHS, build


def curve(log):
    rows = [json.loads(l) for l in open(log, encoding="utf-8") if l.strip()]
    return [r for r in rows if "cpu_minutes" in r and "val_cer" in r]


def at(points, minute):
    """val CER at `minute` CPU minutes, linear between evaluations; None past the last."""
    prev = (0.0, 1.0)  # nothing learnt at 0
    for r in points:
        x, y = r["cpu_minutes"], r["val_cer"]
        if x >= minute:
            return round(prev[1] + (y - prev[1]) * (minute - prev[0]) / max(x - prev[0], 1e-9), 4)
        prev = (x, y)
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="?", default="work/arch")
    ap.add_argument("--at", default="15,30,45", help="CPU minutes to read the curves at")
    args = ap.parse_args()
    marks = [float(x) for x in args.at.split(",")]
    out = []
    for arch in sorted(ARCHS):
        log = os.path.join(args.runs, arch, "train.log")
        if not os.path.exists(log):
            continue
        pts = curve(log)
        if not pts:
            continue
        last = pts[-1]
        n_classes = 189
        params = sum(p.numel() for p in build(dict(ARCHS[arch], n_classes=n_classes, dropout=0.2)).parameters())
        wills = (last.get("val_cer_by_group") or {}).get("testaments-de-poilus")
        out.append(dict(arch=arch, params=params, steps=last["step"], cpu_minutes=last["cpu_minutes"],
                        steps_per_cpu_minute=round(last["step"] / max(last["cpu_minutes"], 1e-9), 1),
                        val_cer=last["val_cer"], wills_val_cer=wills,
                        **{f"val_cer_at_{m:g}": at(pts, m) for m in marks}))
    print(json.dumps(out, indent=1))
    print()
    print("| network | parameters | steps per CPU min | CPU min | " + " | ".join(f"val CER @{m:g} CPU min" for m in marks) + " | final val CER | wills |")
    print("|---|---|---|---|" + "---|" * len(marks) + "---|---|")
    pct = lambda x: "–" if x is None else f"{100 * x:.1f}%"
    for r in out:
        print(f"| {r['arch']} | {r['params'] / 1e6:.2f} M | {r['steps_per_cpu_minute']:.0f} | {r['cpu_minutes']:.1f} | "
              + " | ".join(pct(r[f'val_cer_at_{m:g}']) for m in marks) + f" | {pct(r['val_cer'])} | {pct(r['wills_val_cer'])} |")


if __name__ == "__main__":
    sys.exit(main())

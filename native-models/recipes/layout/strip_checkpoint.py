"""Strips a train.py checkpoint to what a warm restart, evaluation and export need
(weights, EMA weights, model config, classes, step, thresholds), dropping the optimizer
and scheduler state, the epoch order and the random state: the committed
checkpoint/last.pt is resumed only with --rewarm (a new schedule), so these are dead
weight in the repository's history (about half the file).

usage: /usr/bin/python3 strip_checkpoint.py work/ft-more/ckpt/step-8682.pt checkpoint/last.pt
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "common"))
from torchkit import save_stripped  # noqa: E402

KEEP = ("model", "ema", "ema_updates", "model_config", "names", "imgsz", "strides", "step", "epoch",
        "best_val_f1", "args", "postprocess", "data")


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    ckpt, out = save_stripped(sys.argv[1], sys.argv[2], KEEP)
    print(f"{sys.argv[2]}: kept {sorted(out)}; dropped {sorted(set(ckpt) - set(out))}")


if __name__ == "__main__":
    main()

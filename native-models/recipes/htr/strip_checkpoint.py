"""Weights-only copy of a training checkpoint, for committing with a shipped model.

  /usr/bin/python3 strip_checkpoint.py work/ft1/ckpt/best.pt checkpoint/last.pt

Keeps what the next run needs to go on from the shipped weights (model, shape,
charset, step and epoch, training minutes, the run's arguments) and drops the
optimizer state, the epoch order and the RNG: a third of the size. `train.py
--resume` continues from such a file with a fresh optimizer; `--init` and
`finetune.py` only ever need the weights.
"""
import sys

from model import WIDTH_STRIDE  # noqa: F401  (puts ../common on sys.path)
from torchkit import save_stripped

KEEP = ("model", "model_config", "charset", "step", "epoch", "best_val_cer", "args", "trained_minutes", "base_steps")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    _, slim = save_stripped(sys.argv[1], sys.argv[2], KEEP)
    print(f"{sys.argv[2]}: step {slim.get('step')} (+{slim.get('base_steps', 0)} before), weights only")


if __name__ == "__main__":
    main()

"""Greedy CER/WER of a checkpoint on a folder of NAME.png|jpg + NAME.gt.txt.

  /usr/bin/python3 evaluate.py work/ckpt/best.pt work/lines/val
  /usr/bin/python3 evaluate.py work/ckpt/best.pt ../../../../shared/corpus/htr-lines --stretch
  /usr/bin/python3 evaluate.py work/ckpt/best.pt work/pack/val.lines      # a line pack (pack_lines.py)

--stretch: the folder holds cut but not contrast-stretched lines (such as
shared/corpus/htr-lines); lines from prepare_lines.py / the app's export are
already stretched (and a .lines pack always is: --stretch is ignored for it).
--device auto (default) runs on a GPU when torch sees one. Prints one JSON object.
"""
import argparse
import json

import torch

from data import LineSet, collate, eval_batches
from lineimg import to_input
from metrics import score
from model import Codec, build
from torchkit import load_state, pick_device


def load_checkpoint(path):
    ckpt = load_state(path)
    model = build(ckpt["model_config"])
    model.load_state_dict(ckpt["model"])
    model.eval()
    return model, Codec(ckpt["charset"]), ckpt


@torch.no_grad()
def line_logprobs(model, images, max_batch=16):
    """(index, [T, C] log-probabilities of that line's own frames, on the CPU) for
    each uint8 line image, batched by width on the model's device (on a GPU:
    batches 4x larger). A generator: a caller keeps only what it needs of each."""
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    max_pixels = 24000
    if device.type != "cpu":
        max_batch, max_pixels = max_batch * 4, max_pixels * 4
    try:
        for batch in eval_batches([im.shape[1] for im in images], max_batch, max_pixels):
            x, frames = collate([to_input(images[i]) for i in batch])
            logp = model(x.to(device)).float().cpu()
            for k, i in enumerate(batch):
                yield i, logp[: int(frames[k]), k]
    finally:
        model.train(was_training)


def predict(model, codec, images, max_batch=16):
    """uint8 line images -> greedy transcriptions."""
    hyps = [None] * len(images)
    for i, logp in line_logprobs(model, images, max_batch):
        hyps[i] = codec.greedy(logp)
    return hyps


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("checkpoint")
    ap.add_argument("folder")
    ap.add_argument("--stretch", action="store_true", help="contrast-stretch lines on load")
    ap.add_argument("--show", type=int, default=0, help="print N worst lines to stderr")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    model, codec, ckpt = load_checkpoint(args.checkpoint)
    device = pick_device(args.device)
    model.to(device)
    lines = LineSet(args.folder, ckpt["model_config"]["height"], stretch=args.stretch)
    hyps = predict(model, codec, lines.images)
    result = dict(checkpoint=args.checkpoint, step=ckpt.get("step"), folder=args.folder, device=str(device),
                  **score(lines.texts, hyps, lines.groups))
    unknown = sorted({ch for t in lines.texts for ch in t} - set(codec.charset))
    result["chars_not_in_charset"] = "".join(unknown)
    if args.show:
        from metrics import edit_distance
        worst = sorted(zip(lines.texts, hyps, lines.paths),
                       key=lambda r: -edit_distance(r[0], r[1]) / max(len(r[0]), 1))
        for ref, hyp, path in worst[: args.show]:
            print(f"{path}\n  ref: {ref}\n  hyp: {hyp}", file=__import__("sys").stderr)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()

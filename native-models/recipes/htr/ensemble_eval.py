"""Greedy CER of several checkpoints read together: their per-frame posteriors
averaged (every network here has one frame per 4 px, so frames line up), then
decoded once. Measures whether an ensemble is worth shipping as one ONNX
(export_onnx.py --with).

  /usr/bin/python3 ensemble_eval.py checkpoint/last.pt work/c2p-v2/ckpt/best.pt --lines work/lines/val
  ... --weights 0.4,0.6 --mode prob|logprob

Prints one JSON object: each network alone and the ensemble, overall and per group.
"""
import argparse
import json
import math

import torch

from data import LineSet
from evaluate import line_logprobs, load_checkpoint
from metrics import score


def posteriors(model, images):
    """Per line: its [T, C] log-probabilities."""
    out = [None] * len(images)
    for i, logp in line_logprobs(model, images):
        out[i] = logp.clone()  # a view of its batch's tensor: the copy lets the batch go
    return out


def combine(parts, weights, mode):
    if mode == "logprob":
        mixed = sum(w * p for w, p in zip(weights, parts))
        return torch.log_softmax(mixed, dim=-1)
    # mixture of the distributions: log sum_i w_i p_i
    stacked = torch.stack([p + math.log(w) for w, p in zip(weights, parts)])
    return torch.logsumexp(stacked, dim=0)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("checkpoints", nargs="+")
    ap.add_argument("--lines", default="work/lines/val")
    ap.add_argument("--stretch", action="store_true")
    ap.add_argument("--weights", help="comma-separated, default equal")
    ap.add_argument("--mode", default="prob", choices=("prob", "logprob"))
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    nets = [load_checkpoint(p) for p in args.checkpoints]
    charsets = {tuple(codec.charset) for _, codec, _ in nets}
    if len(charsets) != 1:
        raise SystemExit("the checkpoints' charsets differ: their outputs cannot be averaged")
    heights = {ck["model_config"]["height"] for _, _, ck in nets}
    if len(heights) != 1:
        raise SystemExit("the checkpoints' input heights differ")
    codec = nets[0][1]
    lines = LineSet(args.lines, heights.pop(), stretch=args.stretch)
    weights = [float(w) for w in args.weights.split(",")] if args.weights else [1 / len(nets)] * len(nets)
    per_net = [posteriors(m, lines.images) for m, _, _ in nets]
    result = {}
    for path, post in zip(args.checkpoints, per_net):
        hyps = [codec.greedy(p) for p in post]
        result[path] = score(lines.texts, hyps, lines.groups)
    mixed = [codec.greedy(combine([post[i] for post in per_net], weights, args.mode)) for i in range(len(lines.texts))]
    result["ensemble"] = dict(weights=weights, mode=args.mode, **score(lines.texts, mixed, lines.groups))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""Torch plumbing both recipes share (htr/ and layout/): checkpoints that load on
Debian's torch 1.13 as on the GPU machine's torch 2.x, device choice, and one
optimiser step with gradient clipping and optional fp16 loss scaling.

Each recipe's scripts run from their own folder, here and on the GPU machine
(which receives the whole working tree). The module every script of a recipe
imports first puts this folder on sys.path: htr/model.py, layout/evaluate.py.
"""
import os

import torch


def load_state(path):
    """torch.load of the recipes' own checkpoints, onto the CPU, on torch 1.13
    (Debian) as on torch >= 2.6 (whose default weights_only=True refuses the
    Python RNG state and the argument dict the checkpoints hold)."""
    try:
        return torch.load(path, map_location="cpu", weights_only=False)
    except TypeError:  # a torch without weights_only
        return torch.load(path, map_location="cpu")


def save_stripped(src, dst, keep):
    """A copy of checkpoint `src` holding only the keys in `keep`, written
    atomically to `dst`: what a recipe commits beside a shipped model, without the
    optimiser and RNG state that would only weigh down the repository's history.
    Returns the full state and the copy."""
    state = load_state(src)
    slim = {k: state[k] for k in keep if k in state}
    tmp = dst + ".tmp"
    torch.save(slim, tmp)
    os.replace(tmp, dst)
    return state, slim


def to_cpu(obj):
    """A state dict (nested dicts/lists of tensors) with every tensor on the CPU,
    so that a checkpoint written on a GPU loads anywhere."""
    if torch.is_tensor(obj):
        return obj.detach().cpu()
    if isinstance(obj, dict):
        return {k: to_cpu(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(to_cpu(v) for v in obj)
    return obj


def pick_device(name="auto"):
    """auto: cuda when torch sees a GPU, else cpu; asking for cuda without one is an error."""
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise SystemExit(f"--device {name}: torch {torch.__version__} sees no CUDA device")
    return torch.device(name)


def grad_scaler():
    """fp16 loss scaling on cuda (torch 2.x spells it torch.amp, 1.13 torch.cuda.amp)."""
    if hasattr(torch, "amp") and hasattr(torch.amp, "GradScaler"):
        return torch.amp.GradScaler("cuda")
    return torch.cuda.amp.GradScaler()


def optimizer_step(loss, opt, params, clip, scaler=None):
    """Backward, clip the gradient norm to `clip`, step; through `scaler` when
    training in fp16 (unscaled before clipping, so the clip is in real units)."""
    opt.zero_grad(set_to_none=True)
    if scaler:
        scaler.scale(loss).backward()
        scaler.unscale_(opt)
        torch.nn.utils.clip_grad_norm_(params, clip)
        scaler.step(opt)
        scaler.update()
    else:
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, clip)
        opt.step()

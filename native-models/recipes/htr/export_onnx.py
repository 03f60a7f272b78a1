"""Export a checkpoint to model.onnx + model.json (the app's model manifest).

  /usr/bin/python3 export_onnx.py [work/ckpt/best.pt] [--out work/export]
      [--check work/lines/val]

The graph: input "image" [batch, 1, H, width] float (ink = 1, see lineimg.py),
output "logprobs" [T, batch, C] log-softmax, T = width // 4 ("TBC").
--check runs a few lines (a folder or a .lines pack) through torch and through
onnxruntime-node (the runtime the app uses; there is no onnxruntime for Python
here) and fails if any value differs by more than 1e-4. Where node or the
repository's node_modules are missing (the GPU machine of the `device` tool),
--check-runtime auto falls back to Python's onnxruntime. The export itself always
runs on the CPU, with torch's TorchScript-based exporter (dynamo=False on
torch >= 2.5, whose default changed to the dynamo exporter in 2.9).
"""
import argparse
import inspect
import json
import os
import shutil
import subprocess
import sys
import tempfile

import torch

from data import LineSet, collate
from evaluate import load_checkpoint
from lineimg import to_input
from model import WIDTH_STRIDE

OPSET = 17
ATTRIBUTION = [  # shared/corpus-train/SOURCES.md; all CC BY 4.0 (Testaments: also corpus-train-more's 94 wills)
    ("HTR-United/CREMMA-AN-TestamentsDePoilus", "CREMMA / projet Testaments de Poilus (Archives nationales), doi:10.5281/zenodo.10177106"),
    ("HTR-United/timeuscorpus", "TIME US project, Conseil des prud'hommes de Paris registers"),
    ("HTR-United/lectaurep-mariages-et-divorces", "LECTAUREP, Archives nationales (Minutier central) / Inria ALMAnaCH"),
    ("HTR-United/CREMMA-MSS-17", "CREMMA, images Gallica (BnF)"),
    ("HTR-United/CREMMA-MSS-18", "CREMMA"),
    ("HTR-United/CREMMA-MSS-19", "CREMMA"),
    ("alix-tz/peraire-ground-truth", "Digital Peraire; images Bibliothèque Sébert, Espéranto-France, Paris"),
    ("PSL-Chartes-HTR-Students/HN2021-Memorials_Jane_Lathrop_Stanford", "PSL / École des chartes students; images Stanford University Archives"),
    ("Arch-W/iForal-Dataset", "iForal project"),
    ("HTR-United/CREMMA-Medieval-LAT", "CREMMA Medieval Latin (transcriptions partly based on SCTA)"),
    ("HTRomance-Project/medieval-italian", "HTRomance; images Gallica (BnF)"),
    # shared/corpus-train-more/SOURCES.md (from session 6 on); all CC BY 4.0
    ("HTR-United/lectaurep-repertoires", "LECTAUREP, Archives nationales (Minutier central des notaires de Paris) / Inria ALMAnaCH / EPHE"),
    ("HTR-United/CREMMA-MSS-20", "CREMMA"),
    ("alix-tz/dataset-celestine-doniau-danest", "Journal de Célestine Doniau-Danest, Archives départementales de la Somme 134J94; Université de Montréal HNU2000"),
    ("PSL-Chartes-HTR-Students/TNAH-2021-Projet-Correspondance-Berlioz", "PSL / École des chartes students; images Gallica (BnF)"),
]


def export(model, path, height):
    dummy = torch.zeros(1, 1, height, 256)
    extra = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}
    torch.onnx.export(model, dummy, path, opset_version=OPSET, input_names=["image"],
                      output_names=["logprobs"],
                      dynamic_axes={"image": {0: "batch", 3: "width"}, "logprobs": {0: "frames", 1: "batch"}},
                      **extra)


def manifest(ckpt, model_id):
    pre = ckpt["preprocess"]
    return {
        "id": model_id,
        "name": "HTR Studio handwriting lines (CRNN-CTC, Latin script, fr/la/pt/it/en)",
        "family": "crnn-ctc",
        "task": "recognition",
        "format": "onnx",
        "opset": OPSET,
        "input": {
            "name": "image", "height": ckpt["model_config"]["height"], "channels": 1,
            "invert": True,
            # x = ((255 - grey) * scale - mean) / std, grey after the contrast stretch
            "normalize": {"scale": pre["scale"], "mean": pre["mean"], "std": pre["std"]},
            "pad_value": 0.0,  # in model-input units: 0 = white background
            "min_width": pre["min_width"],
            "width_stride": WIDTH_STRIDE,
            "preprocess": {
                "cut": "line polygon, outside painted white (255), greyscale",
                "contrast_stretch": {"lo_percentile": pre["lo_pct"], "hi_percentile": pre["hi_pct"],
                                     "min_range": pre["min_range"], "over": "pixels inside the polygon",
                                     "map": "lo..hi -> 0..255, clipped; outside stays 255"},
                "resize": "to height, keep aspect ratio, Lanczos",
            },
        },
        "output": {"name": "logprobs", "layout": "TBC", "log_softmax": True, "frames": "floor(width / 4)",
                   "decoding": "greedy: argmax per frame, merge repeats, drop blank; then NFC"},
        "charset": ckpt["charset"],
        "blank": 0,
        "text_normalization": "normalize.py: NFC; ’‘ʼ′´‚→' ; “”„″→\" ; ‐‑‒–—―−→- ; ſ→s ; U+F1AC→; ; "
                              "NBSP/thin spaces→space; zero-width and soft hyphen dropped; spaces collapsed",
        "training": {"step": ckpt.get("base_steps", 0) + ckpt.get("step", 0), "epoch": ckpt.get("epoch"),
                     **({"steps_before_init": ckpt["base_steps"]} if ckpt.get("base_steps") else {}),
                     "best_val_cer": ckpt.get("best_val_cer"),
                     "recipe": "native-models/recipes/htr"},
        "licence": "CC-BY-4.0",
        "attribution": [{"repository": r, "credit": c, "licence": "CC-BY-4.0"} for r, c in ATTRIBUTION],
        "citation": "HTR Studio CRNN-CTC line recogniser, trained with native-models/recipes/htr on CC BY 4.0 "
                    "ground truth from " + ", ".join(r for r, _ in ATTRIBUTION) + ".",
    }


def node_runtime_available():
    """node on the PATH and onnxruntime-node in the repository's node_modules."""
    root = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../.."))
    return bool(shutil.which("node")) and os.path.isdir(os.path.join(root, "node_modules/onnxruntime-node"))


def check_python(onnx_path, cases, refs):
    """The same comparison in Python's onnxruntime (where there is no node)."""
    import onnxruntime as ort
    session = ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
    worst = 0.0
    for x, r in zip(cases, refs):
        out = session.run(["logprobs"], {"image": x.numpy()})[0]
        if list(out.shape) != list(r.shape):
            print(f"shape {out.shape} != {r.shape}", file=sys.stderr)
            return False
        worst = max(worst, float(abs(out - r).max()))
    ok = worst <= 1e-4
    print(json.dumps({"cases": len(cases), "max_abs_diff": worst, "ok": ok, "runtime": "onnxruntime (python) "
                      + ort.__version__}), file=sys.stderr)
    return ok


def check(model, onnx_path, folder, height, n=6, runtime="auto"):
    """torch vs onnxruntime-node (or Python's onnxruntime) on n real lines, one
    at a time and batched."""
    lines = LineSet(folder, height)
    images = [to_input(im) for im in lines.images[:: max(1, len(lines) // n)][:n]]
    cases = [collate([im])[0] for im in images] + [collate(images[:3])[0]]
    with torch.no_grad():
        refs = [model(x).numpy() for x in cases]
    if runtime == "python" or (runtime == "auto" and not node_runtime_available()):
        return check_python(onnx_path, cases, refs)
    with tempfile.TemporaryDirectory() as tmp:
        for k, (x, r) in enumerate(zip(cases, refs)):
            x.numpy().astype("<f4").tofile(os.path.join(tmp, f"{k}.in"))
            r.astype("<f4").tofile(os.path.join(tmp, f"{k}.ref"))
        spec = [{"in": f"{k}.in", "ref": f"{k}.ref", "shape": list(x.shape), "ref_shape": list(r.shape)}
                for k, (x, r) in enumerate(zip(cases, refs))]
        with open(os.path.join(tmp, "cases.json"), "w") as f:
            json.dump(spec, f)
        here = os.path.dirname(os.path.abspath(__file__))
        out = subprocess.run(["node", os.path.join(here, "check_onnx.cjs"), onnx_path, tmp],
                             capture_output=True, text=True)
    print(out.stdout.strip() or out.stderr.strip(), file=sys.stderr)
    return out.returncode == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("checkpoint", nargs="?", default="work/ckpt/best.pt")
    ap.add_argument("--out", default="work/export")
    ap.add_argument("--id", default="htr-studio-crnn-lines-v1")
    ap.add_argument("--check", default="work/lines/val", help="line folder for the torch/ONNX check; '' skips")
    ap.add_argument("--check-runtime", "--runtime", dest="check_runtime", default="auto", choices=("auto", "node", "python"),
                    help="the check's runtime: onnxruntime-node (auto: where node and node_modules are) "
                         "or Python's onnxruntime")
    args = ap.parse_args()

    model, _, ckpt = load_checkpoint(args.checkpoint)
    os.makedirs(args.out, exist_ok=True)
    onnx_path = os.path.join(args.out, "model.onnx")
    export(model, onnx_path, ckpt["model_config"]["height"])
    import onnx
    onnx.checker.check_model(onnx.load(onnx_path))
    with open(os.path.join(args.out, "model.json"), "w", encoding="utf-8") as f:
        json.dump(manifest(ckpt, args.id), f, ensure_ascii=False, indent=1)
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path) / 1e6:.2f} MB) and model.json", file=sys.stderr)
    if args.check and not check(model, onnx_path, args.check, ckpt["model_config"]["height"], runtime=args.check_runtime):
        sys.exit("ONNX output differs from torch (or onnxruntime is missing)")


if __name__ == "__main__":
    main()

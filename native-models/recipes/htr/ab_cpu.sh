#!/usr/bin/env bash
# What synthetic pretraining buys, measured on the CPU at equal training steps:
#   A: E epochs of the real training lines, from scratch;
#   B: S epochs of synthetic lines (synth_lines.py), then E−S epochs of the real
#      lines from those weights (train.py --init: fresh optimiser and schedule).
# Both arms run at once, one thread each, so they share the machine's load alike
# (device_run.sh --ab is the GPU's version, by minutes). Each phase's cosine
# schedule ends with it; train.py evaluates every --eval-minutes and at the end.
# Prints one JSON line: each arm's steps, lines seen, final validation and
# regression CER, and its curve (CER by step).
#
#   nice -n 19 env OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1 \
#     bash ab_cpu.sh [--epochs 4] [--synth-epochs 1] [--synth-lines 8000] [--out work/ab]
#       [--train work/lines/train] [-- train.py options, e.g. --val DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
py="${PYTHON:-/usr/bin/python3}"
epochs=4 synth_epochs=1 synth_lines=8000 out=work/ab eval_minutes=8 train=work/lines/train
while [ $# -gt 0 ]; do
  case "$1" in
    --epochs) epochs="$2"; shift 2 ;;
    --synth-epochs) synth_epochs="$2"; shift 2 ;;
    --synth-lines) synth_lines="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --train) train="$2"; shift 2 ;;
    --eval-minutes) eval_minutes="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "ab_cpu.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$synth_epochs" -lt "$epochs" ] || { echo "ab_cpu.sh: --synth-epochs must leave epochs for the real lines" >&2; exit 2; }
[ -d "$train" ] || { echo "ab_cpu.sh: no training lines in $train (run prepare_lines.py first)" >&2; exit 2; }
mkdir -p "$out"
common=(--threads 1 --eval-minutes "$eval_minutes" "$@")
if [ ! -f "$out/synth.lines" ]; then
  "$py" synth_lines.py --texts "$train" --n "$synth_lines" --pack "$out/synth.lines" > "$out/synth.json" 2>&1
fi
"$py" train.py --train "$train" --out "$out/A" --epochs "$epochs" "${common[@]}" > "$out/A.out" 2>&1 &
a=$!
(
  "$py" train.py --train "$out/synth.lines" --charset-from "$train" --out "$out/B-synth" \
    --epochs "$synth_epochs" "${common[@]}" > "$out/B-synth.out" 2>&1
  "$py" train.py --train "$train" --init "$out/B-synth/ckpt/last.pt" --out "$out/B-real" \
    --epochs "$((epochs - synth_epochs))" "${common[@]}" > "$out/B-real.out" 2>&1
) &
b=$!
status=0
wait "$a" || status=1
wait "$b" || status=1
[ "$status" = 0 ] || { echo "ab_cpu.sh: a training failed; see $out/*.out" >&2; exit 1; }
"$py" - "$out" "$epochs" "$synth_epochs" <<'EOF'
import json, os, sys
out, epochs, synth_epochs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def log(phase):
    with open(os.path.join(out, phase, "train.log"), encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]
def arm(phases):
    offset, curve = 0, []
    for p in phases:
        r = log(p)
        curve += [dict(phase=p, step=offset + e["step"], val_cer=e.get("val_cer"), regression_cer=e.get("regression_cer")) for e in r]
        offset, last = offset + r[-1]["step"], r[-1]
    return dict(steps=offset, final_val_cer=last.get("val_cer"), final_regression_cer=last.get("regression_cer"),
                final_val_cer_by_group=last.get("val_cer_by_group"), curve=curve)
print(json.dumps(dict(epochs=epochs, synthetic_epochs=synth_epochs, A=arm(["A"]), B=arm(["B-synth", "B-real"])), ensure_ascii=False))
EOF

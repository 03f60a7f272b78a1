#!/usr/bin/env bash
# One prepared run of the layout recipe on a lent GPU machine (the `device` tool's `run`),
# from the repository root there:
#
#   bash native-models/recipes/layout/device_run.sh --minutes 6      # carry: native-models/recipes/layout/work/pack
#
# 1. trains on the carried pack (pack_data.py → work/pack; work/data if there is no pack):
#    by default a warm restart from the committed checkpoint/last.pt (--scratch: from nothing),
#    cosine over the time budget (train.py --schedule-minutes), evaluations every --eval-minutes,
#    hard stop at --minutes;
# 2. evaluates best.pt (this run's best validation snapshot) on val and, if carried, the
#    regression pages at validation's thresholds;
# 3. exports model.onnx + model.json (conf, iou: the best of step 2's sweep) and checks them against torch (onnxruntime-node where
#    node is, else Python's onnxruntime);
# 4. leaves in --out (default $OUT), as each stage ends: run.log (everything printed), train.log,
#    last.pt (resumable), best.pt, eval.json, model.onnx, model.json — 7 files, none over 16 MiB.
#
# Also runs on a CPU (tested by tests/unit/layout-recipe.test.ts):
#   bash device_run.sh --device cpu --out /tmp/o --minutes 0.5 --batch 1 --threads 1 -- --steps 2
# Options: --minutes M (6) --device D (auto) --batch B (32) --workers W (-1: train.py's choice)
#   --lr LR (1e-3 for a warm restart, 2e-3 from scratch) --eval-minutes E (2) --schedule-minutes S
#   (default 0.85·M − 0.25: loading and evaluations fit inside M) --pack DIR --out DIR --run DIR
#   (scratch folder, default a new one in /tmp) --threads N (4) --scratch; after `--`: more train.py options.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
minutes=6 device=auto batch=32 workers=-1 lr="" eval_minutes=2 schedule="" pack="" out="${OUT:-}" run="" threads=4 scratch=0
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=$2; shift 2 ;;
    --device) device=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --lr) lr=$2; shift 2 ;;
    --eval-minutes) eval_minutes=$2; shift 2 ;;
    --schedule-minutes) schedule=$2; shift 2 ;;
    --pack) pack=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --run) run=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --scratch) scratch=1; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,27p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "device_run.sh: unknown option $1 (--help)" >&2; exit 2 ;;
  esac
done
[ -n "$out" ] || { echo "device_run.sh: no --out and no \$OUT" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
exec > >(tee -a "$out/run.log") 2>&1  # the log is in $OUT even if the run is killed at its limit
tee_pid=$!
trap 'exec >&- 2>&-; wait "$tee_pid" 2>/dev/null' EXIT  # run.log complete before the caller collects it

# The Python that has torch: the GPU machine's python3, Debian's /usr/bin/python3 here.
py=${PYTHON:-}
if [ -z "$py" ]; then
  for p in python3 /usr/bin/python3; do
    if "$p" -c 'import torch' 2>/dev/null; then py=$p; break; fi
  done
fi
[ -n "$py" ] || { echo "no Python with torch" >&2; exit 2; }
export PYTHONUNBUFFERED=1

if [ -z "$pack" ]; then
  if [ -f "$here/work/pack/data.yaml" ]; then pack=$here/work/pack; else pack=$here/work/data; fi
fi
pack=$(cd "$pack" 2>/dev/null && pwd) || { echo "no data at $pack: pack_data.py first, and carry work/pack" >&2; exit 2; }
[ -f "$pack/data.yaml" ] || { echo "no $pack/data.yaml" >&2; exit 2; }
regression=""
for r in "$pack/regression/data.yaml" "$(dirname "$pack")/regression/data.yaml"; do
  if [ -f "$r" ]; then regression=$r; break; fi
done
if [ -z "$run" ]; then run=$(mktemp -d /tmp/layout-run.XXXXXX); fi
mkdir -p "$run"
run=$(cd "$run" && pwd)
if [ -z "$schedule" ]; then schedule=$(awk -v m="$minutes" 'BEGIN { s = 0.85 * m - 0.25; if (s < 0.05) s = 0.05; print s }'); fi
if [ -z "$lr" ]; then if [ "$scratch" = 1 ]; then lr=2e-3; else lr=1e-3; fi; fi
t0=$(date +%s)
stage() { echo "=== $(date -u +%H:%M:%S) +$(( $(date +%s) - t0 ))s $*"; }

stage "layout device run: $(uname -n), $("$py" -c 'import sys, torch; print(f"python {sys.version.split()[0]}, torch {torch.__version__}, cuda {torch.cuda.is_available()}")')"
command -v nvidia-smi >/dev/null && nvidia-smi -L
echo "cores $(nproc), /dev/shm $(df -h /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 " free" }')"
echo "data $pack ($(du -sh "$pack" | cut -f1)), regression ${regression:-none}, run folder $run, out $out"
echo "minutes $minutes (cosine over $schedule), device $device, batch $batch, lr $lr, $([ "$scratch" = 1 ] && echo 'from scratch' || echo "warm restart from checkpoint/last.pt")"

cd "$here" || exit 2
resume=()
if [ "$scratch" = 0 ]; then resume=(--resume "$here/checkpoint/last.pt" --rewarm --reset-best); fi
stage "train"
# SIGTERM one minute past the budget, should anything hang: train.py then saves and exits.
timeout --signal=TERM --kill-after=60 "$(awk -v m="$minutes" 'BEGIN { print int(m * 60 + 60) }')" \
  "$py" train.py --data "$pack/data.yaml" --regression "$regression" --out "$run" "${resume[@]}" \
  --device "$device" --batch "$batch" --workers "$workers" --lr "$lr" --threads "$threads" \
  --minutes "$minutes" --schedule-minutes "$schedule" --eval-minutes "$eval_minutes" --save-minutes 2 "${extra[@]}"
train_rc=$?
for f in ckpt/last.pt ckpt/best.pt train.log; do [ -f "$run/$f" ] && cp "$run/$f" "$out/"; done
if [ "$train_rc" = 124 ] && [ -f "$run/ckpt/last.pt" ]; then
  stage "train.py stopped by the safety timeout (SIGTERM); it saved last.pt: going on"
elif [ "$train_rc" != 0 ]; then
  stage "train.py failed ($train_rc)"; exit "$train_rc"
fi
ckpt=$run/ckpt/best.pt
[ -f "$ckpt" ] || ckpt=$run/ckpt/last.pt

stage "evaluate $(basename "$ckpt")"
"$py" evaluate.py "$ckpt" --data "$pack/data.yaml" --sweep --per-page --device "$device" --threads "$threads" --out "$run/eval-val.json" > /dev/null || exit 3
read -r conf iou < <("$py" -c 'import json, sys; b = json.load(open(sys.argv[1]))["best"]; print(b["conf"], b["iou"])' "$run/eval-val.json")
if [ -n "$regression" ]; then
  "$py" evaluate.py "$ckpt" --data "$regression" --conf "$conf" --iou "$iou" --per-page --device "$device" --threads "$threads" \
    --out "$run/eval-regression.json" > /dev/null || exit 3
fi
"$py" - "$run" "$out/eval.json" <<'PY'
import json, os, sys
run, dest = sys.argv[1:]
res = {k: json.load(open(os.path.join(run, f"eval-{k}.json"))) for k in ("val", "regression") if os.path.exists(os.path.join(run, f"eval-{k}.json"))}
json.dump(res, open(dest, "w"), indent=1)
v = res["val"]
print(f"val: line F1 {v['best']['lines']['f1']} (P {v['best']['lines']['precision']}, R {v['best']['lines']['recall']}, "
      f"page mean {v['best']['page_mean_line_f1']}) at conf {v['best']['conf']}, iou {v['best']['iou']}; step {v['step']}")
if "regression" in res:
    r = res["regression"]
    print(f"regression: page mean line F1 {r['page_mean_line_f1']}: " + ", ".join(f"{p['page']} {p['line_f1']}" for p in r["per_page"]))
PY

stage "export ONNX"
"$py" export_onnx.py "$ckpt" --out "$run/export" --conf "$conf" --iou "$iou" --check "$pack/data.yaml" --threads "$threads" || exit 4
cp "$run/export/model.onnx" "$run/export/model.json" "$out/"
stage "done: $(cd "$out" && ls | tr '\n' ' ')"

"""Post-processing and scores, written to match the app so that the figures here are
the figures the app will show:
* decoding and NMS as electron/common/layout/yolo-post.ts (best class per cell
  >= conf, class-aware greedy NMS, max detections);
* line P/R/F1 as electron/common/layout/score.ts (axis-aligned boxes, IoU >= 0.5,
  greedy matching by IoU, each box matched once; nothing vs nothing = 1).
"""
import numpy as np


def iou_matrix(a, b):
    """IoU of boxes a [n,4] against b [m,4] (x1 y1 x2 y2)."""
    if not len(a) or not len(b):
        return np.zeros((len(a), len(b)), np.float32)
    iw = np.clip(np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0]), 0, None)
    ih = np.clip(np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1]), 0, None)
    inter = iw * ih
    area = lambda x: (x[:, 2] - x[:, 0]) * (x[:, 3] - x[:, 1])  # noqa: E731
    union = area(a)[:, None] + area(b)[None, :] - inter
    return np.where(union > 0, inter / np.maximum(union, 1e-9), 0)


def postprocess(boxes, scores, conf=0.25, iou=0.7, max_det=300, pre_nms=4000):
    """boxes [N,4], scores [N,nc] (after sigmoid) → (boxes [K,4], score [K], class [K])."""
    cls = scores.argmax(1)
    best = scores[np.arange(len(scores)), cls]
    keep = best >= conf
    boxes, best, cls = boxes[keep], best[keep], cls[keep]
    order = np.argsort(-best, kind="stable")[:pre_nms]
    boxes, best, cls = boxes[order], best[order], cls[order]
    kept = []
    suppressed = np.zeros(len(boxes), bool)
    for i in range(len(boxes)):
        if suppressed[i]:
            continue
        kept.append(i)
        if len(kept) >= max_det:
            break
        rest = np.arange(i + 1, len(boxes))
        rest = rest[(~suppressed[rest]) & (cls[rest] == cls[i])]
        if len(rest):
            suppressed[rest[iou_matrix(boxes[i:i + 1], boxes[rest])[0] > iou]] = True
    kept = np.array(kept, dtype=np.int64)
    return boxes[kept], best[kept], cls[kept]


def match(pred, gt, thr=0.5):
    """True positives of greedy one-to-one matching at IoU >= thr."""
    m = iou_matrix(pred, gt)
    ii, jj = np.nonzero((m >= thr) & (m > 0))
    order = np.argsort(-m[ii, jj], kind="stable")
    used_p, used_g, tp = set(), set(), 0
    for k in order:
        i, j = ii[k], jj[k]
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        tp += 1
    return tp


def prf(tp, n_pred, n_gt):
    p = tp / n_pred if n_pred else (0.0 if n_gt else 1.0)
    r = tp / n_gt if n_gt else (0.0 if n_pred else 1.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f

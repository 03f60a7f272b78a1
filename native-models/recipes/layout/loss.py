"""Target assignment and loss.

Assignment (aspect-aware, FCOS-like, one level per object):
* level by the box's SHORT side (input px): < 48 → stride 8, < 128 → 16, else 32.
  A 900x20 line goes to stride 8 (its height decides how finely it must be
  placed); a page-high zone to stride 32. Long side never matters, thanks to the
  uncapped distance parameterisation (model.py).
* positive cells: centres within the box's central half along each axis, but at
  least +/- half a stride around the centre, so a 15 px line still gets a row of
  cells and a 600 px line gets ~40 along its length.
* a cell claimed by several objects takes the smallest (touching lines, a line
  inside a zone on the same level).

Loss: GIoU + L1 on log-distances for positives; varifocal BCE for classes with
the IoU of the cell's own box as the positive target. Zone classes are masked
out on pages without any zone label (datasets annotated for lines only).
"""
import torch
import torch.nn.functional as F

from model import STRIDES, grid

LEVEL_LIMITS = (48.0, 128.0)


def level_of(boxes):
    short = torch.minimum(boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1])
    return (short >= LEVEL_LIMITS[0]).long() + (short >= LEVEL_LIMITS[1]).long()


def assign(gt_boxes, gt_cls, shapes):
    """Per image: gt boxes [M,4], classes [M]; shapes: [(h, w)] per level.
    Returns (assigned object index [N] or -1, N = all cells of all levels)."""
    if not len(gt_boxes):
        return torch.full((sum(h * w for h, w in shapes),), -1, dtype=torch.long)
    out = []
    lv = level_of(gt_boxes)
    for li, ((h, w), s) in enumerate(zip(shapes, STRIDES)):
        cx, cy = grid(h, w, s)
        idx = torch.full((h * w,), -1, dtype=torch.long)
        sel = (lv == li).nonzero().flatten()
        if len(sel):
            b = gt_boxes[sel]
            bw, bh = b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]
            ocx, ocy = (b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2
            rx = torch.maximum(bw * 0.25, torch.full_like(bw, s * 0.5))
            ry = torch.maximum(bh * 0.25, torch.full_like(bh, s * 0.5))
            pos = ((cx[None] - ocx[:, None]).abs() <= rx[:, None]) & ((cy[None] - ocy[:, None]).abs() <= ry[:, None])
            area = torch.where(pos, (bw * bh)[:, None], torch.full_like(pos, float("inf"), dtype=torch.float32))
            best_area, best = area.min(0)
            idx = torch.where(torch.isfinite(best_area), sel[best], idx)
        out.append(idx)
    return torch.cat(out)


def giou(a, b):
    """Aligned GIoU and IoU of x1y1x2y2 boxes [K,4]."""
    iw = (torch.minimum(a[:, 2], b[:, 2]) - torch.maximum(a[:, 0], b[:, 0])).clamp(min=0)
    ih = (torch.minimum(a[:, 3], b[:, 3]) - torch.maximum(a[:, 1], b[:, 1])).clamp(min=0)
    inter = iw * ih
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    union = area_a + area_b - inter + 1e-6
    iou = inter / union
    cw = torch.maximum(a[:, 2], b[:, 2]) - torch.minimum(a[:, 0], b[:, 0])
    ch = torch.maximum(a[:, 3], b[:, 3]) - torch.minimum(a[:, 1], b[:, 1])
    hull = cw * ch + 1e-6
    return iou - (hull - union) / hull, iou


def compute_loss(outputs, targets, zone_ids, has_zones, w_box=2.0, w_l1=0.5, w_cls=1.0):
    """outputs: model(x); targets: [(boxes [M,4], classes [M])] per image (input px);
    zone_ids: bool [nc]; has_zones: bool [B]. Returns (loss, dict of parts)."""
    from model import decode
    boxes, logits, strides = decode(outputs)
    regs = torch.cat([r.flatten(2).transpose(1, 2) for r, _ in outputs], 1)  # [B, N, 4]
    shapes = [tuple(r.shape[2:]) for r, _ in outputs]
    B, N, nc = logits.shape
    cls_t = torch.zeros_like(logits)
    mask = torch.ones_like(logits)
    cx = torch.cat([grid(h, w, s)[0] for (h, w), s in zip(shapes, STRIDES)])
    cy = torch.cat([grid(h, w, s)[1] for (h, w), s in zip(shapes, STRIDES)])
    pb, tb, pr, tr = [], [], [], []
    pos_at = []
    for i, (gb, gc) in enumerate(targets):
        if not has_zones[i]:
            mask[i, :, zone_ids] = 0
        idx = assign(gb, gc, shapes)
        p = (idx >= 0).nonzero().flatten()
        if not len(p):
            continue
        t = gb[idx[p]]
        pb.append(boxes[i, p])
        tb.append(t)
        # log(distance / stride) targets; distances at least 1 px for cells just outside thin boxes
        d = torch.stack([cx[p] - t[:, 0], cy[p] - t[:, 1], t[:, 2] - cx[p], t[:, 3] - cy[p]], 1).clamp(min=1.0)
        pr.append(regs[i, p])
        tr.append(torch.log(d / strides[p, None]))
        pos_at.append((i, p, gc[idx[p]]))
    npos = max(1, sum(len(p) for _, p, _ in pos_at))
    if pb:
        g, iou = giou(torch.cat(pb), torch.cat(tb))
        loss_box = (1 - g).sum() / npos
        loss_l1 = F.smooth_l1_loss(torch.cat(pr), torch.cat(tr), reduction="sum", beta=0.5) / npos / 4
        q = iou.detach().clamp(min=0.05)
        k = 0
        for i, p, c in pos_at:
            cls_t[i, p, c] = q[k:k + len(p)]
            k += len(p)
    else:
        loss_box = loss_l1 = logits.sum() * 0
    # Varifocal: positives weighted by their quality target, negatives by 0.75 * p^2.
    prob = logits.sigmoid().detach()
    weight = torch.where(cls_t > 0, cls_t, 0.75 * prob.pow(2)) * mask
    loss_cls = (F.binary_cross_entropy_with_logits(logits, cls_t, reduction="none") * weight).sum() / cls_t.sum().clamp(min=1.0)
    loss = w_box * loss_box + w_l1 * loss_l1 + w_cls * loss_cls
    return loss, {"box": float(loss_box), "l1": float(loss_l1), "cls": float(loss_cls), "pos": npos}

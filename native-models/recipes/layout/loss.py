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


def level_shapes(h, w):
    """Output grid (h, w) per level for an input of h x w: every stride-2 convolution (k 3, pad 1) rounds up."""
    shapes = []
    for s in (2, 4, 8, 16, 32):
        h, w = (h + 1) // 2, (w + 1) // 2
        if s in STRIDES:
            shapes.append((h, w))
    return shapes


def assign(gt_boxes, gt_cls, shapes):
    """Per image: gt boxes [M,4], classes [M]; shapes: [(h, w)] per level.
    Returns (assigned object index [N] or -1, N = all cells of all levels), on the boxes' device."""
    dev = gt_boxes.device
    if not len(gt_boxes):
        return torch.full((sum(h * w for h, w in shapes),), -1, dtype=torch.long, device=dev)
    out = []
    lv = level_of(gt_boxes)
    for li, ((h, w), s) in enumerate(zip(shapes, STRIDES)):
        cx, cy = grid(h, w, s, dev)
        idx = torch.full((h * w,), -1, dtype=torch.long, device=dev)
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


def pad_targets(targets):
    """[(boxes [M,4], classes [M])] → boxes [B, Mmax, 4], classes [B, Mmax] (padding never indexed)."""
    m = max([len(b) for b, _ in targets] + [1])
    boxes = torch.zeros(len(targets), m, 4)
    cls = torch.zeros(len(targets), m, dtype=torch.long)
    for i, (b, c) in enumerate(targets):
        boxes[i, :len(b)] = b
        cls[i, :len(c)] = c
    return boxes, cls


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


def compute_loss(outputs, targets, zone_ids, has_zones, w_box=2.0, w_l1=0.5, w_cls=1.0, assigned=None):
    """outputs: model(x) (float32); targets: [(boxes [M,4], classes [M])] per image (input px), or, with
    `assigned` (object index per cell [B, N], -1 = none: assign() done beforehand, e.g. in the data loader's
    workers), the padded pair (boxes [B, M, 4], classes [B, M]) of pad_targets(); zone_ids: bool [nc];
    has_zones: bool [B]. Returns (loss, dict of parts as 0-d tensors, "pos" an int)."""
    from model import decode
    boxes, logits, strides = decode(outputs)
    dev = logits.device
    regs = torch.cat([r.flatten(2).transpose(1, 2) for r, _ in outputs], 1)  # [B, N, 4]
    shapes = [tuple(r.shape[2:]) for r, _ in outputs]
    B, N, nc = logits.shape
    if assigned is None:
        assigned = torch.stack([assign(gb.to(dev), gc.to(dev), shapes) for gb, gc in targets])
        gt_boxes, gt_cls = (t.to(dev) for t in pad_targets(targets))
    else:
        gt_boxes, gt_cls = targets
    if assigned.shape != (B, N):
        raise ValueError(f"assignment for {tuple(assigned.shape)} cells, the model gives {(B, N)}")
    cls_t = torch.zeros_like(logits)
    mask = torch.ones_like(logits)
    zone_ids = torch.as_tensor(zone_ids, device=dev)
    hz = torch.as_tensor(list(has_zones), dtype=torch.float32, device=dev)
    mask[:, :, zone_ids] = hz[:, None, None].expand(B, N, int(zone_ids.sum()))
    cx = torch.cat([grid(h, w, s, dev)[0] for (h, w), s in zip(shapes, STRIDES)])
    cy = torch.cat([grid(h, w, s, dev)[1] for (h, w), s in zip(shapes, STRIDES)])
    bi, p = (assigned >= 0).nonzero(as_tuple=True)  # image-major, cells ascending
    npos = max(1, len(p))
    if len(p):
        obj = assigned[bi, p]
        t = gt_boxes[bi, obj]
        g, iou = giou(boxes[bi, p], t)
        loss_box = (1 - g).sum() / npos
        # log(distance / stride) targets; distances at least 1 px for cells just outside thin boxes
        d = torch.stack([cx[p] - t[:, 0], cy[p] - t[:, 1], t[:, 2] - cx[p], t[:, 3] - cy[p]], 1).clamp(min=1.0)
        loss_l1 = F.smooth_l1_loss(regs[bi, p], torch.log(d / strides[p, None]), reduction="sum", beta=0.5) / npos / 4
        cls_t[bi, p, gt_cls[bi, obj]] = iou.detach().clamp(min=0.05)
    else:
        loss_box = loss_l1 = logits.sum() * 0
    # Varifocal: positives weighted by their quality target, negatives by 0.75 * p^2.
    prob = logits.sigmoid().detach()
    weight = torch.where(cls_t > 0, cls_t, 0.75 * prob.pow(2)) * mask
    loss_cls = (F.binary_cross_entropy_with_logits(logits, cls_t, reduction="none") * weight).sum() / cls_t.sum().clamp(min=1.0)
    loss = w_box * loss_box + w_l1 * loss_l1 + w_cls * loss_cls
    return loss, {"box": loss_box.detach(), "l1": loss_l1.detach(), "cls": loss_cls.detach(), "pos": npos}

"""A compact anchor-free detector for text lines and SegmOnto zones (≈0.9 M parameters, ≈1.3 GMAC at 640x768).

Backbone: 5 strided stages (16-32-64-96-128 channels, residual bottlenecks),
SPPF on stride 32; a top-down FPN gives P3 (stride 8), P4 (16), P5 (32). Neck and
heads use depthwise-separable 3x3s: full 3x3s there were 60 % of the compute
(3.2 GMAC a window) for the same receptive field, and training runs on 2 CPU cores.

Why it looks like this (text lines are the hard case, not zones):
* Lines are 15-55 px tall at a 1024 px page but up to 900 px long (aspect up to
  ~40). Ultralytics heads regress distances with DFL capped at 15 strides, i.e.
  120 px at stride 8, so a long line cannot sit on the fine level at all. Here a
  cell predicts its distances to the four box edges as stride * exp(t): no cap.
* A cell in the middle of a line must see both of its ends: P3 and P4 get a
  horizontal context module (depthwise 1x7 convolutions dilated 1, 3, 9, 27):
  +/- 40 cells = +/- 320 px along the line at stride 8, for little compute,
  while vertical context stays small so that touching lines stay apart.
* Classification is quality-aware (trained towards the IoU of the cell's own
  box), so after NMS the best-placed box of a line wins.

forward() returns per level (reg [B,4,H,W], cls [B,nc,H,W]) raw; decode() turns
them into boxes; export_onnx.py wraps it into the Ultralytics output layout.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

STRIDES = (8, 16, 32)
REG_CLAMP = (-4.0, 7.0)  # exp(7) * 32 px: far beyond any page


def conv(ci, co, k=3, s=1, d=1, g=1):
    kh, kw = (k, k) if isinstance(k, int) else k
    dh, dw = (d, d) if isinstance(d, int) else d
    return nn.Sequential(
        nn.Conv2d(ci, co, (kh, kw), s, (dh * (kh - 1) // 2, dw * (kw - 1) // 2), (dh, dw), g, bias=False),
        nn.BatchNorm2d(co), nn.SiLU())


def dwsep(ci, co, k=3):
    """Depthwise k x k then 1x1: a 3x3 for a ninth of the compute, where only the neck and heads need one."""
    return nn.Sequential(conv(ci, ci, k, g=ci), conv(ci, co, 1))


class Res(nn.Module):
    """x + 3x3(1x1(x)): the bottleneck of YOLO's C2f, without the split."""

    def __init__(self, c):
        super().__init__()
        self.a, self.b = conv(c, c // 2, 1), conv(c // 2, c, 3)

    def forward(self, x):
        return x + self.b(self.a(x))


class HContext(nn.Module):
    """Horizontal context: depthwise 1xk convolutions at growing dilation, then 1x1."""

    def __init__(self, c, k=7, dilations=(1, 3, 9, 27)):
        super().__init__()
        self.dw = nn.ModuleList(conv(c, c, (1, k), d=(1, d), g=c) for d in dilations)
        self.pw = conv(c, c, 1)

    def forward(self, x):
        y = x
        for m in self.dw:
            y = y + m(y)
        return x + self.pw(y)


class SPPF(nn.Module):
    """YOLO's fast spatial pyramid pooling: page-sized context for zones on stride 32."""

    def __init__(self, c):
        super().__init__()
        self.a, self.b = conv(c, c // 2, 1), conv(c * 2, c, 1)
        self.pool = nn.MaxPool2d(5, 1, 2)

    def forward(self, x):
        x = self.a(x)
        y1 = self.pool(x)
        y2 = self.pool(y1)
        return self.b(torch.cat([x, y1, y2, self.pool(y2)], 1))


class Head(nn.Module):
    """Shared 3x3, then box (4: l, t, r, b as log(distance / stride)) and class logits."""

    def __init__(self, c, nc):
        super().__init__()
        self.stem = dwsep(c, c)
        self.reg = nn.Sequential(dwsep(c, c), nn.Conv2d(c, 4, 1))
        self.cls = nn.Conv2d(c, nc, 1)
        nn.init.constant_(self.cls.bias, -math.log(99))  # p = 0.01 at start: few false alarms
        nn.init.constant_(self.reg[-1].bias, 1.0)

    def forward(self, x):
        x = self.stem(x)
        return self.reg(x), self.cls(x)


class LayoutNet(nn.Module):
    def __init__(self, nc, width=(16, 32, 64, 96, 128), depth=(0, 2, 2, 1)):
        super().__init__()
        c1, c2, c3, c4, c5 = width
        self.nc = nc
        self.stem = conv(3, c1, 3, 2)
        self.s2 = nn.Sequential(conv(c1, c2, 3, 2), *[Res(c2) for _ in range(depth[0])])
        self.s3 = nn.Sequential(conv(c2, c3, 3, 2), *[Res(c3) for _ in range(depth[1])])
        self.s4 = nn.Sequential(conv(c3, c4, 3, 2), *[Res(c4) for _ in range(depth[2])])
        self.s5 = nn.Sequential(conv(c4, c5, 3, 2), *[Res(c5) for _ in range(depth[3])], SPPF(c5))
        self.lat5, self.lat4 = conv(c5, c4, 1), conv(c4, c3, 1)
        self.f4 = nn.Sequential(conv(2 * c4, c4, 1), dwsep(c4, c4), HContext(c4, dilations=(1, 3, 9)))
        self.f3 = nn.Sequential(conv(2 * c3, c3, 1), dwsep(c3, c3), HContext(c3))
        self.heads = nn.ModuleList([Head(c3, nc), Head(c4, nc), Head(c5, nc)])

    def forward(self, x):
        c3 = self.s3(self.s2(self.stem(x)))
        c4 = self.s4(c3)
        p5 = self.s5(c4)
        p4 = self.f4(torch.cat([c4, F.interpolate(self.lat5(p5), size=c4.shape[2:], mode="nearest")], 1))
        p3 = self.f3(torch.cat([c3, F.interpolate(self.lat4(p4), size=c3.shape[2:], mode="nearest")], 1))
        return [h(p) for h, p in zip(self.heads, (p3, p4, p5))]


def grid(h, w, stride, device=None):
    """Cell centres in input pixels, flattened row-major: (cx [h*w], cy [h*w])."""
    ys = (torch.arange(h, device=device, dtype=torch.float32) + 0.5) * stride
    xs = (torch.arange(w, device=device, dtype=torch.float32) + 0.5) * stride
    cy, cx = torch.meshgrid(ys, xs, indexing="ij")
    return cx.reshape(-1), cy.reshape(-1)


def decode(outputs):
    """Raw outputs → boxes [B, N, 4] (x1, y1, x2, y2, input px), logits [B, N, nc], strides [N]."""
    boxes, logits, strides = [], [], []
    for (reg, cls), s in zip(outputs, STRIDES):
        b, _, h, w = reg.shape
        cx, cy = grid(h, w, s, reg.device)
        d = torch.exp(reg.clamp(*REG_CLAMP)).flatten(2) * s  # [B, 4, HW]
        boxes.append(torch.stack([cx - d[:, 0], cy - d[:, 1], cx + d[:, 2], cy + d[:, 3]], -1))
        logits.append(cls.flatten(2).transpose(1, 2))
        strides.append(torch.full((h * w,), float(s), device=reg.device))
    return torch.cat(boxes, 1), torch.cat(logits, 1), torch.cat(strides)


def build(config):
    return LayoutNet(config["nc"], tuple(config.get("width", (16, 32, 64, 96, 128))), tuple(config.get("depth", (0, 2, 2, 1))))

"""The dataset that `htr-studio export --format yolo` writes, and training samples.

Pages are held in memory as uint8 RGB arrays at the export's size (1024 px long
side by default). A training sample is a window of the page, scaled by a random
factor, on a grey (114) canvas: narrow pages are placed at a random offset, as
the letterbox places them at inference. Windows are as wide as most pages so that
lines are rarely cut across; a line cut by the window's top or bottom is dropped
unless most of its height shows.
"""
import os

import numpy as np
import yaml
from PIL import Image, ImageFilter

GREY = 114
IMAGE_EXT = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp")


def read_data_yaml(path):
    """(root folder, names list, {split: images folder}) of an Ultralytics data.yaml."""
    with open(path, encoding="utf-8") as f:
        d = yaml.safe_load(f)
    root = d.get("path") or os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(root):  # moved dataset: the yaml's own folder
        root = os.path.dirname(os.path.abspath(path))
    names = d["names"]
    names = [names[i] for i in sorted(names)] if isinstance(names, dict) else list(names)
    splits = {k: os.path.join(root, d[k]) for k in ("train", "val", "test") if d.get(k)}
    return root, names, splits


def is_line(name):
    """The app's rule (electron/node/layout/yolo.ts isLineLabel): a class ending in "line" is a line."""
    return name.lower().endswith("line")


class PageSet:
    """Images of one split with their boxes (pixels of the stored image)."""

    def __init__(self, images_dir, names, limit=0):
        root, split = os.path.split(images_dir.rstrip(os.sep))
        labels_dir = os.path.join(os.path.dirname(root), "labels", split) if os.path.basename(root) == "images" else images_dir
        files = sorted(f for f in os.listdir(images_dir) if f.lower().endswith(IMAGE_EXT))
        if limit:
            files = files[:limit]
        self.names = names
        self.zone_ids = np.array([not is_line(n) for n in names])
        self.stems, self.images, self.boxes, self.classes = [], [], [], []
        for f in files:
            img = np.asarray(Image.open(os.path.join(images_dir, f)).convert("RGB"))
            h, w = img.shape[:2]
            lab = os.path.join(labels_dir, os.path.splitext(f)[0] + ".txt")
            rows = np.loadtxt(lab, ndmin=2) if os.path.exists(lab) and os.path.getsize(lab) else np.zeros((0, 5))
            cls = rows[:, 0].astype(np.int64)
            cx, cy, bw, bh = rows[:, 1] * w, rows[:, 2] * h, rows[:, 3] * w, rows[:, 4] * h
            self.stems.append(os.path.splitext(f)[0])
            self.images.append(img)
            self.boxes.append(np.stack([cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2], 1).astype(np.float32))
            self.classes.append(cls)

    def __len__(self):
        return len(self.images)

    def has_zones(self, i):
        """Pages without any zone label are taken as not annotated for zones (timeus, stanford, iforal)."""
        return bool(self.zone_ids[self.classes[i]].any()) if len(self.classes[i]) else False


def photometric(img, rng):
    """Paper colour, contrast, grey scans, blur and noise: archives scan very differently.
    (float32 and in place: this is most of a training window's CPU time, the data loader's on a GPU.)"""
    x = img.astype(np.float32)
    if rng.random() < 0.2:
        x = np.repeat(x.mean(2, keepdims=True), 3, 2)
    gain = rng.uniform(0.85, 1.15, 3) if rng.random() < 0.6 else np.ones(3)
    contrast, bright = rng.uniform(0.65, 1.3), rng.uniform(-30, 30)
    mean = float(x.mean())
    # ((x - mean) * contrast + mean + bright) * gain, as one multiply-add per channel
    x *= (contrast * gain).astype(np.float32)
    x += ((mean * (1 - contrast) + bright) * gain).astype(np.float32)
    if rng.random() < 0.3:
        gamma = rng.uniform(0.7, 1.4)
        np.clip(x, 0, 255, out=x)
        x *= np.float32(1 / 255.0)
        np.power(x, np.float32(gamma), out=x)
        x *= np.float32(255.0)
    if rng.random() < 0.2:
        x += rng.normal(0, rng.uniform(3, 10), x.shape).astype(np.float32)
    x = np.clip(x, 0, 255, out=x).astype(np.uint8)
    if rng.random() < 0.15:
        x = np.asarray(Image.fromarray(x).filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 1.2))))
    return x


def sample(pages, i, rng, canvas_hw=(640, 768), scale=(0.7, 1.15), imgsz=1024, flip=0.5):
    """One training window: (uint8 HxWx3, boxes [M,4] float32, classes [M])."""
    img, boxes, cls = pages.images[i], pages.boxes[i], pages.classes[i]
    h, w = img.shape[:2]
    s = imgsz / max(h, w) * rng.uniform(*scale)
    nw, nh = max(1, round(w * s)), max(1, round(h * s))
    ch, cw = canvas_hw
    # Window offset in the scaled page; negative = the page sits inside the canvas with grey around.
    x0 = int(rng.integers(min(0, nw - cw), max(0, nw - cw) + 1))
    y0 = int(rng.integers(min(0, nh - ch), max(0, nh - ch) + 1))
    # Resize only the part that shows (cheaper than the whole page).
    sx0, sy0 = max(0, x0), max(0, y0)
    sx1, sy1 = min(nw, x0 + cw), min(nh, y0 + ch)
    part = np.asarray(Image.fromarray(img).resize((sx1 - sx0, sy1 - sy0), Image.BILINEAR,
                                                  box=(sx0 / s, sy0 / s, min(w, sx1 / s), min(h, sy1 / s))))
    out = np.full((ch, cw, 3), GREY, np.uint8)
    out[sy0 - y0:sy1 - y0, sx0 - x0:sx1 - x0] = photometric(part, rng)
    b = boxes * s - np.array([x0, y0, x0, y0], np.float32)
    vis = np.stack([b[:, 0].clip(sx0 - x0, sx1 - x0), b[:, 1].clip(sy0 - y0, sy1 - y0),
                    b[:, 2].clip(sx0 - x0, sx1 - x0), b[:, 3].clip(sy0 - y0, sy1 - y0)], 1)
    bw, bh = b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]
    vw, vh = vis[:, 2] - vis[:, 0], vis[:, 3] - vis[:, 1]
    big = np.minimum(bw, bh) >= 96  # zones: keep what shows of them
    keep = (vw >= 2) & (vh >= 2) & np.where(big, vw * vh >= 0.25 * bw * bh, (vh >= 0.6 * bh) & (vw >= 0.4 * bw))
    vis, cls = vis[keep], cls[keep]
    if rng.random() < flip:
        out = out[:, ::-1].copy()
        vis = np.stack([cw - vis[:, 2], vis[:, 1], cw - vis[:, 0], vis[:, 3]], 1)
    return out, vis.astype(np.float32), cls


def letterbox(img, size):
    """As the app (electron/common/layout/letterbox.ts): fit, centre, grey 114. Returns (canvas, scale, padx, pady)."""
    h, w = img.shape[:2]
    s = min(size / w, size / h)
    iw, ih = round(w * s), round(h * s)
    px, py = max(0, round((size - iw) / 2 - 0.1)), max(0, round((size - ih) / 2 - 0.1))
    out = np.full((size, size, 3), GREY, np.uint8)
    out[py:py + ih, px:px + iw] = np.asarray(Image.fromarray(img).resize((iw, ih), Image.BILINEAR))
    return out, s, px, py


def to_tensor_batch(images):
    """uint8 HxWx3 list → float [B,3,H,W] in 0-1 (RGB, as the app feeds it)."""
    import torch
    return torch.from_numpy(np.stack(images)).permute(0, 3, 1, 2).float().div_(255.0)

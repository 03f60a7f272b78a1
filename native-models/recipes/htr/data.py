"""Line folders, augmentation and width-bucketed batches."""
import os

import numpy as np
import torch
from PIL import Image, ImageFilter

from lineimg import MIN_WIDTH, load_line
from model import WIDTH_STRIDE
from normalize import normalize

IMAGE_EXTS = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


def find_lines(folder):
    """All NAME.<img> with a NAME.gt.txt beside it, recursively.

    Returns [(image_path, text, group)]; group = the part of the name before
    '__' (prepare_lines.py puts the dataset there) or else the sub-folder, for
    per-dataset CER.
    """
    out = []
    for root, _, files in os.walk(folder):
        for f in sorted(files):
            stem, ext = os.path.splitext(f)
            gt = os.path.join(root, stem + ".gt.txt")
            if ext.lower() not in IMAGE_EXTS or not os.path.exists(gt):
                continue
            with open(gt, encoding="utf-8") as fh:
                text = normalize(fh.read())
            rel = os.path.relpath(root, folder)
            group = stem.split("__")[0] if "__" in stem else (rel.split(os.sep)[0] if rel != "." else "")
            out.append((os.path.join(root, f), text, group))
    return sorted(out)


class LineSet:
    """Lines held in memory as uint8 [H, W] (7k lines at height 48 ~ 25 MB)."""

    def __init__(self, folder, height, stretch=False, skip_empty=True):
        items = find_lines(folder)
        if skip_empty:
            items = [it for it in items if it[1]]
        self.paths = [p for p, _, _ in items]
        self.texts = [t for _, t, _ in items]
        self.groups = [g for _, _, g in items]
        self.images = [load_line(p, height, stretch) for p in self.paths]

    def __len__(self):
        return len(self.images)


# ------------------------------------------------------------- augmentation
def augment(grey, rng):
    """uint8 [H, W] (white background) -> augmented uint8 [H, W']."""
    img = Image.fromarray(grey)
    w, h = img.size
    if rng.random() < 0.8:  # slant, width, height, slope, vertical shift
        s, sx = rng.uniform(-0.35, 0.35), rng.uniform(0.8, 1.2)
        sy, r, ty = rng.uniform(0.9, 1.1), rng.uniform(-0.01, 0.01), rng.uniform(-2, 2)
        w2 = max(MIN_WIDTH, int(w * sx + abs(s) * h))
        cx, cx2 = w / 2, w2 / 2
        # PIL maps output (x, y) to input (a x + b y + c, d x + e y + f)
        coeffs = (1 / sx, s, cx - cx2 / sx - s * h / 2,
                  r, 1 / sy, h / 2 - h / (2 * sy) - r * cx2 + ty)
        img = img.transform((w2, h), Image.AFFINE, coeffs, Image.BILINEAR, fillcolor=255)
    u = rng.random()
    if u < 0.15:    # thicker ink (dark = min)
        img = img.filter(ImageFilter.MinFilter(3))
    elif u < 0.3:   # thinner ink
        img = img.filter(ImageFilter.MaxFilter(3))
    if rng.random() < 0.2:
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.0)))
    left, right = rng.randint(0, 10), rng.randint(0, 10)  # white margins
    out = np.full((h, img.width + left + right), 255, np.uint8)
    out[:, left:left + img.width] = np.asarray(img)
    return out


def contrast(x, rng):
    """float input (ink = 1) -> fainter/stronger ink, a little noise."""
    x = x * rng.uniform(0.6, 1.2)
    if rng.random() < 0.3:
        x = x + np.random.default_rng(rng.randrange(1 << 30)).normal(0, 0.03, x.shape)
    return np.clip(x, 0, 1).astype(np.float32)


# ------------------------------------------------------------- batching
def collate(arrays):
    """list of float [H, W] -> [B, 1, H, Wmax] zero(=background)-padded, frames."""
    h = arrays[0].shape[0]
    wmax = max(MIN_WIDTH, max(a.shape[1] for a in arrays))
    x = np.zeros((len(arrays), 1, h, wmax), np.float32)
    for i, a in enumerate(arrays):
        x[i, 0, :, : a.shape[1]] = a
    frames = [max(a.shape[1], MIN_WIDTH) // WIDTH_STRIDE for a in arrays]
    return torch.from_numpy(x), torch.tensor(frames, dtype=torch.long)


def bucket_batches(widths, max_batch, max_pixels, rng, pool=50):
    """Shuffle, sort by width inside pools of pool*max_batch lines, cut into
    batches limited by count and padded width x count, shuffle the batches."""
    idx = list(range(len(widths)))
    rng.shuffle(idx)
    batches = []
    step = pool * max_batch
    for k in range(0, len(idx), step):
        chunk = sorted(idx[k:k + step], key=lambda i: widths[i])
        cur = []
        for i in chunk:
            if cur and (len(cur) + 1 > max_batch or (len(cur) + 1) * widths[i] > max_pixels):
                batches.append(cur)
                cur = []
            cur.append(i)
        if cur:
            batches.append(cur)
    rng.shuffle(batches)
    return batches


def eval_batches(widths, max_batch=16, max_pixels=24000):
    order = sorted(range(len(widths)), key=lambda i: widths[i])
    batches, cur = [], []
    for i in order:
        if cur and (len(cur) + 1 > max_batch or (len(cur) + 1) * widths[i] > max_pixels):
            batches.append(cur)
            cur = []
        cur.append(i)
    return batches + ([cur] if cur else [])


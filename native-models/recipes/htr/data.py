"""Line folders and line packs, augmentation and width-bucketed batches."""
import json
import lzma
import os
import struct

import numpy as np
import torch
from PIL import Image, ImageFilter

from lineimg import MIN_WIDTH, load_line, to_height
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


def line_texts(path):
    """(normalised texts, groups) of the non-empty lines of a folder or a .lines
    pack, without reading the images."""
    if is_pack(path):
        items = [(normalize(it["text"]), it["group"]) for it in read_pack_header(path)[0]["items"]]
    else:
        items = [(t, g) for _, t, g in find_lines(path)]
    items = [(t, g) for t, g in items if t]
    return [t for t, _ in items], [g for _, g in items]


class LineSet:
    """Lines held in memory as uint8 [H, W] (6.8k lines at height 48 ~ 170 MB).

    `folder` is a folder of NAME.png|jpg + NAME.gt.txt (searched recursively)
    or a line pack (a `.lines` file written by pack_lines.py: lines already at
    model height and stretched, so `stretch` is ignored for it).
    """

    def __init__(self, folder, height, stretch=False, skip_empty=True):
        if is_pack(folder):
            names, texts, groups, images = read_pack(folder)
            items = [(n, normalize(t), g, im) for n, t, g, im in zip(names, texts, groups, images)]
            if skip_empty:
                items = [it for it in items if it[1]]
            self.paths = [os.path.join(folder, n) for n, _, _, _ in items]
            self.texts = [t for _, t, _, _ in items]
            self.groups = [g for _, _, g, _ in items]
            self.images = [im if im.shape[0] == height else np.asarray(to_height(Image.fromarray(im), height))
                           for _, _, _, im in items]
            return
        items = find_lines(folder)
        if skip_empty:
            items = [it for it in items if it[1]]
        self.paths = [p for p, _, _ in items]
        self.texts = [t for _, t, _ in items]
        self.groups = [g for _, _, g in items]
        self.images = [load_line(p, height, stretch) for p in self.paths]

    def __len__(self):
        return len(self.images)


# ------------------------------------------------------------- line packs
# One file per split: MAGIC, uint32 LE header length, UTF-8 JSON header
# {version, height, levels, lut, stretched, compression, items: [{name, text, group, width}]},
# then one xz stream (compression "xz"; "none": the bytes as they are) of the
# lines' level indices (uint8, row-major [height, width] each, concatenated in
# item order). grey = lut[index]. With levels = 256 the lut is the identity
# (lossless); fewer levels quantise the grey (see pack_lines.py).
PACK_MAGIC = b"HTRLINES1\n"
PACK_EXT = ".lines"


def is_pack(path):
    return os.path.isfile(path) and path.endswith(PACK_EXT)


def quantise_lut(levels, white):
    """-> (index of each grey 0..255, grey of each index). Grey >= white is paper
    (the top index, 255); 0..white is cut into levels - 1 equal steps."""
    if levels >= 256:
        return np.arange(256, dtype=np.uint8), list(range(256))
    g = np.arange(256, dtype=np.float32)
    index = np.round(np.clip(g / white, 0, 1) * (levels - 1)).astype(np.uint8)
    lut = [int(round(k * white / (levels - 1))) for k in range(levels - 1)] + [255]
    return index, lut


def write_pack(path, names, texts, groups, images, levels=256, white=255, meta=None, compress=True):
    index, lut = quantise_lut(levels, white)
    heights = {im.shape[0] for im in images}
    if len(heights) > 1:
        raise ValueError(f"lines of several heights: {sorted(heights)}")
    header = dict(version=1, height=heights.pop() if heights else 0, levels=min(levels, 256), lut=lut,
                  white=white,
                  stretched=True, compression="xz" if compress else "none", meta=meta or {},
                  items=[dict(name=n, text=t, group=g, width=int(im.shape[1]))
                         for n, t, g, im in zip(names, texts, groups, images)])
    comp = lzma.LZMACompressor(preset=6) if compress else None  # preset 9e: 4 % smaller, 3x slower
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        head = json.dumps(header, ensure_ascii=False).encode("utf-8")
        f.write(PACK_MAGIC + struct.pack("<I", len(head)) + head)
        for im in images:
            raw = index[im].tobytes()
            f.write(comp.compress(raw) if comp else raw)
        if comp:
            f.write(comp.flush())
    os.replace(tmp, path)


def read_pack_header(path):
    with open(path, "rb") as f:
        if f.read(len(PACK_MAGIC)) != PACK_MAGIC:
            raise ValueError(f"{path}: not a line pack")
        (n,) = struct.unpack("<I", f.read(4))
        return json.loads(f.read(n).decode("utf-8")), len(PACK_MAGIC) + 4 + n


def read_pack(path):
    """-> names, raw texts (as in NAME.gt.txt), groups, uint8 images [height, W]."""
    header, offset = read_pack_header(path)
    with open(path, "rb") as f:
        f.seek(offset)
        body = f.read()
    raw = np.frombuffer(body if header.get("compression") == "none" else lzma.decompress(body), np.uint8)
    grey = np.asarray(header["lut"], np.uint8)[raw]
    h, images, pos = header["height"], [], 0
    for it in header["items"]:
        n = h * it["width"]
        images.append(grey[pos:pos + n].reshape(h, it["width"]))
        pos += n
    if pos != len(grey):
        raise ValueError(f"{path}: {len(grey)} pixels, header says {pos}")
    items = header["items"]
    return [it["name"] for it in items], [it["text"] for it in items], [it["group"] for it in items], images


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


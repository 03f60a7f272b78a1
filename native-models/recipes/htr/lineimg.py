"""Line-image preprocessing shared by prepare, train, evaluate and export.

Pipeline (the app must do the same before feeding the ONNX model):
  0. cut the line along its polygon from the page (outside = white, 255)
  1. greyscale (PIL "L")
  2. contrast stretch: lo = 1st percentile, hi = 80th percentile of the pixels
     that belong to the line (inside the polygon; for an already cut line:
     pixels < 250, because the outside was painted white); map lo..hi -> 0..255
     linearly and clip. hi - lo is kept >= 32 so that an empty, flat line is
     not blown up into noise.
  3. resize to HEIGHT keeping the aspect ratio (LANCZOS), width >= MIN_WIDTH
  4. model input = (255 - grey) / 255: ink -> 1, paper -> 0, so padding with
     zeros *is* padding with background.
"""
import numpy as np
from PIL import Image

LO_PCT, HI_PCT, MIN_RANGE = 1.0, 80.0, 32.0
MIN_WIDTH = 32  # the CNN shrinks width by 4; keeps T >= 8 for tiny lines


def stretch(grey: np.ndarray, inside: np.ndarray = None) -> np.ndarray:
    """Per-line contrast stretch; `inside` is a bool mask of line pixels."""
    g = grey.astype(np.float32)
    if inside is None:
        inside = g < 250  # already cut line: white outside the polygon
    sample = g[inside] if inside.sum() >= 16 else g.ravel()
    lo, hi = np.percentile(sample, [LO_PCT, HI_PCT])
    if hi - lo < MIN_RANGE:
        lo = max(0.0, hi - MIN_RANGE)
        hi = lo + MIN_RANGE
    out = (g - lo) * (255.0 / (hi - lo))
    out = np.clip(out, 0, 255)
    out[~inside] = 255  # outside the line stays white
    return out.astype(np.uint8)


def to_height(img: Image.Image, height: int) -> Image.Image:
    w, h = img.size
    new_w = max(MIN_WIDTH, int(round(w * height / h)))
    if (new_w, height) == (w, h):
        return img
    return img.resize((new_w, height), Image.LANCZOS)


def load_line(path: str, height: int, do_stretch: bool = False) -> np.ndarray:
    """Line file (png/jpg, any size) -> uint8 [height, W].

    Files written by prepare_lines.py (and the app's line export) are already
    stretched with the exact polygon mask, so by default nothing is re-done
    (stretching twice is not idempotent). Folders of cut but unstretched lines
    (e.g. shared/corpus/htr-lines) need do_stretch=True: the polygon is then
    approximated by "not painted white".
    """
    img = Image.open(path).convert("L")
    if do_stretch:
        img = Image.fromarray(stretch(np.asarray(img)))
    return np.asarray(to_height(img, height))


def to_input(grey: np.ndarray) -> np.ndarray:
    """uint8 grey [H, W] -> float32 model input [H, W] (ink = 1)."""
    return (255.0 - grey.astype(np.float32)) / 255.0

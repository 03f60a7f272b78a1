"""CRNN-CTC line recogniser: conv blocks -> BiLSTM layers -> per-frame classes.

Input  [B, 1, H, W] float, ink = 1, background = 0 (see lineimg.py).
Output [T, B, C] log-probabilities, T = W // 4, class 0 = CTC blank.
"""
import math
import os
import sys
import unicodedata

import torch
import torch.nn as nn
import torch.nn.functional as F

# Every script of this recipe imports this module first: from here on they can
# import ../common/torchkit.py, the torch plumbing shared with the layout recipe.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "common"))

# (out_channels, pool) per conv block. Height shrinks by 16, width by 4: one
# frame per 4 px keeps T well above the number of characters even for dense
# medieval lines (median ~11 px per character at height 48).
# Channel widths as in the field-notes calibration: 1.16 M parameters with 2
# BiLSTM x 128; a 32..128-channel variant trained ~40 % slower on 2 cores.
BLOCKS = ((16, (2, 2)), (32, (2, 2)), (64, (2, 1)), (96, (2, 1)), (128, None))
WIDTH_STRIDE = 4

# The networks compared at equal training time on 2 cores (train.py --arch; the
# table is in the model card). A checkpoint's model_config carries its blocks and
# layers, so each builds and exports without this table; configs without them
# (the checkpoints before the comparison) are "crnn-s".
ARCHS = {
    # the shipped network: 1.16 M parameters
    "crnn-s": dict(height=48, hidden=128, layers=2, blocks=BLOCKS),
    # wider convolutions, a third recurrent layer, 192 units
    "crnn-m3": dict(height=48, hidden=192, layers=3,
                    blocks=((32, (2, 2)), (64, (2, 2)), (96, (2, 1)), (128, (2, 1)), (160, None))),
    # taller input (64 px: finer strokes), the same shrink to 4 rows of features
    "crnn-h64": dict(height=64, hidden=128, layers=2,
                     blocks=((16, (2, 2)), (32, (2, 2)), (64, (2, 1)), (96, (2, 1)), (128, None))),
    # convolution-heavy: two convs per stage, one recurrent layer of 256
    "crnn-c2": dict(height=48, hidden=256, layers=1,
                    blocks=((16, None), (16, (2, 2)), (32, None), (32, (2, 2)), (64, None), (64, (2, 1)),
                            (96, None), (96, (2, 1)), (128, None))),
    # crnn-c2 without its second full-resolution convolution: cheaper to read (session 8)
    "crnn-c2p": dict(height=48, hidden=256, layers=1,
                     blocks=((16, (2, 2)), (32, None), (32, (2, 2)), (64, None), (64, (2, 1)),
                             (96, None), (96, (2, 1)), (128, None))),
}


class CRNN(nn.Module):
    def __init__(self, n_classes, height=48, hidden=128, dropout=0.2, layers=2, blocks=BLOCKS):
        super().__init__()
        blocks = tuple((int(c), tuple(p) if p else None) for c, p in blocks)
        if math.prod(p[1] for _, p in blocks if p) != WIDTH_STRIDE:
            raise ValueError(f"the width must shrink by exactly {WIDTH_STRIDE}: the app maps frames to x by it")
        layers_, c_in, h = [], 1, height
        for c_out, pool in blocks:
            layers_ += [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False),
                        nn.BatchNorm2d(c_out), nn.ReLU(inplace=True)]
            if pool:
                layers_.append(nn.MaxPool2d(pool, pool))
                h //= pool[0]
            c_in = c_out
        self.cnn = nn.Sequential(*layers_)
        self.config = dict(n_classes=n_classes, height=height, hidden=hidden, dropout=dropout,
                           layers=layers, blocks=[[c, list(p) if p else None] for c, p in blocks])
        self.drop = nn.Dropout(dropout)
        self.rnn = nn.LSTM(c_in * h, hidden, num_layers=layers, bidirectional=True,
                           dropout=dropout if layers > 1 else 0.0)
        self.out = nn.Linear(2 * hidden, n_classes)

    def forward(self, x):
        # No pack_padded_sequence: it doubles the LSTM time on CPU. Batches are
        # bucketed by width and padded with background (0), so the few padded
        # frames look like the white margins the augmentation adds anyway; the
        # CTC loss and the decoder only read each line's own frames.
        f = self.cnn(x)                                  # [B, C, h, T]
        b, c, h, t = f.shape
        f = f.reshape(b, c * h, t).permute(2, 0, 1)      # [T, B, C*h]
        f, _ = self.rnn(self.drop(f))
        return F.log_softmax(self.out(self.drop(f)), dim=-1)  # [T, B, C]


class Codec:
    """charset[i] is class i + 1; class 0 is the CTC blank."""

    def __init__(self, charset):
        self.charset = list(charset)
        self.index = {ch: i + 1 for i, ch in enumerate(self.charset)}

    @classmethod
    def from_texts(cls, texts):
        return cls(sorted({ch for t in texts for ch in t}))

    def encode(self, text):
        return [self.index[ch] for ch in text if ch in self.index]

    def greedy(self, logp, length=None):
        """logp [T, C] -> text: best path, merge repeats, drop blanks."""
        best = logp[:length].argmax(-1).tolist() if length else logp.argmax(-1).tolist()
        out, prev = [], 0
        for k in best:
            if k != prev and k != 0:
                out.append(self.charset[k - 1])
            prev = k
        # NFC: a base letter + combining mark emitted as two classes must
        # equal the precomposed class (targets are NFC, normalize.py)
        return unicodedata.normalize("NFC", "".join(out))


def build(config):
    return CRNN(**config)


def extend_classes(model, base_sd, base_charset, codec):
    """Load base weights into a model with more output classes: the base's rows first,
    in order; new characters keep the fresh model's initial rows (train.py --init,
    finetune.py); the codec must list the base's classes first, in order."""
    weights = dict(base_sd)
    old = {ch: i + 1 for i, ch in enumerate(base_charset)}
    rows = [0] + [old[ch] for ch in codec.charset if ch in old]
    for name in ("out.weight", "out.bias"):
        fresh = model.state_dict()[name].clone()
        fresh[: len(rows)] = weights[name][rows]
        weights[name] = fresh
    model.load_state_dict(weights)



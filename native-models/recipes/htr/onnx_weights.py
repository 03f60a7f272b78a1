"""Read a CRNN's weights back from its model.onnx, so that any model folder the
app can run (the shipped htr-default, a user's fine-tune) can be trained again
without the checkpoint it came from.

The TorchScript exporter folds each BatchNorm into the conv before it (conv
weight and a bias), turns the two BiLSTM layers into two ONNX LSTM nodes (gates
in ONNX order i, o, f, c) and the output Linear into MatMul + Add. Mapping back:
conv weight as is; the BatchNorm becomes the identity plus the folded bias
(gamma 1, beta = bias, mean 0, var 1 - eps), so the model computes exactly what
the ONNX graph does *as long as the BatchNorms stay in eval mode* — which is what
a fine-tune on a few hundred lines wants anyway (finetune.py freezes them).
"""
import json
import math
import os

import numpy as np
import torch

from model import WIDTH_STRIDE, build

# ONNX LSTM gate blocks are i, o, f, c; torch's are i, f, g(=c), o.
ONNX_TO_TORCH_GATES = (0, 2, 3, 1)


def _arrays(graph):
    from onnx import numpy_helper
    return {t.name: numpy_helper.to_array(t) for t in graph.initializer}


def _gates(a, hidden):
    """[4H, ...] in ONNX gate order -> torch gate order."""
    return np.concatenate([a[g * hidden:(g + 1) * hidden] for g in ONNX_TO_TORCH_GATES], axis=0)


def _blocks(graph, arr):
    """(out_channels, pool) per conv, as model.CRNN takes them: the graph's nodes are in
    order, so a conv's pool is the MaxPool met before the next conv."""
    blocks = []
    for node in graph.node:
        if node.op_type == "Conv":
            blocks.append([int(arr[node.input[1]].shape[0]), None])
        elif node.op_type == "MaxPool" and blocks and blocks[-1][1] is None:
            kernel = next(a.ints for a in node.attribute if a.name == "kernel_shape")
            blocks[-1][1] = (int(kernel[0]), int(kernel[1]))
    if math.prod(p[1] for _, p in blocks if p) != WIDTH_STRIDE:
        raise ValueError(f"a CRNN whose width does not shrink by {WIDTH_STRIDE}")
    return tuple((c, p) for c, p in blocks)


def state_dict_from_onnx(onnx_path):
    """(state_dict for model.build(config), config) from a model.onnx this recipe exported."""
    import onnx
    graph = onnx.load(onnx_path).graph
    arr = _arrays(graph)
    convs = [n for n in graph.node if n.op_type == "Conv"]
    lstms = [n for n in graph.node if n.op_type == "LSTM"]
    matmul = next(n for n in graph.node if n.op_type == "MatMul")
    add = next(n for n in graph.node if n.op_type == "Add" and matmul.output[0] in n.input)
    if not convs or not lstms:
        raise ValueError(f"{onnx_path}: not this recipe's CRNN ({len(convs)} convs, {len(lstms)} LSTMs)")
    blocks = _blocks(graph, arr)
    sd = {}
    # Sequential indices of the conv and BN in each block: conv, bn, relu[, pool]
    idx = 0
    for (c_out, pool), node in zip(blocks, convs):
        w = arr[node.input[1]]
        b = arr[node.input[2]] if len(node.input) > 2 and node.input[2] else np.zeros(w.shape[0], np.float32)
        bn = torch.nn.BatchNorm2d(c_out)
        sd[f"cnn.{idx}.weight"] = torch.from_numpy(w.copy())
        sd[f"cnn.{idx + 1}.weight"] = torch.ones(c_out)
        sd[f"cnn.{idx + 1}.bias"] = torch.from_numpy(b.copy())
        sd[f"cnn.{idx + 1}.running_mean"] = torch.zeros(c_out)
        sd[f"cnn.{idx + 1}.running_var"] = torch.full((c_out,), 1.0 - bn.eps)
        sd[f"cnn.{idx + 1}.num_batches_tracked"] = torch.tensor(0)
        idx += 4 if pool else 3
    hidden = None
    for layer, node in enumerate(lstms):
        W, R, B = (arr[node.input[k]] for k in (1, 2, 3))  # [2, 4H, in], [2, 4H, H], [2, 8H]
        hidden = R.shape[2]
        for d, suffix in enumerate(("", "_reverse")):
            sd[f"rnn.weight_ih_l{layer}{suffix}"] = torch.from_numpy(_gates(W[d], hidden))
            sd[f"rnn.weight_hh_l{layer}{suffix}"] = torch.from_numpy(_gates(R[d], hidden))
            sd[f"rnn.bias_ih_l{layer}{suffix}"] = torch.from_numpy(_gates(B[d, :4 * hidden], hidden))
            sd[f"rnn.bias_hh_l{layer}{suffix}"] = torch.from_numpy(_gates(B[d, 4 * hidden:], hidden))
    out_w = arr[matmul.input[1]]  # [2H, C]
    out_b = arr[next(i for i in add.input if i in arr)]
    sd["out.weight"] = torch.from_numpy(out_w.T.copy())
    sd["out.bias"] = torch.from_numpy(out_b.copy())
    first_lstm_in = arr[lstms[0].input[1]].shape[2]
    shrink = math.prod(p[0] for _, p in blocks if p)
    height = first_lstm_in // blocks[-1][0] * shrink  # features = channels x (height / shrink)
    config = dict(n_classes=out_w.shape[1], height=height, hidden=hidden, dropout=0.2, layers=len(lstms),
                  blocks=[[c, list(p) if p else None] for c, p in blocks])
    return sd, config


def load_model_dir(model_dir):
    """(model in eval mode, charset, manifest) from an app model folder (model.json + its ONNX file)."""
    with open(os.path.join(model_dir, "model.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    if manifest.get("family") != "crnn-ctc" or manifest.get("task") != "recognition":
        raise ValueError(f"{model_dir}: a {manifest.get('family')} {manifest.get('task')} model; "
                         "only this recipe's CRNN-CTC recognisers can be fine-tuned")
    sd, config = state_dict_from_onnx(os.path.join(model_dir, manifest.get("file", "model.onnx")))
    charset = manifest["charset"]
    if len(charset) + 1 != config["n_classes"]:
        raise ValueError(f"{model_dir}: {len(charset)} characters in model.json, {config['n_classes'] - 1} in the ONNX")
    if config["height"] != manifest["input"]["height"]:
        raise ValueError(f"{model_dir}: the ONNX expects height {config['height']}, model.json says "
                         f"{manifest['input']['height']}")
    model = build(config)
    model.load_state_dict(sd)
    model.eval()
    return model, charset, manifest

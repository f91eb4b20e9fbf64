#!/usr/bin/env python3
"""An independent reference for `backprop-tutor solve --format json`: the same quantities from
numpy + autograd (reverse-mode AD), sharing no code with the Rust engine.

Usage: solve_autograd.py LESSON.toml  -> prints {"quantities": {...}} as JSON.
Used to cross-check the engine and as the Python side of the benchmarks (not run by CI).
"""
import json
import sys
import tomllib

import autograd.numpy as np
from autograd import grad

ACTIVATIONS = {
    "relu": lambda z: np.where(z > 0, z, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": np.tanh,
    "identity": lambda z: z,
}
DERIVATIVES = {
    "relu": lambda z: (z > 0).astype(float),
    "leaky_relu": lambda z: np.where(z > 0, 1.0, 0.01),
    "sigmoid": lambda z: ACTIVATIONS["sigmoid"](z) * (1 - ACTIVATIONS["sigmoid"](z)),
    "tanh": lambda z: 1 - np.tanh(z) ** 2,
    "identity": lambda z: np.ones_like(z),
}


def solve(lesson):
    net = lesson["network"]
    x = np.array(net["input"], dtype=float)
    specs = net["layers"]
    default = net.get("activation", "relu")
    acts = [s.get("activation", default) for s in specs[:-1]]
    ws = [np.array(s["weights"], dtype=float) for s in specs]
    bs = [np.array(s["bias"], dtype=float) if "bias" in s else None for s in specs]
    softmax = net.get("loss", "softmax_cross_entropy") == "softmax_cross_entropy"

    def loss_of_o(o):
        if softmax:
            m = np.max(o)
            return m + np.log(np.sum(np.exp(o - m))) - o[net["label"] - 1]
        return 0.5 * np.sum((o - np.array(net["target"], dtype=float)) ** 2)

    def run(params, hs_override=None):
        ws_, bs_ = params
        h = x
        zs, hs = [], []
        for l, (w, b) in enumerate(zip(ws_[:-1], bs_[:-1])):
            z = np.dot(w, h) + (b if b is not None else 0.0)
            h = ACTIVATIONS[acts[l]](z)
            if hs_override is not None and l in hs_override:
                h = h + hs_override[l]
            zs.append(z)
            hs.append(h)
        o = np.dot(ws_[-1], h) + (bs_[-1] if bs_[-1] is not None else 0.0)
        return zs, hs, o

    k = len(ws) - 1
    zs, hs, o = run((ws, bs))
    q = {"x": x}
    for l in range(k):
        q[f"z{l+1}"] = zs[l]
        q[f"h{l+1}"] = hs[l]
    q["o"] = o
    if softmax:
        e = np.exp(o - np.max(o))
        q["o_hat"] = e / np.sum(e)
    q["loss"] = loss_of_o(o)
    q["dL_do"] = grad(loss_of_o)(o)
    for l in range(k):
        shift = lambda d, l=l: loss_of_o(run((ws, bs), {l: d})[2])
        q[f"dL_dh{l+1}"] = grad(shift)(np.zeros_like(hs[l]))
    for i in range(k + 1):
        name = "o" if i == k else str(i + 1)
        q[f"dL_dW{name}"] = grad(lambda w, i=i: loss_of_o(run((ws[:i] + [w] + ws[i + 1:], bs))[2]))(ws[i])
        if bs[i] is not None:
            q[f"dL_db{name}"] = grad(lambda b, i=i: loss_of_o(run((ws, bs[:i] + [b] + bs[i + 1:]))[2]))(bs[i])
    q[f"do_dh{k}"] = ws[-1]
    for l in range(k):
        gate = np.diag(DERIVATIVES[acts[l]](zs[l]))
        q[f"dh{l+1}_dz{l+1}"] = gate
        if l >= 1:
            q[f"dz{l+1}_dh{l}"] = ws[l]
            q[f"dh{l+1}_dh{l}"] = gate @ ws[l]
    return {name: np.asarray(v).tolist() for name, v in q.items()}


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as f:
        lesson = tomllib.load(f)
    json.dump({"quantities": solve(lesson)}, sys.stdout)

#!/usr/bin/env python3
"""An independent reference for `backprop-tutor solve --format json`: the same quantities from
numpy + autograd (reverse-mode AD), sharing no code with the Rust engine.

Usage: solve_autograd.py LESSON.toml  -> prints {"quantities": {...}} as JSON.
Used to cross-check the engine (cross_check.py) and as the Python side of the benchmarks (not
run by CI).

With [[data]] every quantity of one example's pass is named with its number (`z1#2`), and the
totals (`loss`, `dL_dW1`, ...) are autograd's gradients of the total loss (the sum, or the mean,
of the examples' losses) -- not sums of the per-example values. With [train], the updated
weights `W1_new`, ... are W - eta * (the total gradient) and `loss_new` the total loss with them.
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
    specs = net["layers"]
    default = net.get("activation", "relu")
    acts = [s.get("activation", default) for s in specs[:-1]]
    ws = [np.array(s["weights"], dtype=float) for s in specs]
    bs = [np.array(s["bias"], dtype=float) if "bias" in s else None for s in specs]
    softmax = net.get("loss", "softmax_cross_entropy") == "softmax_cross_entropy"
    data = lesson.get("data")
    examples = data if data is not None else [net]
    mean = net.get("reduction", "sum") == "mean"
    eta = lesson.get("train", {}).get("learning_rate")
    k = len(ws) - 1
    names = ["o" if i == k else str(i + 1) for i in range(k + 1)]

    def loss_of_o(o, example):
        if softmax:
            m = np.max(o)
            return m + np.log(np.sum(np.exp(o - m))) - o[example["label"] - 1]
        return 0.5 * np.sum((o - np.array(example["target"], dtype=float)) ** 2)

    def run(params, x, hs_override=None):
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

    def total_loss(ws_, bs_):
        losses = [loss_of_o(run((ws_, bs_), np.array(e["input"], dtype=float))[2], e) for e in examples]
        total = sum(losses)
        return total / len(losses) if mean else total

    def one_example(example):
        x = np.array(example["input"], dtype=float)
        loss = lambda o: loss_of_o(o, example)
        zs, hs, o = run((ws, bs), x)
        q = {"x": x}
        for l in range(k):
            q[f"z{l+1}"] = zs[l]
            q[f"h{l+1}"] = hs[l]
        q["o"] = o
        if softmax:
            e = np.exp(o - np.max(o))
            q["o_hat"] = e / np.sum(e)
        q["loss"] = loss(o)
        q["dL_do"] = grad(loss)(o)
        for l in range(k):
            shift = lambda d, l=l: loss(run((ws, bs), x, {l: d})[2])
            q[f"dL_dh{l+1}"] = grad(shift)(np.zeros_like(hs[l]))
        for i in range(k + 1):
            of_w = lambda w, i=i: loss(run((ws[:i] + [w] + ws[i + 1:], bs), x)[2])
            q[f"dL_dW{names[i]}"] = grad(of_w)(ws[i])
            if bs[i] is not None:
                of_b = lambda b, i=i: loss(run((ws, bs[:i] + [b] + bs[i + 1:]), x)[2])
                q[f"dL_db{names[i]}"] = grad(of_b)(bs[i])
        q[f"do_dh{k}"] = ws[-1]
        for l in range(k):
            gate = np.diag(DERIVATIVES[acts[l]](zs[l]))
            q[f"dh{l+1}_dz{l+1}"] = gate
            if l >= 1:
                q[f"dz{l+1}_dh{l}"] = ws[l]
                q[f"dh{l+1}_dh{l}"] = gate @ ws[l]
        return q

    q = {}
    for n, example in enumerate(examples, start=1):
        suffix = f"#{n}" if data is not None else ""
        q.update({f"{name}{suffix}": v for name, v in one_example(example).items()})

    # The totals: autograd's gradients of the total loss itself.
    dws = [grad(lambda w, i=i: total_loss(ws[:i] + [w] + ws[i + 1:], bs))(ws[i]) for i in range(k + 1)]
    dbs = [
        None if bs[i] is None else grad(lambda b, i=i: total_loss(ws, bs[:i] + [b] + bs[i + 1:]))(bs[i])
        for i in range(k + 1)
    ]
    if data is not None:
        q["loss"] = total_loss(ws, bs)
        for i in reversed(range(k + 1)):
            q[f"dL_dW{names[i]}"] = dws[i]
            if dbs[i] is not None:
                q[f"dL_db{names[i]}"] = dbs[i]
    if eta is not None:
        new_ws = [w - eta * d for w, d in zip(ws, dws)]
        new_bs = [None if b is None else b - eta * d for b, d in zip(bs, dbs)]
        for i in range(k + 1):
            q[f"W{names[i]}_new"] = new_ws[i]
            if new_bs[i] is not None:
                q[f"b{names[i]}_new"] = new_bs[i]
        q["loss_new"] = total_loss(new_ws, new_bs)
    return {name: np.asarray(v).tolist() for name, v in q.items()}


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as f:
        lesson = tomllib.load(f)
    json.dump({"quantities": solve(lesson)}, sys.stdout)

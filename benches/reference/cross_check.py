#!/usr/bin/env python3
"""Cross-checks `backprop-tutor solve --format json` against the independent numpy + autograd
reference (solve_autograd.py), quantity by quantity, on the shipped lessons, on lessons that
`new` makes with random options (datasets of both reductions and update steps included), and on
a few hand-made edge cases (a pre-activation of exactly 0, logits in the thousands).

Usage: cross_check.py BINARY [COUNT] [--rtol R]
Needs numpy and autograd (`pip install numpy autograd`); not run by `cargo test` (see
tests/reference.rs, an #[ignore]d test that runs this script). Exits 1 on any mismatch.
"""
import json
import pathlib
import random
import subprocess
import sys
import tempfile
import tomllib

import numpy

from solve_autograd import solve

ROOT = pathlib.Path(__file__).resolve().parents[2]

EDGE_CASES = {
    "zero pre-activation in a dataset": """
title = "kink"
[network]
reduction = "mean"
[[network.layers]]
weights = [[1, -1], [0.5, 2]]
[[network.layers]]
weights = [[1, 1], [2, -1], [-1, 0.5]]
[[data]]
input = [1, 1]
label = 2
[[data]]
input = [2, -1]
label = 1
[train]
learning_rate = 0.2
""",
    "logits in the thousands, summed": """
title = "large"
[network]
activation = "tanh"
[[network.layers]]
weights = [[1, -2], [0.5, 1]]
bias = [0.1, -0.2]
[[network.layers]]
weights = [[1000, -500], [-800, 900], [300, 200]]
bias = [1, 0, -1]
[[data]]
input = [1, 2]
label = 3
[[data]]
input = [-1, 0.5]
label = 1
[[data]]
input = [0.3, -2]
label = 2
[train]
learning_rate = 0.001
""",
    "mse with biases, one example and a step": """
title = "mse step"
[network]
input = [0.5, -1]
target = [1, 0]
loss = "mse"
activation = "sigmoid"
[[network.layers]]
weights = [[0.3, -0.2], [0.1, 0.4], [-0.5, 0.2]]
bias = [0.1, 0, -0.1]
[[network.layers]]
weights = [[0.6, -0.1, 0.2], [-0.3, 0.2, 0.5]]
bias = [0, 0.1]
[train]
learning_rate = 0.5
""",
}


def run(binary, *args):
    return subprocess.run([binary, *args], capture_output=True, text=True)


def random_options(rng):
    hidden = [rng.randint(1, 4) for _ in range(rng.randint(1, 3))]
    outputs = rng.randint(1, 4)
    layers = [rng.randint(1, 4), *hidden, outputs]
    options = ["--layers", ",".join(map(str, layers))]
    options += ["--activation", rng.choice(["relu", "leaky_relu", "sigmoid", "tanh", "identity"])]
    if rng.random() < 0.4:
        options.append("--bias")
    if outputs == 1 or rng.random() < 0.3:
        options += ["--loss", "mse"]
    data = rng.choice([None, 1, 2, 3, 5])
    if data is not None:
        options += ["--data", str(data)]
        if rng.random() < 0.5:
            options += ["--reduction", rng.choice(["sum", "mean"])]
    if rng.random() < 0.7:
        options += ["--learning-rate", str(rng.choice([0.01, 0.05, 0.1, 0.3]))]
    return options


def compare(name, text, binary, path, rtol):
    solved = run(binary, "solve", str(path), "--format", "json")
    if solved.returncode != 0:
        return [f"{name}: solve failed: {solved.stderr.strip()}"]
    engine = json.loads(solved.stdout)["quantities"]
    reference = solve(tomllib.loads(text))
    problems = []
    if set(engine) != set(reference):
        problems.append(
            f"{name}: names differ: only the engine {sorted(set(engine) - set(reference))}, "
            f"only the reference {sorted(set(reference) - set(engine))}"
        )
    for key in sorted(set(engine) & set(reference)):
        a, e = numpy.asarray(engine[key], dtype=float), numpy.asarray(reference[key], dtype=float)
        if a.shape != e.shape:
            problems.append(f"{name}: {key}: shape {a.shape} vs {e.shape}")
        elif not numpy.allclose(a, e, rtol=rtol, atol=1e-12):
            worst = float(numpy.max(numpy.abs(a - e) / numpy.maximum(numpy.abs(e), 1e-300)))
            problems.append(f"{name}: {key}: relative error {worst:.2e}")
    return problems


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    rtol = 1e-9
    if "--rtol" in sys.argv:
        rtol = float(sys.argv[sys.argv.index("--rtol") + 1])
        args.remove(str(sys.argv[sys.argv.index("--rtol") + 1]))
    binary = args[0]
    count = int(args[1]) if len(args) > 1 else 200
    rng = random.Random(20251028)
    problems, checked, skipped = [], 0, 0
    with tempfile.TemporaryDirectory() as folder:
        cases = [(p.stem, p.read_text()) for p in sorted((ROOT / "lessons").glob("*.toml"))]
        cases += list(EDGE_CASES.items())
        for i in range(count):
            options = random_options(rng)
            made = run(binary, "new", "--seed", f"cross-check-{i}", *options)
            if made.returncode != 0:
                skipped += 1
                continue
            cases.append((f"new {' '.join(options)} (seed cross-check-{i})", made.stdout))
        for n, (name, text) in enumerate(cases):
            path = pathlib.Path(folder) / f"case{n}.toml"
            path.write_text(text)
            problems += compare(name, text, binary, path, rtol)
            checked += 1
    for problem in problems:
        print(problem)
    trained = sum(1 for _, text in cases if "[train]" in text)
    datasets = sum(1 for _, text in cases if "[[data]]" in text)
    print(
        f"{checked} lessons ({datasets} with a dataset, {trained} with an update step), "
        f"{skipped} option sets `new` declined, {len(problems)} mismatches at rtol {rtol:g}"
    )
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()

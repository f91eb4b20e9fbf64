"""A straightforward Python/numpy grader of notes-example answer files: the reference that
`backprop-tutor check` is timed against (issue 3, item 8). It only gives verdicts (no
diagnosis, no error carried forward, no messages), so it does less work than `check`.

    backprop-tutor solve notes-example --format json > solution.json
    python3 benches/reference/grade_numpy.py solution.json DIR > verdicts.csv

Every *.toml in DIR is read with tomllib; a string answer is translated from the answer
language into Python (^ to **, [a, b; c, d] to nested lists) and evaluated with numpy's
functions; each asked quantity is compared entry by entry with |a - e| <= atol + rtol*|e|.
Prints `file,score,max_score,<one verdict per quantity>`, like `check --format csv`.
"""

import json
import sys
import tomllib
from pathlib import Path

import numpy as np

RTOL, ATOL = 0.01, 0.001
NAMES = {"e": np.e, "pi": np.pi, "exp": np.exp, "ln": np.log, "log": np.log, "sqrt": np.sqrt}


def to_python(text):
    text = text.replace("^", "**").replace("\u2212", "-").replace("\u00d7", "*").replace("\u00b7", "*")
    stripped = text.strip()
    if ";" in stripped and stripped.startswith("[") and not stripped.startswith("[["):
        rows = stripped[1:-1].split(";")
        text = "[[" + "], [".join(rows) + "]]"
    return text


def read(value):
    if isinstance(value, str):
        value = eval(to_python(value), {"__builtins__": {}}, NAMES)  # the benchmark's own files
    return np.asarray(value, dtype=float)


def verdict(given, expected):
    if given is None:
        return "missing"
    try:
        answer = read(given)
    except Exception:
        return "invalid"
    if not np.all(np.isfinite(answer)):
        return "invalid"
    if answer.shape != expected.shape:
        return "incorrect"
    ok = np.abs(answer - expected) <= ATOL + RTOL * np.abs(expected)
    return "correct" if ok.all() else "incorrect"


def main():
    solution = json.loads(Path(sys.argv[1]).read_text())
    asked = [name for step in solution["steps"] for name in step["asks"]]
    expected = {name: np.asarray(solution["quantities"][name], dtype=float) for name in asked}
    out = [",".join(["file", "score", "max_score", *asked])]
    for path in sorted(Path(sys.argv[2]).glob("*.toml")):
        try:
            answers = tomllib.loads(path.read_text())
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            answers = {}
        verdicts = [verdict(answers.get(name), expected[name]) for name in asked]
        score = verdicts.count("correct")
        out.append(",".join([str(path), str(score), str(len(asked)), *verdicts]))
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()

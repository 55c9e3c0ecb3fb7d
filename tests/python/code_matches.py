#!/usr/bin/env python3
"""The NumPy (and, where PyTorch is installed, the PyTorch) code export reproduces `gradscape run`.

For every scenario below and every preset, runs `gradscape run` and the script of
`gradscape code --lang numpy`, and holds the two CSVs equal: the same rows (optimizer, step:
so the same stops, convergences and divergences), every number within 1e-12 relative of the
CLI's (NaN where it is NaN, the same infinities). Prints how many rows matched byte for byte
and the largest relative difference seen.

    python3 tests/python/code_matches.py [--lang numpy|pytorch] [--gradscape PATH]

Exit status 1 on any difference, 2 when something could not run at all.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REL = 1e-12
ABS = 0.0

# Every rule, every schedule, both gradient-source kinds (mini-batches and noise), every
# surface, rows of one's own and shipped sets, custom expressions through every function,
# tolerances, and runs that diverge.
SCENARIOS = [
    # every rule with its parameters, on a surface with curvature in both directions
    "surface=rosenbrock&start=-1.5,2&steps=400&opt=gd:lr=0.001&opt=momentum:lr=0.0005,gamma=0.9"
    "&opt=nesterov:lr=0.0005,gamma=0.85&opt=adagrad:lr=0.5,delta=1e-7&opt=rmsprop:lr=0.01,rho=0.95,delta=1e-6"
    "&opt=adam:lr=0.05,rho1=0.8,rho2=0.99,delta=1e-8&opt=adam:lr=0.05,bias_correction=false",
    # momentum warm-up (γ₀ then γ)
    "surface=ellipse:kappa=50&steps=300&opt=momentum:lr=0.02,gamma=0.95,gamma0=0.5,warmup=20"
    "&opt=nesterov:lr=0.02,gamma=0.9,gamma0=0.3,warmup=7",
    # every schedule
    "surface=bowl&steps=300&gtol=0&opt=gd:lr=0.3,schedule=step,every=25,factor=0.7"
    "&opt=momentum:lr=0.1,schedule=exp,k=0.02&opt=adam:lr=0.5,schedule=inv,k=0.1"
    "&opt=rmsprop:lr=0.3,schedule=step,on_increase=true,factor=0.5&opt=nesterov:lr=0.1,schedule=inv,k=0.01",
    "surface=beale&steps=500&opt=gd:lr=0.01,schedule=step,on_increase=true,factor=0.8"
    "&opt=adagrad:lr=0.8,schedule=exp,k=0.001&opt=adam:lr=0.1,schedule=step,every=100,factor=0.5",
    # noise on analytic surfaces (the ported generator: Box–Muller pairs across coordinates)
    "surface=minima&start=-3.5,4&seed=7&steps=600&opt=gd:lr=0.05,noise=1.5&opt=momentum:lr=0.02,noise=0.5"
    "&opt=adam:lr=0.05,noise=0.3,schedule=exp,k=0.001",
    "surface=saddle&seed=3&steps=200&opt=gd:lr=0.05&opt=gd:lr=0.05,noise=0.01",
    # strong noise on a bumpy surface: any last-bit difference in the normals would part the paths
    "surface=himmelblau&seed=4&steps=3000&gtol=0&opt=gd:lr=0.03,noise=8",
    # mini-batches and SGD on generated data, with noise on top
    "surface=linreg:n=40,data_seed=5&seed=11&steps=300&opt=gd:lr=0.1&opt=gd:lr=0.05,batch=1"
    "&opt=gd:lr=0.1,batch=7&opt=momentum:lr=0.05,batch=8,noise=0.1&opt=adam:lr=0.05,batch=13",
    "surface=sparse:n=60,data_seed=2&seed=4&steps=300&opt=gd:lr=2&opt=adagrad:lr=1,batch=10"
    "&opt=rmsprop:lr=0.05,batch=1",
    "surface=deeplinear:n=25,data_seed=9&seed=2&steps=400&opt=gd:lr=0.05&opt=nesterov:lr=0.02,batch=5",
    "surface=neuron&steps=500&opt=gd:lr=2&opt=momentum:lr=1,gamma=0.8&opt=adam:lr=0.1",
    "surface=svm:n=30,data_seed=3,margin=1,lambda=0.05&seed=6&steps=150&opt=gd:lr=0.1"
    "&opt=gd:lr=0.05,batch=4&opt=adam:lr=0.05,batch=10",
    # rows of one's own and shipped sets
    "surface=linreg&data=0,1;1,2.5;2,2.9;3,4.2;4,5.1;5,5.8&steps=300&opt=gd:lr=0.02&opt=adam:lr=0.2,batch=2",
    "surface=linreg&data=cars&start=0,-13&steps=400&opt=gd:lr=0.007&opt=momentum:lr=0.001",
    "surface=svm&data=iris&steps=200&opt=gd:lr=0.05&opt=adam:lr=0.05,batch=16",
    "surface=svm&data=0,0,0;1,0,1;0,1,2;1,1,0;2,2,1;-1,0.5,2&steps=100&opt=gd:lr=0.1",
    # the other analytic surfaces and their parameters
    "surface=plateau:width=2&steps=300&opt=gd:lr=1&opt=adam:lr=0.1",
    "surface=cliff:height=6,steepness=5&steps=200&opt=gd:lr=0.3&opt=gd:lr=1.5&opt=rmsprop:lr=0.1",
    "surface=himmelblau&start=-0.5,-0.5&steps=300&opt=gd:lr=0.01&opt=nesterov:lr=0.005",
    "surface=rosenbrock:a=2,b=30&steps=300&opt=adam:lr=0.05&opt=adagrad:lr=0.5",
    # custom expressions through every operation and function
    "surface=custom:f=0.1*(x^2 + y^2) + sin(x)*cos(y)&steps=300&opt=gd:lr=0.1&opt=adam:lr=0.05",
    "surface=custom:f=sqrt(x^2 + y^2 + 1) + 0.3*tanh(x - y) + exp(-(x^2)/4)*0.5 - ln(2 + sigmoid(y))"
    "&start=2,-1.5&steps=300&opt=gd:lr=0.2&opt=momentum:lr=0.05",
    "surface=custom:f=abs(x) + (y - 1)^4 / 4 + max(x, y)^2*0.1 - min(x, -y)*0.05 + tan(x/10)"
    "&start=1.5,2&steps=200&opt=gd:lr=0.05&opt=rmsprop:lr=0.02",
    "surface=custom:f=(x^2 + 2)^(0.5*y^2 + 0.1) / 3 + x^-2*0.001 + y^1.5*0.01&start=1,1&steps=150&opt=gd:lr=0.01",
    "surface=custom:f=max(x, 0.5)^2 + min(1, y^2) - (0-2)^2*x/9 + x - (y - x) / (x*y + 9) * 2&start=1,2&steps=100&opt=gd:lr=0.05",
    # a chain longer than Python's 200 nested parentheses, a line break in the text
    "surface=custom:f=" + "-".join(["x"] * 202) + "%2By^2&steps=3&opt=gd:lr=0.001",
    "surface=custom:f=x^2%0D%2By^2&steps=3&opt=gd",
    # signed zeros in rows and start
    "surface=linreg&data=-1,0;-2,0&start=-0,0&steps=3&opt=gd",
    # tolerances: the gradient's, and the loss change's
    "surface=bowl&gtol=1e-3&steps=1000&opt=gd:lr=0.1&opt=momentum:lr=0.05",
    "surface=ellipse&ltol=1e-9&gtol=0&steps=2000&opt=gd:lr=0.15&opt=adam:lr=0.1",
    # divergence: thrown out of the bounded region, and non-finite values
    "surface=ellipse:kappa=10&steps=500&opt=gd:lr=0.25&opt=gd:lr=0.19",
    "surface=custom:f=ln(x) + y^2&start=0.5,1&steps=50&opt=gd:lr=1",
    "surface=custom:f=exp(x^2) + y^2&start=2,1&steps=50&opt=gd:lr=0.5",
    "surface=bowl&steps=0&opt=gd&opt=adam",
]


def sh(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        print(f"code_matches: {' '.join(cmd[:3])} … failed ({r.returncode}):\n{r.stderr}", file=sys.stderr)
        sys.exit(2)
    return r.stdout


def close(a, b):
    """Whether field a (script) matches field b (CLI)."""
    if a == b:
        return True, 0.0
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False, math.inf
    if math.isnan(x) or math.isnan(y) or math.isinf(x) or math.isinf(y):
        return False, math.inf
    if x == y:  # 0 and -0: the same number, its sign aside
        return True, 0.0
    d = abs(x - y) / max(abs(x), abs(y))
    return d <= REL or abs(x - y) <= ABS, d


def compare(label, got, want):
    """Problems between the script's CSV and the CLI's, and (rows, identical rows, worst)."""
    g, w = got.splitlines(), want.splitlines()
    problems, identical, worst = [], 0, 0.0
    if len(g) != len(w):
        problems.append(f"{len(g)} lines from the script, {len(w)} from the CLI")
    for i, (a, b) in enumerate(zip(g, w)):
        if a == b:
            identical += 1
            continue
        fa, fb = a.split(","), b.split(",")
        if len(fa) != len(fb) or fa[:2] != fb[:2]:
            problems.append(f"line {i + 1}: {a!r} against {b!r}")
            continue
        for j, (x, y) in enumerate(zip(fa, fb)):
            ok, d = close(x, y)
            worst = max(worst, d)
            if not ok:
                problems.append(f"line {i + 1} field {j + 1}: {x} against {y} (relative {d:.3g})")
    for p in problems[:5]:
        print(f"  {label}: {p}")
    return problems, (len(w), identical, worst)


def main():
    global REL, ABS
    ap = argparse.ArgumentParser()
    ap.add_argument("--lang", default="numpy", choices=["numpy", "pytorch"])
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
    ap.add_argument("--gradscape", default=os.path.join(target, "debug", "gradscape"))
    ap.add_argument("--rel", type=float, default=REL, help="relative tolerance (default 1e-12)")
    ap.add_argument("--abs", type=float, default=ABS, help="absolute tolerance (default 0)")
    args = ap.parse_args()
    REL, ABS = args.rel, args.abs
    exe = args.gradscape
    if not os.access(exe, os.X_OK):
        print(f"code_matches: no gradscape binary at {exe} (cargo build first)", file=sys.stderr)
        sys.exit(2)
    catalog = json.loads(sh([exe, "list", "--format", "json"]))
    presets = [f"preset={p['name']}" for p in catalog["presets"]]
    failed, rows, identical, worst = 0, 0, 0, 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for n, text in enumerate(SCENARIOS + presets):
            text = "v=1&" + text
            want = sh([exe, "run", text])
            script = os.path.join(tmp, f"s{n}.py")
            with open(script, "w") as f:
                f.write(sh([exe, "code", "--lang", args.lang, text]))
            got = sh([sys.executable, script])
            label = text if len(text) < 90 else text[:87] + "..."
            problems, (r, same, d) = compare(label, got, want)
            rows, identical, worst = rows + r, identical + same, max(worst, d)
            if problems:
                failed += 1
                print(f"FAIL {label}: {len(problems)} difference(s)")
    total = len(SCENARIOS) + len(presets)
    print(
        f"code_matches ({args.lang}): {total - failed}/{total} scenarios match "
        f"({len(SCENARIOS)} written here, {len(presets)} presets); {rows} CSV lines, "
        f"{identical} byte for byte; largest relative difference {worst:.3g} (allowed {REL:g})"
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

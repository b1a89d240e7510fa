"""Optuna's side of `npm run bench:search`: one arm on one problem, all seeds.

Reads a job as JSON (argv[1]) and writes results as JSON (argv[2]). The
functions mirror test/support/test-functions.ts and bench/search/mixed.ts; the TypeScript side
re-evaluates every reported point and fails on a mismatch.
"""

import json
import math
import resource
import sys
import time
import warnings

import optuna

optuna.logging.set_verbosity(optuna.logging.ERROR)
# QMCSampler is marked experimental; the warning says nothing about the run.
warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)

H6_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
H6_P = [
    [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
    [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
    [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
    [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
]
H6_ALPHA = [1, 1.2, 3, 3.2]


def hartmann6(x, fidelity=1.0):
    total = 0.0
    for i in range(4):
        inner = sum(H6_A[i][j] * (x[j] - H6_P[i][j]) ** 2 for j in range(6))
        alpha = H6_ALPHA[i] - (0.1 * (1 - fidelity) if i == 0 else 0)
        total -= alpha * math.exp(-inner)
    return total


def hartmann6_curve(x, step, max_step):
    s = step / max_step
    return hartmann6(x, s) + (1 - s) * sum(x) / len(x)


def branin(u):
    x1, x2 = -5 + 15 * u[0], 15 * u[1]
    b, c, t = 5.1 / (4 * math.pi**2), 5 / math.pi, 1 / (8 * math.pi)
    return (x2 - b * x1**2 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


def ackley(x):
    n = len(x)
    squares = sum(v * v for v in x) / n
    cosines = sum(math.cos(2 * math.pi * v) for v in x) / n
    return -20 * math.exp(-0.2 * math.sqrt(squares)) - math.exp(cosines) + 20 + math.e


def levy(x):
    w = [1 + (v - 1) / 4 for v in x]
    total = math.sin(math.pi * w[0]) ** 2
    for wi in w[:-1]:
        total += (wi - 1) ** 2 * (1 + 10 * math.sin(math.pi * wi + 1) ** 2)
    return total + (w[-1] - 1) ** 2 * (1 + math.sin(2 * math.pi * w[-1]) ** 2)


def mixed(p, c):
    lr = math.log10(p["lr"]) - c["lrCentre"][p["optimizer"]]
    depth = (p["layers"] - c["layers"]) / 9
    width = (math.log2(p["units"]) - c["log2Units"]) / 7
    coupled = lr + 1.5 * depth
    loss = c["floor"][p["optimizer"]] + 0.15 * coupled**2 + 0.6 * depth**2 + 0.8 * width**2
    loss += 0.5 * (p["dropout"] - c["dropout"]) ** 2
    if p["optimizer"] == "sgd":
        loss += 2 * (p["momentum"] - c["momentum"]) ** 2
    return loss


BOXES = {"branin": branin, "hartmann6": hartmann6, "rosenbrock": rosenbrock, "ackley": ackley, "levy": levy}


def evaluate(job, problem, params):
    if problem["id"] == "mixed":
        return mixed(params, job["mixed"])
    x = [params[p["name"]] for p in problem["python"]]
    return BOXES[problem["id"]](x)


def suggest(trial, space):
    params = {}
    for p in space:
        if "when" in p and params.get(p["when"][0]) != p["when"][1]:
            continue
        if p["kind"] == "float":
            params[p["name"]] = trial.suggest_float(p["name"], p["low"], p["high"], log=p["log"])
        elif p["kind"] == "int":
            params[p["name"]] = trial.suggest_int(p["name"], p["low"], p["high"], log=p["log"])
        else:
            params[p["name"]] = trial.suggest_categorical(p["name"], p["choices"])
    return params


def distributions(space):
    out = {}
    for p in space:
        if p["kind"] == "float":
            out[p["name"]] = optuna.distributions.FloatDistribution(p["low"], p["high"], log=p["log"])
        elif p["kind"] == "int":
            out[p["name"]] = optuna.distributions.IntDistribution(p["low"], p["high"], log=p["log"])
        else:
            out[p["name"]] = optuna.distributions.CategoricalDistribution(p["choices"])
    return out


def make_sampler(name, seed):
    if name == "Random":
        return optuna.samplers.RandomSampler(seed=seed)
    if name == "QMC":
        # Scrambled, so that seeds differ (Optuna's default scramble=False gives every seed the same points).
        return optuna.samplers.QMCSampler(seed=seed, scramble=True, warn_independent_sampling=False)
    if name == "TPE":
        return optuna.samplers.TPESampler(seed=seed)
    if name == "GP":
        return optuna.samplers.GPSampler(seed=seed)
    raise ValueError(name)


def make_pruner(name, max_step):
    if name == "ASHA":
        return optuna.pruners.SuccessiveHalvingPruner(min_resource=1, reduction_factor=3)
    return optuna.pruners.HyperbandPruner(min_resource=1, max_resource=max_step, reduction_factor=3)


def run_regret(job):
    out = {}
    for problem in job["problems"]:
        runs = []
        for seed in job["seeds"]:
            study = optuna.create_study(sampler=make_sampler(job["arm"], seed))
            values, points = [], []
            for _ in range(job["trials"]):
                trial = study.ask()
                params = suggest(trial, problem["python"])
                value = evaluate(job, problem, params)
                study.tell(trial, value)
                values.append(value)
                points.append(params)
            runs.append({"seed": seed, "values": values, "points": points})
        out[problem["id"]] = runs
    return {"problems": out}


def run_fidelity(job):
    max_step, cap = job["maxStep"], job["resourceCap"]
    space = job["hartmann6"]["python"]
    runs = []
    for seed in job["seeds"]:
        study = optuna.create_study(
            sampler=make_sampler("Random", seed), pruner=make_pruner(job["arm"], max_step)
        )
        trials, spent = [], 0
        while spent < cap:
            trial = study.ask()
            x = [v for v in suggest(trial, space).values()]
            steps = 0
            for step in range(1, max_step + 1):
                value = hartmann6_curve(x, step, max_step)
                trial.report(value, step)
                steps = step
                if step < max_step and trial.should_prune():
                    break
            spent += steps
            if steps == max_step:
                study.tell(trial, value)
            else:
                study.tell(trial, state=optuna.trial.TrialState.PRUNED)
            trials.append({"steps": steps, "final": hartmann6(x) if steps == max_step else None, "x": x})
        runs.append({"seed": seed, "trials": trials})
    return {"runs": runs}


def run_latency(job):
    space = job["hartmann6"]["python"]
    dists = distributions(space)
    cells = []
    for n in job["sizes"]:
        study = optuna.create_study(sampler=make_sampler(job["arm"], 0))
        filler = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=1))
        for _ in range(n):
            t = filler.ask()
            params = suggest(t, space)
            filler.tell(t, evaluate(job, job["hartmann6"], params))
            study.add_trial(optuna.trial.create_trial(params=params, distributions=dists, value=filler.trials[-1].value))
        times = []
        # One untimed call first: the first one pays for imports and compilation.
        for timed in [False] + [True] * job["calls"]:
            start = time.perf_counter()
            trial = study.ask()
            suggest(trial, space)
            if timed:
                times.append((time.perf_counter() - start) * 1000)
            # Failed trials are invisible to the samplers, so the history stays at n.
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
        cells.append({"n": n, "ms": times})
    return {"cells": cells}


def main():
    with open(sys.argv[1]) as f:
        job = json.load(f)
    mode = {"regret": run_regret, "fidelity": run_fidelity, "latency": run_latency}[job["mode"]]
    result = mode(job)
    result["maxRssKb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result["optuna"] = optuna.__version__
    with open(sys.argv[2], "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()

"""Loads a hypertune local job (job.json + trials.jsonl) into an Optuna study,
for `npm run bench:dashboard` to open in optuna-dashboard: the same trials,
parameters, states and intermediate values. Bulk-added with study.add_trials
of optuna.trial.create_trial, into a JournalFileBackend's file.

  python optuna_study.py JOB_DIR JOURNAL_FILE STUDY_NAME [LIMIT]

LIMIT: only the first LIMIT trials (by index).

Prints one JSON line: trials added, by state, and the seconds it took.
"""

import datetime
import json
import math
import sys
import time

import optuna
from optuna.storages import JournalStorage
from optuna.storages.journal import BaseJournalBackend
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.trial import TrialState, create_trial

STATES = {
    "Succeeded": TrialState.COMPLETE,
    "Failed": TrialState.FAIL,
    "EarlyStopped": TrialState.PRUNED,
    "MetricsUnavailable": TrialState.FAIL,
}


def distributions_of(spec):
    out = {}
    for p in spec["parameters"]:
        log = p.get("scale") == "Log"
        if p["type"] == "Float":
            out[p["name"]] = FloatDistribution(p["min"], p["max"], log=log)
        elif p["type"] == "Int":
            out[p["name"]] = IntDistribution(p["min"], p["max"], log=log)
        else:
            out[p["name"]] = CategoricalDistribution(p["values"])
    return out


class BufferedJournal(BaseJournalBackend):
    """JournalFileBackend's log lines, kept in memory and written once at the end:
    the file backend fsyncs each append, which takes minutes for 50,000 trials."""

    def __init__(self):
        self.logs = []

    def read_logs(self, log_number_from):
        return self.logs[log_number_from:]

    def append_logs(self, logs):
        self.logs.extend(logs)

    def write(self, path):
        with open(path, "w", encoding="utf-8") as f:
            for log in self.logs:
                f.write(json.dumps(log, separators=(",", ":")) + "\n")


def main():
    job_dir, journal, name = sys.argv[1:4]
    limit = int(sys.argv[4]) if len(sys.argv) > 4 else None
    started = time.time()
    with open(f"{job_dir}/job.json") as f:
        spec = json.load(f)["spec"]
    objective = spec["objective"]["metric"]
    direction = "minimize" if spec["objective"]["direction"] == "Minimize" else "maximize"
    distributions = distributions_of(spec)
    begun = {}
    finished = {}
    with open(f"{job_dir}/trials.jsonl") as f:
        for line in f:
            e = json.loads(line)
            if e["event"] == "started":
                begun[e["index"]] = e
            elif e["event"] == "finished":
                finished[e["index"]] = e
    trials = []
    counts = {}
    for index in sorted(finished)[:limit]:
        start, end = begun[index], finished[index]
        state = STATES[end["phase"]]
        history = end.get("history") or []
        steps = [r for r in history if objective in r["values"]]
        intermediate = (
            {int(r.get("step", k)): r["values"][objective] for k, r in enumerate(steps)}
            if len(steps) > 1
            else {}
        )
        value = end["metrics"].get(objective)
        if state == TrialState.COMPLETE and (value is None or not math.isfinite(value)):
            state = TrialState.FAIL
        counts[state.name] = counts.get(state.name, 0) + 1
        trial = create_trial(
                state=state,
                # As study.tell does for a pruned trial: its last intermediate value.
                value=value if state in (TrialState.COMPLETE, TrialState.PRUNED) else None,
                params={k: start["parameters"][k] for k in distributions},
                distributions=distributions,
                intermediate_values=intermediate,
                user_attrs={"hypertune_index": index},
        )
        # create_trial stamps "now"; keep when the trial really ran.
        trial.datetime_start = datetime.datetime.fromtimestamp(start["at"] / 1000)
        trial.datetime_complete = datetime.datetime.fromtimestamp(end["at"] / 1000)
        trials.append(trial)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    backend = BufferedJournal()
    study = optuna.create_study(storage=JournalStorage(backend), study_name=name, direction=direction)
    study.add_trials(trials)
    backend.write(journal)
    print(
        json.dumps(
            {
                "trials": len(trials),
                "states": counts,
                "withIntermediate": sum(1 for t in trials if t.intermediate_values),
                "seconds": round(time.time() - started, 1),
                "studyId": study._study_id,
            }
        )
    )


if __name__ == "__main__":
    main()

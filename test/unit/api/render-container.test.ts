import { describe, expect, it } from "vitest";
import { renderTrialContainer, trialName } from "../../../src/api/index.js";

const trial = { name: trialName("xgb", 3), index: 3 };

describe("renderTrialContainer: the trial's container, for both backends", () => {
  const container = {
    name: "train",
    command: ["python", "train.py"],
    args: ["--booster=${params.booster}", "--rate_drop=${params.rate_drop}", "--out=/tmp/${trial.name}"],
    env: [
      { name: "SEED", value: "${trial.index}" },
      { name: "TOKEN", valueFrom: { secretKeyRef: { name: "s", key: "k" } } },
    ],
  };

  it("leaves out an argument whose placeholders name only inactive parameters", () => {
    const r = renderTrialContainer(container, { booster: "gbtree" }, trial);
    expect(r.args).toEqual(["--booster=gbtree", "--out=/tmp/xgb-3"]);
    const dart = renderTrialContainer(container, { booster: "dart", rate_drop: 0.1 }, trial);
    expect(dart.args).toEqual(["--booster=dart", "--rate_drop=0.1", "--out=/tmp/xgb-3"]);
  });

  it("keeps an argument that also names an active parameter or the trial", () => {
    const r = renderTrialContainer(
      { name: "t", args: ["--x=${params.a},${params.b}", "${params.b}-${trial.index}"] },
      { a: 1 },
      trial,
    );
    expect(r.args).toEqual(["--x=1,", "-3"]);
  });

  it("adds the trial's environment, keeps valueFrom entries, and sets PYTHONUNBUFFERED unless the container does", () => {
    const r = renderTrialContainer(container, { booster: "gbtree" }, trial, {
      HYPERTUNE_METRICS_FILE: "/m/x",
    });
    const env = Object.fromEntries(r.env.map((e) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toMatchObject({
      SEED: "3",
      TOKEN: { secretKeyRef: { name: "s", key: "k" } },
      HYPERTUNE_TRIAL: "xgb-3",
      HYPERTUNE_PARAM_BOOSTER: "gbtree",
      HYPERTUNE_METRICS_FILE: "/m/x",
      PYTHONUNBUFFERED: "1",
    });
    const own = renderTrialContainer(
      { name: "t", env: [{ name: "PYTHONUNBUFFERED", value: "" }] },
      {},
      trial,
    );
    expect(own.env.filter((e) => e.name === "PYTHONUNBUFFERED")).toEqual([
      { name: "PYTHONUNBUFFERED", value: "" },
    ]);
  });

  it("the trial's own variables win over the container's", () => {
    const r = renderTrialContainer(
      { name: "t", env: [{ name: "HYPERTUNE_TRIAL", value: "mine" }] },
      {},
      trial,
    );
    expect(r.env.filter((e) => e.name === "HYPERTUNE_TRIAL")).toEqual([
      { name: "HYPERTUNE_TRIAL", value: "xgb-3" },
    ]);
  });
});

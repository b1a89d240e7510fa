import { describe, expect, it } from "vitest";
import type { Parameter } from "../../../src/api/index.js";
import { gridPoints } from "../../../src/space/index.js";
import { gridStrategy } from "../../../src/strategies/index.js";
import { makeRequest, range } from "./fixtures.js";

const parameters: Parameter[] = [
  { name: "optimizer", type: "Categorical", values: ["adam", "sgd"] },
  {
    name: "momentum",
    type: "Float",
    min: 0.8,
    max: 0.9,
    scale: "Linear",
    step: 0.05,
    when: { optimizer: "sgd" },
  },
  { name: "layers", type: "Int", min: 1, max: 3, scale: "Linear", step: 1 },
];

describe("Grid strategy", () => {
  it("returns grid point i for index i, then null once the grid is exhausted", () => {
    const request = makeRequest(parameters, range(14), 0);
    const expected = gridPoints(request.space);
    expect(expected).toHaveLength(12);
    const suggestions = gridStrategy.suggest(request);
    expect(suggestions.slice(0, 12)).toEqual(expected);
    expect(suggestions.slice(12)).toEqual([null, null]);
  });

  it("visits every point exactly once in a seeded order when shuffled", () => {
    const request = makeRequest(parameters, range(13), 7, { shuffleGrid: true });
    const suggestions = gridStrategy.suggest(request);
    expect(suggestions[12]).toBeNull();
    const visited = suggestions.slice(0, 12).map((p) => JSON.stringify(p));
    const all = gridPoints(request.space).map((p) => JSON.stringify(p));
    expect(new Set(visited)).toEqual(new Set(all));
    expect(visited).not.toEqual(all);
    expect(gridStrategy.suggest(makeRequest(parameters, range(12), 7, { shuffleGrid: true }))).toEqual(
      suggestions.slice(0, 12),
    );
  });

  it("hands out copies, so editing a suggestion leaves the cached grid alone", () => {
    const request = makeRequest(parameters, [0], 0);
    const [first] = gridStrategy.suggest(request);
    if (first) first.layers = 99;
    expect(gridStrategy.suggest(request)[0]).toEqual({ optimizer: "adam", layers: 1 });
  });

  it("throws clearly for a Float without a step", () => {
    const request = makeRequest([{ name: "lr", type: "Float", min: 0, max: 1, scale: "Linear" }], [0], 0);
    expect(() => gridStrategy.suggest(request)).toThrow('Grid needs a step for Float parameter "lr"');
  });
});

import { describe, expect, it } from "vitest";
import type { Parameter } from "../../../src/api/index.js";
import { createRng } from "../../../src/space/index.js";
import { randomStrategy } from "../../../src/strategies/index.js";
import { makeRequest, range } from "./fixtures.js";

describe("Random strategy", () => {
  const parameters: Parameter[] = [
    { name: "lr", type: "Float", min: 1e-4, max: 1, scale: "Log" },
    { name: "act", type: "Categorical", values: ["relu", "gelu", "tanh"] },
  ];

  it("decodes the point drawn from createRng(seed, index)", () => {
    const request = makeRequest(parameters, [5], 11);
    const rng = createRng(11, 5);
    expect(randomStrategy.suggest(request)).toEqual([request.space.decode([rng.next(), rng.next()])]);
  });

  it("ignores the history", () => {
    const history = [
      {
        index: 0,
        parameters: { lr: 0.1, act: "relu" },
        phase: "Succeeded" as const,
        history: [],
        createdAt: 0,
      },
    ];
    expect(randomStrategy.suggest(makeRequest(parameters, range(5), 3, { history }))).toEqual(
      randomStrategy.suggest(makeRequest(parameters, range(5), 3)),
    );
  });

  it("samples a Log scale evenly per decade", () => {
    const suggestions = randomStrategy.suggest(makeRequest(parameters, range(4000), 8));
    const belowCentre = suggestions.filter((s) => (s?.lr as number) < 1e-2).length / suggestions.length;
    expect(belowCentre).toBeGreaterThan(0.46);
    expect(belowCentre).toBeLessThan(0.54);
  });
});

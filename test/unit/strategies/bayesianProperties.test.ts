import { describe } from "vitest";
import { bayesianStrategy } from "../../../src/strategies/bayesian.js";
import { describeStrategyProperties } from "./gpProperties.js";

describe("Bayesian strategy (properties)", () => {
  describeStrategyProperties(bayesianStrategy, 60);
});

import { describe } from "vitest";
import { cmaesStrategy } from "../../../src/strategies/cmaes.js";
import { describeStrategyProperties } from "./gpProperties.js";

describe("CMA-ES strategy (properties)", () => {
  describeStrategyProperties(cmaesStrategy, 150);
});

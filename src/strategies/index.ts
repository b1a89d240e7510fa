export { gridStrategy } from "./grid.js";
export { randomStrategy } from "./random.js";
export { type ConcreteStrategyName, createStrategy, resolveAutoStrategy } from "./registry.js";
export { sobolStrategy } from "./sobol.js";
export type { Strategy, SuggestRequest } from "./types.js";

export { gridStrategy } from "./grid.js";
export { nsga2Strategy } from "./nsga2/index.js";
export { randomStrategy } from "./random.js";
export {
  type ConcreteStrategyName,
  chosenStrategy,
  createStrategy,
  isConcreteStrategyName,
  resolveAutoStrategy,
} from "./registry.js";
export { sobolStrategy } from "./sobol.js";
export { tpeStrategy } from "./tpe/index.js";
export { memoized, type Strategy, type StrategyMemo, type SuggestRequest } from "./types.js";

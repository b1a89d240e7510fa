export * from "./duration.js";
export * from "./parameters.js";
export * from "./resource.js";
export * from "./rules.js";
export * from "./spec.js";
export * from "./status.js";
export * from "./template.js";
export * from "./observation.js";

/**
 * Renders zod schemas as Kubernetes structural OpenAPI v3 schemas, so that
 * the CRDs can never drift from the types the code uses. Covers the subset
 * of zod that `src/api` uses; anything else is an error at generation time.
 */
import { z } from "zod";

export type OpenApiSchema = { [key: string]: unknown };
type AnySchema = z.core.$ZodType;

interface Unwrapped {
  schema: AnySchema;
  meta: Record<string, unknown>;
  defaultValue?: unknown;
  optional: boolean;
}

function defOf(schema: AnySchema): Record<string, unknown> & { type: string } {
  return schema._zod.def as unknown as Record<string, unknown> & { type: string };
}

/** Peels optional/default/catch wrappers, collecting descriptions and `x-kubernetes-*` metadata on the way. */
function unwrap(schema: AnySchema): Unwrapped {
  const meta: Record<string, unknown> = {};
  let current = schema;
  let defaultValue: unknown;
  let optional = false;
  for (;;) {
    Object.assign(meta, { ...(z.globalRegistry.get(current) ?? {}), ...meta });
    const def = defOf(current);
    if (def.type === "optional") optional = true;
    if (def.type === "default" || def.type === "prefault") {
      const value = def.defaultValue;
      defaultValue = typeof value === "function" ? value() : value;
    }
    if (!["optional", "default", "prefault", "catch", "readonly", "nonoptional"].includes(def.type)) break;
    current = def.innerType as AnySchema;
  }
  return { schema: current, meta, defaultValue, optional: optional || defaultValue !== undefined };
}

function checksOf(schema: AnySchema): Record<string, unknown>[] {
  const checks = (defOf(schema).checks ?? []) as { _zod: { def: Record<string, unknown> } }[];
  return checks.map((c) => c._zod.def);
}

function scalarBounds(schema: AnySchema, out: OpenApiSchema): void {
  for (const check of checksOf(schema)) {
    switch (check.check) {
      case "min_length":
        out[out.type === "array" ? "minItems" : "minLength"] = check.minimum;
        break;
      case "max_length":
        out[out.type === "array" ? "maxItems" : "maxLength"] = check.maximum;
        break;
      case "string_format":
        if (check.format === "regex") out.pattern = (check.pattern as RegExp).source;
        break;
      case "number_format":
        if (check.format === "safeint" || check.format === "int32") out.type = "integer";
        break;
      case "greater_than":
        out.minimum = check.value;
        if (!check.inclusive) out.exclusiveMinimum = true;
        break;
      case "less_than":
        out.maximum = check.value;
        if (!check.inclusive) out.exclusiveMaximum = true;
        break;
      default:
        throw new Error(`openapi: unsupported check ${String(check.check)}`);
    }
  }
}

function kubernetesExtensions(meta: Record<string, unknown>): OpenApiSchema {
  return Object.fromEntries(Object.entries(meta).filter(([key]) => key.startsWith("x-kubernetes-")));
}

/** Renders one schema; `withDefaults` is off inside merged unions, where a member's default would leak into the others. */
export function toOpenApi(schema: AnySchema, withDefaults = true): OpenApiSchema {
  const { schema: inner, meta, defaultValue } = unwrap(schema);
  const out: OpenApiSchema = {};
  if (typeof meta.description === "string") out.description = meta.description;
  Object.assign(out, kubernetesExtensions(meta));
  if (withDefaults && defaultValue !== undefined) out.default = defaultValue;
  if (out["x-kubernetes-preserve-unknown-fields"] === true) {
    // Free-form (an embedded JobSpec, parameter values): only the top-level type is declared.
    if (defOf(inner).type === "object" || defOf(inner).type === "record") out.type = "object";
    return out;
  }
  const def = defOf(inner);
  switch (def.type) {
    case "string":
      out.type = "string";
      scalarBounds(inner, out);
      return out;
    case "number":
      out.type = "number";
      scalarBounds(inner, out);
      return out;
    case "boolean":
      out.type = "boolean";
      return out;
    case "enum":
      out.type = "string";
      out.enum = Object.values(def.entries as Record<string, string>);
      return out;
    case "literal": {
      const values = def.values as unknown[];
      out.type = typeof values[0] === "number" ? "number" : "string";
      out.enum = values;
      return out;
    }
    case "array":
      out.type = "array";
      out.items = toOpenApi(def.element as AnySchema, withDefaults);
      scalarBounds(inner, out);
      return out;
    case "record":
      out.type = "object";
      out.additionalProperties = toOpenApi(def.valueType as AnySchema, withDefaults);
      return out;
    case "object":
      return Object.assign(out, objectSchema(def.shape as Record<string, AnySchema>, withDefaults));
    case "union":
      return Object.assign(out, unionSchema(def.options as AnySchema[], out));
    default:
      throw new Error(`openapi: unsupported zod type ${def.type}`);
  }
}

function objectSchema(shape: Record<string, AnySchema>, withDefaults: boolean): OpenApiSchema {
  const properties: Record<string, OpenApiSchema> = {};
  const required: string[] = [];
  for (const [key, value] of Object.entries(shape)) {
    properties[key] = toOpenApi(value, withDefaults);
    if (!unwrap(value).optional) required.push(key);
  }
  return { type: "object", properties, ...(required.length > 0 && { required }) };
}

/**
 * Structural schemas allow one type per node. A union of objects (the
 * parameter kinds) becomes one object with every member's fields, each
 * required only where all members require it; a union of scalars becomes a
 * node that keeps any value, since zod checks it anyway.
 */
function unionSchema(options: AnySchema[], described: OpenApiSchema): OpenApiSchema {
  const members = options.map((o) => unwrap(o).schema);
  if (!members.every((m) => defOf(m).type === "object")) {
    return { "x-kubernetes-preserve-unknown-fields": true, ...described };
  }
  const rendered = members.map((m) => objectSchema(defOf(m).shape as Record<string, AnySchema>, false));
  const properties: Record<string, OpenApiSchema> = {};
  for (const member of rendered) {
    for (const [key, prop] of Object.entries(member.properties as Record<string, OpenApiSchema>)) {
      const seen = properties[key];
      properties[key] = seen ? mergeProperty(seen, prop) : prop;
    }
  }
  const requiredSets = rendered.map((m) => new Set((m.required as string[] | undefined) ?? []));
  const required = Object.keys(properties).filter((key) => requiredSets.every((s) => s.has(key)));
  return { type: "object", properties, ...(required.length > 0 && { required }) };
}

function mergeProperty(a: OpenApiSchema, b: OpenApiSchema): OpenApiSchema {
  if (JSON.stringify(a) === JSON.stringify(b)) return a;
  if (Array.isArray(a.enum) && Array.isArray(b.enum) && a.type === b.type) {
    return { ...a, enum: [...new Set([...a.enum, ...b.enum])], description: joinDescriptions(a, b) };
  }
  if (a.type === "array" && b.type === "array") {
    const items = mergeProperty(a.items as OpenApiSchema, b.items as OpenApiSchema);
    return { ...a, items, description: joinDescriptions(a, b) };
  }
  if ((a.type === "number" || a.type === "integer") && (b.type === "number" || b.type === "integer")) {
    return { type: "number", description: joinDescriptions(a, b) };
  }
  return { "x-kubernetes-preserve-unknown-fields": true, description: joinDescriptions(a, b) };
}

function joinDescriptions(a: OpenApiSchema, b: OpenApiSchema): string {
  return [...new Set([a.description, b.description].filter((d): d is string => typeof d === "string"))].join(
    " / ",
  );
}

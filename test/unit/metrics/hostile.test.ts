import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMetricParser, DEFAULT_MAX_LINE_LENGTH } from "../../../src/metrics/index.js";

const declared = ["accuracy", "loss", "__proto__", "constructor", "toString"];
const parser = createMetricParser({
  declared,
  definitions: [{ name: "loss", regex: "loss is (\\S+)" }],
});

describe("hostile input", () => {
  it("skips lines over maxLineLength with a reason, echoing only a bounded prefix", () => {
    const line = `accuracy=0.5 ${"x".repeat(DEFAULT_MAX_LINE_LENGTH)}`;
    const result = parser.parseLine(line);
    expect(result.samples).toEqual([]);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]?.reason).toContain("longer than");
    expect(result.rejected[0]?.raw.length).toBeLessThanOrEqual(121);
  });

  it("honours a custom maxLineLength", () => {
    const p = createMetricParser({ declared: ["loss"], maxLineLength: 10 });
    expect(p.parseLine("loss=1").samples).toHaveLength(1);
    expect(p.parseLine("loss=1 xxxxxx").rejected[0]?.reason).toContain("longer than 10");
  });

  it("does not run regexes on long lines, but still reads pairs on them", () => {
    const result = parser.parseLine(`accuracy=0.5 loss is 3 ${"y".repeat(10_000)}`);
    expect(result.samples).toEqual([{ name: "accuracy", value: 0.5 }]);
    expect(result.rejected[0]?.reason).toContain("regexes not run");
  });

  it("does not hand a line over the regex input bound to a backtracking-prone regex", () => {
    // (?:a|aa)+ backtracks exponentially and passes the nested-quantifier check;
    // only the input bound protects here (shorter hostile lines remain a risk).
    const p = createMetricParser({ declared: ["x"], definitions: [{ name: "x", regex: "^(?:a|aa)+(b)" }] });
    const started = performance.now();
    const result = p.parseLine("a".repeat(5000));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result.rejected[0]?.reason).toContain("regexes not run");
  });

  it("handles thousands of pairs on one line, returning one result per name", () => {
    const p = createMetricParser({ declared: ["accuracy", "loss"] });
    const line = Array.from({ length: 1200 }, (_, i) => `accuracy=${i / 1200} junk${i}=x loss=nan`).join(
      ", ",
    );
    expect(line.length).toBeLessThan(DEFAULT_MAX_LINE_LENGTH);
    const started = performance.now();
    const result = p.parseLine(line);
    expect(performance.now() - started).toBeLessThan(500);
    expect(result.samples).toEqual([{ name: "accuracy", value: 1199 / 1200 }]);
    expect(result.rejected).toEqual([{ name: "loss", raw: "nan", reason: "not a finite number" }]);
  });

  it("takes injection attempts literally", () => {
    const result = parser.parseLine("accuracy=0.9; rm -rf /");
    expect(result.samples).toEqual([]);
    expect(result.rejected).toEqual([{ name: "accuracy", raw: "0.9;", reason: "not a number" }]);
    expect(parser.parseLine("accuracy=$(reboot)").rejected[0]?.reason).toBe("not a number");
    expect(parser.parseLine("accuracy=0.9\u0000loss=1").rejected[0]?.name).toBe("accuracy");
  });

  it("does not pollute prototypes through JSON keys", () => {
    const line =
      '{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}, "accuracy": 0.5}';
    const result = parser.parseLine(line);
    expect(result.samples).toEqual([{ name: "accuracy", value: 0.5 }]);
    expect(result.rejected.map((r) => r.name)).toEqual(["__proto__", "constructor"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
  });

  it("treats __proto__ and toString as ordinary names when declared and numeric", () => {
    expect(parser.parseLine('{"__proto__": 1, "toString": 2}').samples).toEqual([
      { name: "__proto__", value: 1 },
      { name: "toString", value: 2 },
    ]);
    expect(parser.parseLine("__proto__=3 constructor=4 hasOwnProperty=5").samples).toEqual([
      { name: "__proto__", value: 3 },
      { name: "constructor", value: 4 },
    ]);
  });

  it("keeps the last of duplicate JSON keys and ignores nested objects", () => {
    expect(
      parser.parseLine('{"accuracy": 0.1, "accuracy": 0.2, "nested": {"accuracy": 0.3}}').samples,
    ).toEqual([{ name: "accuracy", value: 0.2 }]);
  });

  it("survives deeply nested JSON and binary junk", () => {
    const deep = `{"a": ${"[".repeat(60_000)}${"]".repeat(60_000)}}`;
    expect(() =>
      createMetricParser({ declared: ["a"], maxLineLength: 200_000 }).parseLine(deep),
    ).not.toThrow();
    const junk = String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => (i * 7919) % 65536));
    expect(() => parser.parseText(junk)).not.toThrow();
  });

  it("never throws on arbitrary strings (property)", () => {
    const pieces = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary" }),
      fc.constantFrom(
        "accuracy=",
        "loss is ",
        "step=",
        "{",
        "}",
        '"accuracy":',
        "__proto__",
        "=",
        ",",
        "\r",
        "\n",
      ),
      fc.double().map(String),
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }), (parts) => {
        const line = parts.join("");
        const a = parser.parseLine(line);
        const b = parser.parseText(line);
        for (const s of [...a.samples, ...b.samples]) {
          expect(Number.isFinite(s.value)).toBe(true);
          expect(declared).toContain(s.name);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("never throws on arbitrary JSON objects (property)", () => {
    fc.assert(
      fc.property(fc.object({ key: fc.constantFrom(...declared, "step", "x") }), (obj) => {
        const result = parser.parseLine(JSON.stringify(obj));
        for (const s of result.samples) expect(Number.isFinite(s.value)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

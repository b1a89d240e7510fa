import { describe, expect, it } from "vitest";
import { createMetricParser, LINE_NOT_UNDERSTOOD } from "../../../src/metrics/index.js";

const parser = createMetricParser({ declared: ["accuracy", "loss", "val_accuracy"] });

describe("name=value lines", () => {
  it("reads the canonical line with its step", () => {
    expect(parser.parseLine("hypertune: step=3 accuracy=0.91 loss=0.2")).toEqual({
      samples: [
        { name: "accuracy", value: 0.91, step: 3 },
        { name: "loss", value: 0.2, step: 3 },
      ],
      rejected: [],
    });
  });

  it("accepts lines without the prefix, comma separators and surrounding log text", () => {
    expect(parser.parseLine("epoch=3 accuracy=0.91, loss=0.2").samples).toEqual([
      { name: "accuracy", value: 0.91 },
      { name: "loss", value: 0.2 },
    ]);
    expect(parser.parseLine("[INFO] Epoch 3/10: val_accuracy=0.5").samples).toEqual([
      { name: "val_accuracy", value: 0.5 },
    ]);
    expect(parser.parseLine("  hypertune:step=7 loss=1").samples).toEqual([
      { name: "loss", value: 1, step: 7 },
    ]);
  });

  it("reads decimal and scientific notation", () => {
    const values = ["1", "-2.5", "+3.", ".5", "1e-3", "2.5E+10", "-0", "1e-999"].map(
      (raw) => parser.parseLine(`loss=${raw}`).samples[0]?.value,
    );
    expect(values).toEqual([1, -2.5, 3, 0.5, 0.001, 2.5e10, -0, 0]);
  });

  it("only the key step sets the step; epoch is just an undeclared name", () => {
    expect(parser.parseLine("epoch=4 loss=0.1").samples).toEqual([{ name: "loss", value: 0.1 }]);
  });

  it("ignores undeclared names without rejecting them", () => {
    expect(parser.parseLine("lr=0.1 momentum=nan accuracy=0.8")).toEqual({
      samples: [{ name: "accuracy", value: 0.8 }],
      rejected: [],
    });
  });

  it("keeps the last occurrence of a repeated name", () => {
    expect(parser.parseLine("loss=1 loss=2").samples).toEqual([{ name: "loss", value: 2 }]);
    expect(parser.parseLine("loss=1 loss=nan")).toMatchObject({ samples: [], rejected: [{ name: "loss" }] });
  });

  it("ignores lines with no metrics", () => {
    expect(parser.parseLine("")).toEqual({ samples: [], rejected: [] });
    expect(parser.parseLine("Downloading model weights...")).toEqual({ samples: [], rejected: [] });
  });
});

describe("common looser forms", () => {
  it("accepts spaces around =", () => {
    expect(parser.parseLine("accuracy = 0.91")).toEqual({
      samples: [{ name: "accuracy", value: 0.91 }],
      rejected: [],
    });
    expect(parser.parseLine("step =2 accuracy= 0.91, loss  =  0.2").samples).toEqual([
      { name: "accuracy", value: 0.91, step: 2 },
      { name: "loss", value: 0.2, step: 2 },
    ]);
    expect(parser.parseLine("loss = nan").rejected).toEqual([
      { name: "loss", raw: "nan", reason: "not a finite number" },
    ]);
  });

  it("accepts name: value for declared names and the step", () => {
    expect(parser.parseLine("accuracy: 0.91")).toEqual({
      samples: [{ name: "accuracy", value: 0.91 }],
      rejected: [],
    });
    expect(parser.parseLine("epoch 3: accuracy: 0.91, loss: 0.2").samples).toEqual([
      { name: "accuracy", value: 0.91 },
      { name: "loss", value: 0.2 },
    ]);
    expect(parser.parseLine("step: 4 accuracy:0.5 lr: 0.1").samples).toEqual([
      { name: "accuracy", value: 0.5, step: 4 },
    ]);
    // Keras' progress line.
    expect(
      parser.parseLine(
        "938/938 [==============================] - 3s 3ms/step - loss: 0.2940 - accuracy: 0.9153",
      ).samples,
    ).toEqual([
      { name: "loss", value: 0.294 },
      { name: "accuracy", value: 0.9153 },
    ]);
    expect(parser.parseLine("accuracy: inf").rejected).toEqual([
      { name: "accuracy", raw: "inf", reason: "not a finite number" },
    ]);
  });

  it("strips ANSI colour codes", () => {
    expect(parser.parseLine("\u001b[32maccuracy=0.91\u001b[0m").samples).toEqual([
      { name: "accuracy", value: 0.91 },
    ]);
    expect(parser.parseLine("\u001b[1;34mINFO\u001b[0m loss: \u001b[33m0.2\u001b[39m").samples).toEqual([
      { name: "loss", value: 0.2 },
    ]);
    expect(parser.parseLine('\u001b]0;title\u0007{"loss": 1}').samples).toEqual([{ name: "loss", value: 1 }]);
  });

  it("rejects lines that name a declared metric but yield nothing, all with one reason and the line", () => {
    const lines = [
      ["accuracy: 0.91%", "accuracy: 0.91%"],
      ["val_accuracy improved, accuracy -> 0.9", "val_accuracy improved, accuracy -> 0.9"],
      ["loss : 0.2", "loss : 0.2"],
      ["accuracy: improved from 0.8", "accuracy: improved from 0.8"],
      ["\u001b[31mloss\u001b[0m went up", "loss went up"],
    ];
    for (const [line = "", raw] of lines) {
      expect(parser.parseLine(line)).toEqual({
        samples: [],
        rejected: [{ raw, reason: LINE_NOT_UNDERSTOOD }],
      });
    }
    expect(LINE_NOT_UNDERSTOOD).toBe("a line naming a declared metric was not understood");
  });

  it("does not reject lines that only contain a declared name inside a longer word", () => {
    for (const line of ["lossy compression", "val_loss=0.3", "accuracy_top5: 0.9", "Loss: 0.2"]) {
      expect(parser.parseLine(line)).toEqual({ samples: [], rejected: [] });
    }
  });

  it("adds no line rejection when the line yielded a value or its own rejection", () => {
    expect(parser.parseLine("accuracy=0.9 but loss went up")).toEqual({
      samples: [{ name: "accuracy", value: 0.9 }],
      rejected: [],
    });
    expect(parser.parseLine("accuracy=abc").rejected).toEqual([
      { name: "accuracy", raw: "abc", reason: "not a number" },
    ]);
  });
});

describe("rejections", () => {
  it.each([
    ["nan", "not a finite number"],
    ["NaN", "not a finite number"],
    ["inf", "not a finite number"],
    ["-Infinity", "not a finite number"],
    ["1e999", "overflow"],
    ["-1e999", "overflow"],
    ["", "empty"],
    ["abc", "not a number"],
    ["0x10", "not a number"],
    ["1_000", "not a number"],
    ["0.9;", "not a number"],
    ["0.91%", "not a number"],
  ])("rejects accuracy=%s", (raw, reason) => {
    const result = parser.parseLine(`accuracy=${raw}`);
    expect(result.samples).toEqual([]);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]).toMatchObject({ name: "accuracy", raw });
    expect(result.rejected[0]?.reason).toContain(reason);
  });

  it("rejects a bad step but keeps the values without a step", () => {
    for (const step of ["-1", "1.5", "abc", "1e300", "9007199254740993"]) {
      const result = parser.parseLine(`step=${step} loss=0.5`);
      expect(result.samples).toEqual([{ name: "loss", value: 0.5 }]);
      expect(result.rejected).toEqual([
        { name: "step", raw: step, reason: expect.stringContaining("step") as unknown as string },
      ]);
    }
  });

  it("rejects conflicting steps on one line", () => {
    const result = parser.parseLine("step=1 loss=0.5 step=2");
    expect(result.samples).toEqual([{ name: "loss", value: 0.5 }]);
    expect(result.rejected[0]).toMatchObject({
      name: "step",
      reason: expect.stringContaining("conflicting"),
    });
    expect(parser.parseLine("step=2 loss=0.5 step=2").samples).toEqual([
      { name: "loss", value: 0.5, step: 2 },
    ]);
  });

  it("never treats step as a metric, even when declared", () => {
    const p = createMetricParser({ declared: ["step", "loss"] });
    expect(p.parseLine("step=2 loss=1").samples).toEqual([{ name: "loss", value: 1, step: 2 }]);
  });
});

describe("JSON lines", () => {
  it("reads declared numeric fields and the step", () => {
    expect(parser.parseLine('{"step": 3, "accuracy": 0.91, "lr": 0.1}')).toEqual({
      samples: [{ name: "accuracy", value: 0.91, step: 3 }],
      rejected: [],
    });
    expect(parser.parseLine('hypertune: {"loss": 2e-3}').samples).toEqual([{ name: "loss", value: 0.002 }]);
  });

  it("rejects non-numbers and overflow for declared names", () => {
    const result = parser.parseLine('{"accuracy": "0.9", "loss": 1e999, "val_accuracy": {"a": 1}}');
    expect(result.samples).toEqual([]);
    expect(result.rejected.map((r) => [r.name, r.reason])).toEqual([
      ["accuracy", "expected a JSON number"],
      ["loss", "number out of range (overflow)"],
      ["val_accuracy", "expected a JSON number"],
    ]);
  });

  it("rejects a bad JSON step and keeps the values", () => {
    for (const step of ['"3"', "-1", "2.5", "null", "1e20"]) {
      const result = parser.parseLine(`{"step": ${step}, "loss": 1}`);
      expect(result.samples).toEqual([{ name: "loss", value: 1 }]);
      expect(result.rejected[0]?.name).toBe("step");
    }
  });

  it("says why a declared name on a non-JSON brace line is not read (Python's NaN)", () => {
    const result = parser.parseLine('{"accuracy": NaN, "lr": 0.1}');
    expect(result.samples).toEqual([]);
    expect(result.rejected).toMatchObject([
      { name: "accuracy", reason: expect.stringContaining("not valid JSON") },
    ]);
    expect(parser.parseLine("{'lr': 0.1}")).toEqual({ samples: [], rejected: [] });
  });

  it("ignores arrays, scalars and empty objects", () => {
    for (const line of ["[1,2]", "{}", "null", '"lr"', "{ }"]) {
      expect(parser.parseLine(line)).toEqual({ samples: [], rejected: [] });
    }
  });

  it("says a JSON line that only nests a declared name was not understood", () => {
    expect(parser.parseLine('{"metrics": {"accuracy": 0.9}}')).toEqual({
      samples: [],
      rejected: [{ raw: '{"metrics": {"accuracy": 0.9}}', reason: LINE_NOT_UNDERSTOOD }],
    });
  });
});

describe("regex definitions", () => {
  const p = createMetricParser({
    declared: ["accuracy", "loss"],
    definitions: [{ name: "accuracy", regex: "val_acc: ([0-9.eE+-]+)" }],
  });

  it("reads a name through its regex, with the line's step", () => {
    expect(p.parseLine("step=2 val_acc: 0.93 loss=0.4").samples).toEqual([
      { name: "loss", value: 0.4, step: 2 },
      { name: "accuracy", value: 0.93, step: 2 },
    ]);
  });

  it("reads a name with a regex only through the regex: its default forms no longer apply", () => {
    for (const line of ["accuracy=0.5", "accuracy: 0.5", '{"accuracy": 0.5}', "accuracy = 0.5"]) {
      expect(p.parseLine(line)).toEqual({
        samples: [],
        rejected: [{ raw: line, reason: LINE_NOT_UNDERSTOOD }],
      });
    }
    // The other names keep their default forms.
    expect(p.parseLine("loss: 0.5").samples).toEqual([{ name: "loss", value: 0.5 }]);
  });

  it("runs regexes on the line without its colour codes", () => {
    expect(p.parseLine("\u001b[1mval_acc:\u001b[0m \u001b[32m0.93\u001b[0m").samples).toEqual([
      { name: "accuracy", value: 0.93 },
    ]);
  });

  it("rejects what the regex captured when it is not a number", () => {
    expect(p.parseLine("val_acc: 1e999").rejected).toMatchObject([{ name: "accuracy", raw: "1e999" }]);
    expect(p.parseLine("val_acc: -").rejected).toMatchObject([{ name: "accuracy", reason: "not a number" }]);
  });

  it("skips invalid definitions; a valid definition declares its name", () => {
    const q = createMetricParser({
      declared: ["accuracy"],
      definitions: [
        { name: "accuracy", regex: "acc (\\d+" },
        { name: "other", regex: "other (\\d+)" },
      ],
    });
    expect(q.parseLine("acc 5 other 3 accuracy=0.7").samples).toEqual([
      { name: "accuracy", value: 0.7 },
      { name: "other", value: 3 },
    ]);
  });
});

describe("parseText", () => {
  it("splits on \\n, \\r\\n and a lone \\r", () => {
    const text = "step=1 loss=3\r\nstep=2 loss=2\nprogress 50%\rstep=3 loss=1\n";
    expect(parser.parseText(text).samples).toEqual([
      { name: "loss", value: 3, step: 1 },
      { name: "loss", value: 2, step: 2 },
      { name: "loss", value: 1, step: 3 },
    ]);
  });

  it("collects rejections of all lines", () => {
    expect(parser.parseText("loss=nan\nloss=inf\nloss=1").rejected).toHaveLength(2);
  });
});

describe("options", () => {
  it("refuses a nonsensical maxLineLength at creation", () => {
    expect(() => createMetricParser({ declared: [], maxLineLength: 0 })).toThrow(RangeError);
    expect(() => createMetricParser({ declared: [], maxLineLength: 1.5 })).toThrow(RangeError);
  });
});

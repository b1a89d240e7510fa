/**
 * The metrics parser: turns lines of a trial's output into metric samples.
 *
 * Canonical line (what `formatMetricLine` and the SDKs print):
 *
 *     hypertune: step=3 accuracy=0.91 loss=0.2
 *
 * Accepted forms, with or without the leading `hypertune:` marker, after ANSI
 * colour and cursor codes are removed (`\u001b[32macc=0.91\u001b[0m`):
 *  1. `name=value` tokens separated by whitespace or commas, with or without
 *     spaces around `=`; other tokens on the line are ignored. Values are
 *     decimal or scientific literals.
 *  2. `name: value` for declared names and `step`, when a number follows
 *     (`epoch 3: accuracy: 0.91, loss: 0.2`).
 *  3. A JSON object line, `{"step": 3, "accuracy": 0.91}`: top-level numeric
 *     fields with declared names.
 *  4. The user's regexes (`metrics.definitions`), one capture group each, run
 *     on the whole line. A definition declares its name; a name with a regex
 *     is read only through its regex (its default forms 1–3 no longer apply),
 *     so one value is never counted twice.
 * In every form the key `step` (a non-negative safe integer) sets the step of
 * all samples of the line, including regex ones; it is never a metric name.
 *
 * Only declared names are kept; others are ignored without a rejection. A
 * declared name with NaN, ±Infinity, an overflowing literal (`1e999`), an
 * empty or garbage value is rejected with a reason. A bad step is rejected and
 * the line's values are kept without a step. A name repeated on one line keeps
 * its last occurrence. A line that names a declared metric (as a whole word)
 * but yields nothing at all is rejected whole, always with the same reason
 * (`LINE_NOT_UNDERSTOOD`), so a caller can report such lines once with an
 * example. Lines longer than `maxLineLength` are skipped whole with a reason;
 * regexes additionally only run on lines up to `MAX_REGEX_INPUT_LENGTH`,
 * which bounds backtracking cost. Nothing here throws on any input line.
 */

import { LineCollector } from "./collector.js";
import { compileDefinitions } from "./definitions.js";
import { readJsonObject } from "./json.js";
import { readKeyValuePairs } from "./keyValue.js";
import type { MetricParser, MetricParserOptions, ParseResult } from "./types.js";
import { LINE_NOT_UNDERSTOOD, LINE_PREFIX, STEP_KEY } from "./types.js";
import { readMetricValue, truncateRaw } from "./value.js";

export const DEFAULT_MAX_LINE_LENGTH = 64 * 1024;
export const MAX_REGEX_INPUT_LENGTH = 4096;

const LINE_BREAKS = /\r\n|\n|\r/;

/**
 * ANSI escape sequences: CSI (colours, cursor moves: ESC [ … final byte), OSC
 * (titles, links: ESC ] … BEL or ESC \\) and the two-byte ones. Loggers colour
 * their output when they think they write to a terminal.
 */
const ANSI_ESCAPES = new RegExp(
  [
    String.raw`\u001b\[[0-?]*[ -/]*[@-~]`,
    String.raw`\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)`,
    String.raw`\u001b[@-Z\\-_]`,
  ].join("|"),
  "g",
);

export function createMetricParser(opts: MetricParserOptions): MetricParser {
  const maxLineLength = opts.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  if (!Number.isSafeInteger(maxLineLength) || maxLineLength < 1) {
    throw new RangeError(`maxLineLength must be a positive integer, got ${maxLineLength}`);
  }
  const regexes = compileDefinitions(opts.definitions ?? []);
  // A definition declares its name too, as in the API's declaredMetricNames.
  const declared = new Set(
    [...opts.declared, ...regexes.map((d) => d.name)].filter((name) => name !== STEP_KEY),
  );
  const viaRegex = new Set(regexes.map((d) => d.name));
  const wantedNames = [...declared].filter((name) => !viaRegex.has(name));
  const wanted = (name: string): boolean => declared.has(name) && !viaRegex.has(name);
  const declaredNames = [...declared];

  function parseLine(line: string): ParseResult {
    if (line.length > maxLineLength) {
      return {
        samples: [],
        rejected: [
          { raw: truncateRaw(line), reason: `line longer than ${maxLineLength} characters, skipped` },
        ],
      };
    }
    const out = new LineCollector();
    const plain = line.includes("\u001b") ? line.replace(ANSI_ESCAPES, "") : line;
    const body = stripPrefix(plain);
    if (body.startsWith("{")) readJsonObject(body, wantedNames, wanted, out);
    else readKeyValuePairs(body, wanted, out);
    if (regexes.length > 0) {
      if (plain.length > MAX_REGEX_INPUT_LENGTH) {
        out.rejectLine(
          plain,
          `line longer than ${MAX_REGEX_INPUT_LENGTH} characters, metric regexes not run`,
        );
      } else {
        for (const { name, regex } of regexes) {
          const raw = regex.exec(plain)?.[1];
          if (raw === undefined) continue;
          const read = readMetricValue(raw.trim());
          if (read.ok) out.value(name, read.value);
          else out.reject(name, raw, read.reason);
        }
      }
    }
    const result = out.finish();
    if (result.samples.length === 0 && result.rejected.length === 0 && namesAny(plain, declaredNames)) {
      result.rejected.push({ raw: truncateRaw(plain), reason: LINE_NOT_UNDERSTOOD });
    }
    return result;
  }

  function parseText(text: string): ParseResult {
    const result: ParseResult = { samples: [], rejected: [] };
    for (const line of text.split(LINE_BREAKS)) {
      const { samples, rejected } = parseLine(line);
      result.samples.push(...samples);
      result.rejected.push(...rejected);
    }
    return result;
  }

  return { parseLine, parseText };
}

/** Whether `text` holds one of `names` as a whole word (not inside `val_loss` or `lossy`). */
function namesAny(text: string, names: readonly string[]): boolean {
  for (const name of names) {
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
      if (!isWordCharAt(text, at - 1) && !isWordCharAt(text, at + name.length)) return true;
    }
  }
  return false;
}

function isWordCharAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i); // NaN outside the text
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function stripPrefix(line: string): string {
  const trimmed = line.trimStart();
  return trimmed.startsWith(LINE_PREFIX) ? trimmed.slice(LINE_PREFIX.length).trimStart() : trimmed;
}

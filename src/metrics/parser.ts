/**
 * The metrics parser: turns lines of a trial's output into metric samples.
 *
 * Canonical line (what `formatMetricLine` and the SDKs print):
 *
 *     hypertune: step=3 accuracy=0.91 loss=0.2
 *
 * Accepted forms, with or without the leading `hypertune:` marker:
 *  1. `name=value` tokens separated by whitespace or commas; other tokens on
 *     the line are ignored. Values are decimal or scientific literals.
 *  2. A JSON object line, `{"step": 3, "accuracy": 0.91}`: top-level numeric
 *     fields with declared names.
 *  3. The user's regexes (`metrics.definitions`), one capture group each, run
 *     on the whole line. A definition declares its name; a name with a regex
 *     is read only through its regex, so one value is never counted twice.
 * In every form the key `step` (a non-negative safe integer) sets the step of
 * all samples of the line, including regex ones; it is never a metric name.
 *
 * Only declared names are kept; others are ignored without a rejection. A
 * declared name with NaN, ±Infinity, an overflowing literal (`1e999`), an
 * empty or garbage value is rejected with a reason. A bad step is rejected and
 * the line's values are kept without a step. A name repeated on one line keeps
 * its last occurrence. Lines longer than `maxLineLength` are skipped whole
 * with a reason; regexes additionally only run on lines up to
 * `MAX_REGEX_INPUT_LENGTH`, which bounds backtracking cost. Nothing here throws
 * on any input line.
 */

import { LineCollector } from "./collector.js";
import { compileDefinitions } from "./definitions.js";
import { readJsonObject } from "./json.js";
import { readKeyValuePairs } from "./keyValue.js";
import type { MetricParser, MetricParserOptions, ParseResult } from "./types.js";
import { LINE_PREFIX, STEP_KEY } from "./types.js";
import { readMetricValue, truncateRaw } from "./value.js";

export const DEFAULT_MAX_LINE_LENGTH = 64 * 1024;
export const MAX_REGEX_INPUT_LENGTH = 4096;

const LINE_BREAKS = /\r\n|\n|\r/;

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
    const body = stripPrefix(line);
    if (body.startsWith("{")) readJsonObject(body, wantedNames, wanted, out);
    else readKeyValuePairs(body, wanted, out);
    if (regexes.length > 0) {
      if (line.length > MAX_REGEX_INPUT_LENGTH) {
        out.rejectLine(line, `line longer than ${MAX_REGEX_INPUT_LENGTH} characters, metric regexes not run`);
      } else {
        for (const { name, regex } of regexes) {
          const raw = regex.exec(line)?.[1];
          if (raw === undefined) continue;
          const read = readMetricValue(raw.trim());
          if (read.ok) out.value(name, read.value);
          else out.reject(name, raw, read.reason);
        }
      }
    }
    return out.finish();
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

function stripPrefix(line: string): string {
  const trimmed = line.trimStart();
  return trimmed.startsWith(LINE_PREFIX) ? trimmed.slice(LINE_PREFIX.length).trimStart() : trimmed;
}

/**
 * Left-aligned columns as Go's text/tabwriter lays out kubectl's output:
 * every column but the last padded to its widest cell plus `padding`, and to
 * at least `minWidth`.
 */
export function columns(rows: readonly string[][], padding: number, minWidth = 0): string[] {
  const count = Math.max(0, ...rows.map((r) => r.length));
  const widths = Array.from({ length: count }, (_, i) =>
    Math.max(minWidth, ...rows.map((r) => (r[i] ?? "").length + padding)),
  );
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("")
      .trimEnd(),
  );
}

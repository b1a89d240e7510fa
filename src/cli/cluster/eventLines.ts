/**
 * The Events section of `hypertune describe`, laid out as `kubectl describe`
 * lays it out: oldest first, newest last, repeats folded into "(xN over …)".
 */
import { ageOf } from "./age.js";
import { columns } from "./columns.js";
import { type StoredEvent, timeOf } from "./objects.js";

export function eventLines(events: readonly StoredEvent[], nowMs: number): string[] {
  if (events.length === 0) return ["Events:  <none>"];
  // Times are whole seconds, so ties are common (a quick job starts and completes in one):
  // then the one first seen earlier, then the one written earlier (its resourceVersion, an
  // etcd revision that only grows, is the only finer clock an Event carries).
  const sorted = [...events].sort(
    (a, b) =>
      (lastSeen(a) ?? 0) - (lastSeen(b) ?? 0) ||
      (firstSeen(a) ?? 0) - (firstSeen(b) ?? 0) ||
      writeOrder(a) - writeOrder(b),
  );
  const rows = sorted.map((e) => {
    const first = ageOf(firstSeen(e), nowMs);
    const count = e.count ?? 1;
    const age = count > 1 ? `${ageOf(lastSeen(e), nowMs)} (x${count} over ${first})` : first;
    const from = e.source?.component || e.reportingComponent || "";
    return [e.type ?? "", e.reason ?? "", age, from, (e.message ?? "").trim()];
  });
  const header = [
    ["Type", "Reason", "Age", "From", "Message"],
    ["----", "------", "----", "----", "-------"],
  ];
  return ["Events:", ...columns([...header, ...rows], 2).map((line) => `  ${line}`)];
}

function writeOrder(e: StoredEvent): number {
  const version = Number(e.metadata?.resourceVersion);
  return Number.isFinite(version) ? version : 0;
}

function firstSeen(e: StoredEvent): number | undefined {
  return timeOf(e.eventTime) ?? timeOf(e.firstTimestamp) ?? timeOf(e.metadata?.creationTimestamp);
}

function lastSeen(e: StoredEvent): number | undefined {
  return timeOf(e.lastTimestamp) ?? firstSeen(e);
}

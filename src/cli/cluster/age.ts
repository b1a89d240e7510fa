/**
 * kubectl's AGE: apimachinery's HumanDuration, so a TuningJob's age reads
 * the same in `hypertune get` as in `kubectl get tj`.
 */
export function humanDuration(ms: number): string {
  // Go's int() truncates toward zero: a clock up to 2 s ahead still reads "0s".
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (days < 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (years < 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

/** The age of an object created at `createdMs`, or "<unknown>" without a time. */
export function ageOf(createdMs: number | undefined, nowMs: number): string {
  return createdMs === undefined ? "<unknown>" : humanDuration(nowMs - createdMs);
}

/** A seed for a job that names none: stable for the object (from its uid), so a restart keeps it. */
export function seedFromUid(uid: string): number {
  let hash = 2166136261;
  for (let i = 0; i < uid.length; i++) {
    hash ^= uid.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return (hash >>> 0) % 2 ** 31;
}

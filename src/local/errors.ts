/**
 * A problem the user can fix before anything runs (invalid spec, state-dir
 * conflict, missing --gpus). The CLI prints its message and exits 2.
 */
export class LocalUsageError extends Error {
  override readonly name = "LocalUsageError";
}

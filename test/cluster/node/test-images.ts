// The images `npm run images` builds (test/images/build.sh) that the
// real-node tests run, by role.
export const nodeTestImages = {
  /** The project's Dockerfile: the operator, and the File collector's sidecar. */
  operator: "hypertune:dev",
  /** examples/quickstart in an image: the quickstart's trials. */
  quickstart: "hypertune-quickstart:dev",
};

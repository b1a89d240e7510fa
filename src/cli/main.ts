/** Entry point of the `hypertune` command. */
export async function main(argv: string[]): Promise<number> {
  console.log(`hypertune: ${argv.join(" ")}`);
  return 0;
}

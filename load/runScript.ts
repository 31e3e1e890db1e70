/** Runs a benchmark or load script's main and exits with its outcome (open handles must not keep it alive). */
export function runScript(name: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(`[${name}] failed:`, (err as Error).message);
      process.exit(1);
    },
  );
}

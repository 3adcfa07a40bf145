import { pathToFileURL } from 'node:url';

/**
 * Lets a bench file run on its own (`npm exec -- tsx test/bench/<area>.bench.ts`): when the file at `moduleUrl`
 * is the process's entry point, runs the bench, prints its figures as JSON and exits, 0 or 1 with the error,
 * so that no handle left open keeps the process alive. Imported by `kiosk bench`, it does nothing.
 */
export function runWhenMain(moduleUrl: string, run: () => Promise<Record<string, unknown>>): void {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? '').href) return;
  run().then(
    (figures) => {
      console.log(JSON.stringify(figures, null, 2));
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}

// tar-fs ships no types; the one function the bundled Chromium inflater uses.
declare module 'tar-fs' {
  import type { Writable } from 'node:stream';
  export function extract(directory: string): Writable;
}

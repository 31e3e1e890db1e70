import { build } from 'esbuild';

/**
 * The seat-map page's script, bundled from TypeScript for the browser on first request and kept in
 * memory. A failed build is not kept, so the next request tries again.
 */
export function pageScriptBundler(entryPoint: string): () => Promise<string> {
  let bundled: Promise<string> | undefined;
  return () => {
    bundled ??= build({
      entryPoints: [entryPoint],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'iife',
      target: 'es2020',
      minify: true,
      legalComments: 'none',
      logLevel: 'silent',
    }).then(
      (result) => result.outputFiles[0].text,
      (err: Error) => {
        bundled = undefined;
        throw err;
      },
    );
    return bundled;
  };
}

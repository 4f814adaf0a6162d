// HiGHS through the `highs` npm package (WebAssembly). Loaded as CommonJS on purpose: esbuild
// resolves an ES `import` of the package to its .mjs build, which finds its .wasm through
// import.meta.url, and that is empty in our CommonJS bundles. The CommonJS build looks for
// highs.wasm beside the running script (__dirname): node_modules/highs/build from source, dist/
// in the bundles, where scripts/build.mjs copies it.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS build, see above
import highsModule = require('highs');
import type { Highs } from 'highs';

let loading: Promise<Highs> | undefined;

/** The HiGHS runtime, loaded (and its WebAssembly compiled) once per thread. */
export function loadHighs(): Promise<Highs> {
  loading ??= highsModule.default().catch((e: unknown) => {
    loading = undefined;
    throw new Error(`the HiGHS solver could not be loaded (is highs.wasm beside the script?): ${e instanceof Error ? e.message : String(e)}`);
  });
  return loading;
}

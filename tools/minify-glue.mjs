// Minifies the widget's JS glue in trunk's staging folder after a release build, under a
// name of its own, and gives index.html that name and the file's integrity hash. Trunk
// means to minify it itself, but its minifier cannot parse the `export { …, __wbg_init as
// default }` that wasm-bindgen writes, so it warns "Failed to minify JS" and ships the
// file whole (40 KB, 6.5 KB with brotli; 19 KB and 4.8 KB minified). Run by trunk as a
// post_build hook (Trunk.toml); terser comes from the root package.json.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';

// Trunk minifies only release builds (`minify = "on_release"`); so does this.
if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('TRUNK_STAGING_DIR is not set: run this as a trunk hook');
const htmlPath = join(staging, 'index.html');
let html = readFileSync(htmlPath, 'utf8');
const integrity = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

for (const name of readdirSync(staging).filter((n) => n.endsWith('.js'))) {
  const path = join(staging, name);
  const source = readFileSync(path);
  const { code } = await minify(source.toString('utf8'), {
    module: true,
    compress: { passes: 2 },
  });
  const minified = Buffer.from(code, 'utf8');
  const before = integrity(source);
  if (html.includes(before)) {
    html = html.replaceAll(before, integrity(minified));
  } else if (html.includes(name) && html.includes('integrity=')) {
    // A stale hash would make the browser refuse the file: better no build than that.
    throw new Error(`index.html names ${name} without its integrity hash ${before}`);
  }
  // Trunk names the file by the wasm it goes with, so the name alone would not change
  // with the minifying: a browser holding the whole file under that name (cached for a
  // year, immutable) would then fail the new hash. The minified file gets its own name.
  const digest = createHash('sha256').update(minified).digest('hex').slice(0, 16);
  const renamed = name.replace(/\.js$/, `-${digest}.js`);
  html = html.replaceAll(name, renamed);
  writeFileSync(join(staging, renamed), minified);
  unlinkSync(path);
  console.log(`minified ${name}: ${source.length} to ${minified.length} bytes, as ${renamed}`);
}
writeFileSync(htmlPath, html);

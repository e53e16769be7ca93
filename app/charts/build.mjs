// Builds the charts' browser files into public/charts (cargo-leptos copies public/ into the
// site): the custom ECharts build and the mount script as minified ES modules named by a hash
// of their content (browsers keep them for a year), each with brotli and gzip copies at the
// highest levels for the server to send as they are, and manifest.json naming both for the
// server. `node build.mjs --compare-renderers` also prints the ECharts build's size with the
// canvas renderer instead of SVG.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = process.env.RT_CHARTS_OUT || join(here, '..', '..', 'public', 'charts');

const common = {
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020'],
  platform: 'browser',
  legalComments: 'none',
  write: false,
  // ECharts' development checks read process.env.NODE_ENV, which browsers do not have.
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
};

async function bundle(options) {
  const result = await esbuild.build({ ...common, ...options });
  return result.outputFiles[0].contents;
}

function compressed(bytes) {
  return {
    br: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
    gz: gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }),
  };
}

function sizes(bytes) {
  const { br, gz } = compressed(bytes);
  return `${bytes.length} B raw, ${gz.length} B gzip, ${br.length} B brotli`;
}

/** Content hash for file names: 16 hex digits of SHA-256. */
function hashOf(bytes) {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

const outputs = {
  echarts: await bundle({ entryPoints: [join(here, 'src', 'echarts.js')] }),
  mount: await bundle({ entryPoints: [join(here, 'src', 'mount.js')] }),
};

mkdirSync(outDir, { recursive: true });
// Earlier builds' files go; anything else in the folder (not ours) stays.
const ours = /^(echarts|mount)\.[0-9a-f]{16}\.js(\.br|\.gz)?$|^manifest\.json$/;
for (const name of readdirSync(outDir)) {
  if (ours.test(name)) rmSync(join(outDir, name));
}
const manifest = {};
for (const [name, bytes] of Object.entries(outputs)) {
  const file = `${name}.${hashOf(bytes)}.js`;
  const { br, gz } = compressed(bytes);
  writeFileSync(join(outDir, file), bytes);
  writeFileSync(join(outDir, `${file}.br`), br);
  writeFileSync(join(outDir, `${file}.gz`), gz);
  manifest[name] = file;
  console.log(`charts: ${file}: ${sizes(bytes)}`);
}
writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

if (process.argv.includes('--compare-renderers')) {
  const canvas = await bundle({
    stdin: {
      contents: (await import('node:fs')).readFileSync(join(here, 'src', 'echarts.js'), 'utf8')
        .replaceAll('SVGRenderer', 'CanvasRenderer'),
      resolveDir: join(here, 'src'),
      sourcefile: 'echarts-canvas.js',
    },
  });
  console.log(`charts: ECharts with the SVG renderer:    ${sizes(outputs.echarts)}`);
  console.log(`charts: ECharts with the canvas renderer: ${sizes(canvas)}`);
}

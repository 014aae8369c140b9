/**
 * Builds the npm package (what dnt would make, from the same sources):
 * ES modules and `.d.ts` declarations compiled by TypeScript into
 * `dist/npm/`, a package.json whose exports mirror deno.json's, koffi as
 * the one dependency (Node's FFI; Bun uses its own), and a `rawframe`
 * command. Then `npm pack` makes the tarball users install.
 *
 * Usage: deno task npm   (prints the tarball's path)
 *
 * @module
 */

import { ensureTools, TOOL_VERSIONS, TSC } from "./tools.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const OUT = `${ROOT}dist/npm/`;

/** deno.json, whose name, version and exports the package repeats. */
const denoJson = JSON.parse(Deno.readTextFileSync(`${ROOT}deno.json`));

/** `./lib/frame.ts` → `./lib/frame` (the emitted file, without extension). */
const emitted = (source: string): string => source.replace(/\.ts$/, "");

function packageJson(): unknown {
  const exports: Record<string, unknown> = {};
  for (const [key, source] of Object.entries<string>(denoJson.exports)) {
    exports[key] = {
      types: `${emitted(source)}.d.ts`,
      default: `${emitted(source)}.js`,
    };
  }
  return {
    name: denoJson.name,
    version: denoJson.version,
    description:
      "Raw Ethernet frames from TypeScript: AF_PACKET sockets through libc, frame decoding and building, pcap files. Linux.",
    license: denoJson.license,
    type: "module",
    exports,
    types: "./mod.d.ts",
    bin: { rawframe: "./bin/rawframe.js" },
    engines: { node: ">=20.10" },
    os: ["linux"],
    dependencies: { koffi: TOOL_VERSIONS.koffi },
  };
}

/** What TypeScript compiles: every entry point and what it imports. */
function tsconfig(): unknown {
  return {
    compilerOptions: {
      target: "ES2022",
      module: "ESNext",
      moduleResolution: "Bundler",
      rewriteRelativeImportExtensions: true,
      resolveJsonModule: true,
      declaration: true,
      // The sources are type-checked by `deno check` (with Deno's, Node's
      // and Bun's APIs declared where each is used); tsc only emits.
      noCheck: true,
      skipLibCheck: true,
      types: [],
      lib: ["ES2023", "DOM", "ESNext.Disposable"],
      rootDir: ROOT,
      outDir: OUT,
    },
    files: Object.values<string>(denoJson.exports).map((f) => `${ROOT}${f}`),
  };
}

const BIN = `#!/usr/bin/env node
import { main } from "../cli.js";
import { catchSignals } from "../cli/stop.js";
import { host } from "../cli/host/runtime.js";

catchSignals();
host.exit(await main([...host.args]));
`;

async function run(command: string, args: string[], cwd: string) {
  const out = await new Deno.Command(command, { args, cwd, stderr: "inherit" })
    .output();
  if (!out.success) throw new Error(`${command} ${args.join(" ")} failed`);
  return new TextDecoder().decode(out.stdout);
}

/** Builds dist/npm/ and packs it; returns the tarball's path. */
export async function buildNpmPackage(): Promise<string> {
  await ensureTools();
  await Deno.remove(OUT, { recursive: true }).catch(() => {});
  Deno.mkdirSync(`${OUT}bin`, { recursive: true });
  const config = `${ROOT}dist/tsconfig.npm.json`;
  Deno.writeTextFileSync(config, JSON.stringify(tsconfig(), null, 2));
  await run("node", [TSC, "-p", config], ROOT);
  Deno.copyFileSync(`${ROOT}deno.json`, `${OUT}deno.json`); // cli's --version
  Deno.copyFileSync(`${ROOT}README.md`, `${OUT}README.md`);
  Deno.copyFileSync(`${ROOT}LICENSE`, `${OUT}LICENSE`);
  Deno.writeTextFileSync(`${OUT}bin/rawframe.js`, BIN, { mode: 0o755 });
  Deno.writeTextFileSync(
    `${OUT}package.json`,
    JSON.stringify(packageJson(), null, 2),
  );
  const name = (await run("npm", ["pack", "--silent"], OUT)).trim();
  return `${OUT}${name}`;
}

if (import.meta.main) console.log(await buildNpmPackage());

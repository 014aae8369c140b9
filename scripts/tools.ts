/**
 * The other runtimes and the tools the tests build with, from the npm
 * registry, pinned: Bun (it runs rawframe and compiles the single binary),
 * koffi (Node's FFI, the npm package's one dependency) and TypeScript (the
 * npm package's JavaScript and declaration files). `deno task test` runs
 * this after tests/peers.ts, as it installs the Debian peers: on a fresh
 * machine they land in `.tools/` of the project, which git ignores.
 * Node itself is the machine's own (`node`).
 *
 * Usage: deno run --allow-run --allow-read --allow-write --allow-env scripts/tools.ts
 *
 * @module
 */

/** The npm packages and their pinned versions. */
export const TOOL_VERSIONS: Readonly<Record<string, string>> = {
  bun: "1.4.5",
  koffi: "3.3.4",
  typescript: "5.9.3",
};

/** Where they are installed. */
export const TOOLS_DIR: string = new URL("../.tools/", import.meta.url)
  .pathname;

/**
 * npm's cache for these installs, kept beside them: the runtimes test
 * installs the npm package offline from it, whatever HOME's cache holds.
 */
export const NPM_CACHE: string = `${TOOLS_DIR}npm-cache`;

/** The Bun executable. */
export const BUN: string = `${TOOLS_DIR}node_modules/bun/bin/bun.exe`;

/** TypeScript's compiler, run by node. */
export const TSC: string = `${TOOLS_DIR}node_modules/typescript/bin/tsc`;

/** The version of `pkg` installed in .tools/, if any. */
function installedVersion(pkg: string): string | undefined {
  try {
    const manifest = Deno.readTextFileSync(
      `${TOOLS_DIR}node_modules/${pkg}/package.json`,
    );
    return JSON.parse(manifest).version;
  } catch {
    return undefined;
  }
}

/** Whether .tools/ has its own npm cache (an older layout had none). */
function cacheFilled(): boolean {
  try {
    return Deno.statSync(`${NPM_CACHE}/_cacache`).isDirectory;
  } catch {
    return false;
  }
}

/** Installs the tools that are missing or at another version. */
export async function ensureTools(): Promise<void> {
  const wrong = Object.entries(TOOL_VERSIONS)
    .filter(([pkg, version]) => installedVersion(pkg) !== version);
  if (wrong.length === 0 && cacheFilled()) return;
  const specs = Object.entries(TOOL_VERSIONS).map(([p, v]) => `${p}@${v}`);
  console.error(`tests: installing ${specs.join(" ")} from npm into .tools/`);
  Deno.mkdirSync(TOOLS_DIR, { recursive: true });
  Deno.writeTextFileSync(
    `${TOOLS_DIR}package.json`,
    JSON.stringify({ private: true, dependencies: TOOL_VERSIONS }, null, 2),
  );
  const status = await new Deno.Command("npm", {
    args: ["install", "--no-audit", "--no-fund", "--loglevel=error"]
      .concat(["--cache", NPM_CACHE]),
    cwd: TOOLS_DIR,
    stdout: "null",
    stderr: "inherit",
  }).spawn().status;
  // An install that found them all in place fetched nothing: fill the
  // cache the runtimes test installs from offline.
  const cached = status.success && await new Deno.Command("npm", {
    args: ["cache", "add", ...specs, "--cache", NPM_CACHE, "--loglevel=error"],
    cwd: TOOLS_DIR,
    stdout: "null",
    stderr: "inherit",
  }).spawn().status;
  if (!status.success || !cached || !cached.success) {
    console.error(`error: npm install ${specs.join(" ")} failed`);
    Deno.exit(1);
  }
}

if (import.meta.main) await ensureTools();

/**
 * One core, three runtimes: the library's own checks
 * (tests/portable/library_checks.mjs: pure modules, sockets, rings,
 * filters, errors, timestamps) run on a veth pair under Deno and Bun from
 * the sources, and under Node and Bun from the npm package, packed and
 * installed into an empty project as a user would.
 */

import { assertEquals } from "./assert.ts";
import { integration, run, type VethPair, vethPair } from "./helpers.ts";
import { BUN } from "./runtimes.ts";
import { buildNpmPackage } from "../scripts/npm_package.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const PORTABLE = `${ROOT}tests/portable/`;

/** Checks a runtime may skip, with why (README's runtime table says so). */
const ALLOWED_SKIPS: Record<string, RegExp> = {
  // Node 20 has Symbol.dispose but not the `using` syntax (Node 24 has).
  node: /no `using` declarations/,
};

interface Result {
  check: string;
  result: "ok" | "skip" | "fail";
  message?: string;
}

/** Runs the checks with `command` in `cwd`; returns each check's result. */
async function checks(
  pair: VethPair,
  command: string,
  args: string[],
  cwd: string,
): Promise<Result[]> {
  const out = await run("env", [
    `--chdir=${cwd}`,
    `RAWFRAME_PAIR=${pair.a},${pair.b}`,
    command,
    ...args,
  ], { timeoutMs: 120_000 });
  const results = out.stdout.trim().split("\n").filter((l) => l.startsWith("{"))
    .map((line) => JSON.parse(line) as Result);
  if (results.length === 0) {
    throw new Error(`${command} ran no check: ${out.stderr}`);
  }
  return results;
}

/** An empty project with the packed npm package installed, offline. */
async function installedPackage(): Promise<string> {
  const tarball = await buildNpmPackage();
  const project = await Deno.makeTempDir({ prefix: "rawframe-npm-" });
  Deno.writeTextFileSync(
    `${project}/package.json`,
    JSON.stringify({ private: true, type: "module" }),
  );
  // Offline: koffi comes from npm's cache, filled when tests/runtimes.ts
  // installed it (this namespace has no network).
  const install = await run("npm", [
    "install",
    "--offline",
    "--no-audit",
    "--no-fund",
    "--loglevel=error",
    "--prefix",
    project,
    tarball,
  ], { timeoutMs: 120_000 });
  if (install.code !== 0) throw new Error(`npm install: ${install.stderr}`);
  for (const file of Deno.readDirSync(PORTABLE)) {
    Deno.copyFileSync(`${PORTABLE}${file.name}`, `${project}/${file.name}`);
  }
  return project;
}

Deno.test({
  name:
    "the library's checks pass under Deno and Bun from the sources, and under Node and Bun from the installed npm package",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const project = await installedPackage();
    try {
      const runs: [string, string, string[], string][] = [
        [
          "deno",
          Deno.execPath(),
          ["run", "-A", "run_checks.mjs", "source"],
          PORTABLE,
        ],
        ["bun", BUN, ["run_checks.mjs", "source"], PORTABLE],
        ["node", "node", ["run_checks.mjs", "package"], project],
        ["bun (npm package)", BUN, ["run_checks.mjs", "package"], project],
      ];
      const counts: Record<string, number> = {};
      for (const [name, command, args, cwd] of runs) {
        const results = await checks(pair, command, args, cwd);
        const allowed = ALLOWED_SKIPS[name];
        const wrong = results.filter((r) =>
          r.result === "fail" ||
          (r.result === "skip" && !(allowed?.test(r.message ?? "")))
        ).map((r) => `${name}: ${r.check}: ${r.message}`);
        assertEquals(wrong, []);
        counts[name] = results.length;
      }
      // Every runtime ran every check.
      assertEquals(
        new Set(Object.values(counts)).size,
        1,
        JSON.stringify(counts),
      );
    } finally {
      await Deno.remove(project, { recursive: true });
    }
  },
});

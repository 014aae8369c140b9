/**
 * One core, three runtimes: the library's own checks
 * (tests/portable/library_checks.mjs: pure modules, sockets, rings,
 * filters, errors, timestamps) run on a veth pair under Deno and Bun from
 * the sources, and under Node and Bun from the npm package, packed and
 * installed into an empty project as a user would; the command line runs
 * on Node from the package's bin; and the package's declarations
 * type-check a strict TypeScript user.
 */

import { assertEquals, assertTrue } from "./assert.ts";
import {
  Child,
  CLI_PATH,
  integration,
  jsonLines,
  run,
  type VethPair,
  vethPair,
} from "./helpers.ts";
import { BUN, NPM_CACHE, TSC } from "../scripts/tools.ts";
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
  detail?: string;
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
    `RAWFRAME_FIXTURES=${ROOT}tests/fixtures/tcpdump`,
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
  // Offline: koffi comes from the npm cache scripts/tools.ts filled when
  // it installed the tools (this namespace has no network).
  const install = await run("npm", [
    "install",
    "--offline",
    "--cache",
    NPM_CACHE,
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

/** Every runtime's library checks: all pass, and compute the same. */
async function libraryChecks(pair: VethPair, project: string): Promise<void> {
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
  const details: Record<string, string> = {};
  for (const [name, command, args, cwd] of runs) {
    const results = await checks(pair, command, args, cwd);
    const allowed = ALLOWED_SKIPS[name];
    const wrong = results.filter((r) =>
      r.result === "fail" ||
      (r.result === "skip" && !(allowed?.test(r.message ?? "")))
    ).map((r) => `${name}: ${r.check}: ${r.message}`);
    assertEquals(wrong, []);
    counts[name] = results.length;
    details[name] = JSON.stringify(
      results.filter((r) => r.detail).map((r) => [r.check, r.detail]),
    );
  }
  // Every runtime ran every check.
  assertEquals(
    new Set(Object.values(counts)).size,
    1,
    JSON.stringify(counts),
  );
  // What the checks computed (the captures' decoded output) is the same.
  assertEquals(new Set(Object.values(details)).size, 1, details.deno);
  assertTrue(details.deno.includes("fnv1a"), details.deno);
}

/** The command line on Node, from the package's `rawframe` bin. */
async function nodeCommandLine(pair: VethPair, project: string): Promise<void> {
  const bin = `${project}/node_modules/@rawframe/rawframe/bin/rawframe.js`;
  const node = (...args: string[]) => run("node", [bin, ...args]);
  // read prints what deno run cli.ts prints, file by file.
  const fixtures = `${ROOT}tests/fixtures/tcpdump`;
  for (const file of Deno.readDirSync(fixtures)) {
    if (!file.name.endsWith(".pcap")) continue;
    const path = `${fixtures}/${file.name}`;
    const ours = await run(Deno.execPath(), [
      "run",
      "-R",
      CLI_PATH,
      "read",
      path,
    ]);
    assertEquals((await node("read", path)).stdout, ours.stdout, file.name);
  }
  // send, and listen --json and -w, on the veth pair.
  const dir = await Deno.makeTempDir();
  try {
    const listen = new Child("node", [
      bin,
      "listen",
      pair.b,
      "--type",
      "exp1",
      "-c",
      "2",
      "-w",
      `${dir}/two.pcap`,
    ]);
    await listen.waitFor(/listening on/);
    const json = new Child("node", [
      bin,
      "listen",
      pair.b,
      "--json",
      "-c",
      "1",
      "--type",
      "exp1",
    ]);
    await json.waitFor(/"event":"listening"/);
    const sent = await node(
      "send",
      pair.macB,
      pair.a,
      "--count",
      "2",
      "--interval",
      "0.05",
    );
    assertEquals(sent.code, 0, sent.stderr);
    const [record] = jsonLines((await json.done()).stdout);
    assertEquals([record.src, record.dst, record.type], [
      pair.macA,
      pair.macB,
      0x88b5,
    ]);
    assertEquals((await listen.done()).code, 0);
    const read = await run(Deno.execPath(), [
      "run",
      "-R",
      CLI_PATH,
      "read",
      `${dir}/two.pcap`,
    ]);
    assertEquals(read.stdout.trim().split("\n").length, 2, read.stdout);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  // Bad input: exit 2, one error line.
  const bad = await node("send", "08:00:27:dd:d7", pair.a);
  assertEquals(bad.code, 2);
  assertTrue(/^error: .*MAC/.test(bad.stderr), bad.stderr);
}

/** A TypeScript user of the package, checked strictly against its .d.ts. */
const CONSUMER = `
import { buildFrame, parseFrame, RawSocket, type ReceivedFrame } from "@rawframe/rawframe";
import { readPcap } from "@rawframe/rawframe/pcap";
import { decodeFrame } from "@rawframe/rawframe/decode";

const sock: RawSocket = RawSocket.open("eth0", { etherType: 0x88b5, ring: true });
const mac: string = sock.interface.mac;
sock.send(buildFrame({ dst: "ff:ff:ff:ff:ff:ff", src: mac, type: 0x88b5, payload: "Hi" }));
export async function show(): Promise<void> {
  for await (const frame of sock) {
    const received: ReceivedFrame = frame;
    console.log(parseFrame(received.bytes).src, decodeFrame(received.bytes).info);
  }
}
export const frames: number = readPcap(new Uint8Array(0)).length;
// @ts-expect-error: the types catch an option of the wrong type
RawSocket.open("eth0", { ring: "yes" });
`;

/** The package's declarations type-check a strict consumer. */
async function declarations(project: string): Promise<void> {
  Deno.writeTextFileSync(`${project}/consumer.ts`, CONSUMER);
  Deno.writeTextFileSync(
    `${project}/tsconfig.json`,
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        noEmit: true,
        lib: ["ES2023", "DOM", "ESNext.Disposable"],
        types: [],
      },
      files: ["consumer.ts"],
    }),
  );
  const tsc = await run("env", [
    `--chdir=${project}`,
    "node",
    TSC,
    "-p",
    "tsconfig.json",
  ]);
  assertEquals(tsc.stdout + tsc.stderr, "");
  assertEquals(tsc.code, 0);
}

Deno.test({
  name:
    "one core, three runtimes: the library's checks pass under Deno and Bun from the sources and under Node and Bun from the installed npm package; the command line runs on Node; the package's types serve a strict TypeScript user",
  ...integration,
  async fn(t) {
    await using pair = await vethPair();
    const project = await installedPackage();
    try {
      await t.step("the library's checks", () => libraryChecks(pair, project));
      await t.step(
        "the command line on Node",
        () => nodeCommandLine(pair, project),
      );
      await t.step(
        "the types, for a strict TypeScript user",
        () => declarations(project),
      );
    } finally {
      await Deno.remove(project, { recursive: true });
    }
  },
});

/**
 * Runs library_checks.mjs on this runtime and prints one JSON line per
 * check: `{"check":...,"result":"ok"|"skip"|"fail","message":...,
 * "detail":...}` (detail: what a check returned, for comparing runtimes),
 * then exits 1 if any failed.
 *
 * Usage (inside a test namespace, with a veth pair up):
 *   RAWFRAME_PAIR=va,vb <runtime> run_checks.mjs source|package
 * `source` imports the repository's TypeScript (Deno, Bun); `package` the
 * installed npm package `@rawframe/rawframe` (Node, Bun).
 */

import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import process from "node:process";
import { CHECKS, Skip } from "./library_checks.mjs";

const SOURCE_ENTRIES = {
  pcap: "lib/pcap.ts",
  filter: "lib/filter.ts",
  format: "lib/format.ts",
};

async function library(from) {
  if (from === "package") {
    const lib = await import("@rawframe/rawframe");
    return { ...lib, entry: (name) => `@rawframe/rawframe/${name}` };
  }
  const root = new URL("../../", import.meta.url);
  const lib = await import(new URL("mod.ts", root).href);
  return {
    ...lib,
    entry: (name) => new URL(SOURCE_ENTRIES[name], root).href,
  };
}

const lib = await library(process.argv[2]);
const [a, b] = (process.env.RAWFRAME_PAIR ?? "").split(",");
const link = (name) =>
  JSON.parse(execFileSync("ip", ["-s", "-j", "link", "show", name]))[0];
const end = (name) => ({
  name,
  mac: lib.getInterface(name).mac,
  ipMac: link(name).address,
});
const pair = {
  a: end(a),
  b: end(b),
  /** The curated tcpdump captures, each file's bytes. */
  fixtures: () => {
    const dir = process.env.RAWFRAME_FIXTURES ??
      new URL("../fixtures/tcpdump/", import.meta.url).pathname;
    return readdirSync(dir).filter((f) => f.endsWith(".pcap")).sort()
      .map((f) => readFileSync(`${dir}/${f}`));
  },
  backlogDrops: () =>
    readFileSync("/proc/net/softnet_stat", "utf8").trim().split("\n")
      .reduce((sum, row) => sum + parseInt(row.split(" ")[1], 16), 0),
  setUp: (name, up) =>
    execFileSync("ip", ["link", "set", name, up ? "up" : "down"]),
};

let failed = 0;
for (const [check, run] of CHECKS) {
  let result = "ok";
  let message;
  let detail;
  try {
    detail = await run(lib, pair);
  } catch (err) {
    result = err instanceof Skip ? "skip" : "fail";
    message = err instanceof Error ? `${err.name}: ${err.message}` : `${err}`;
    if (result === "fail") failed++;
  }
  console.log(JSON.stringify({ check, result, message, detail }));
}
process.exit(failed === 0 ? 0 : 1);

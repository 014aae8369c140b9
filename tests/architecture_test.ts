/**
 * The shape the project keeps: `cli` → `lib` → `ffi` → `contract`, with
 * only `ffi/` touching native memory, libc or errno; the runtime named
 * only behind the two seams (ffi/native/, cli/host/); pure modules free of
 * any runtime API; files and functions short enough to read.
 */
import { assertEquals } from "./assert.ts";

const ROOT = new URL("..", import.meta.url).pathname;

/** Every source file (outside tests/ and bench/), by path from the root. */
function sources(): string[] {
  const files = ["mod.ts", "cli.ts"];
  const walk = (dir: string): void => {
    for (const entry of Deno.readDirSync(`${ROOT}${dir}`)) {
      if (entry.isDirectory) walk(`${dir}/${entry.name}`);
      else if (entry.name.endsWith(".ts")) files.push(`${dir}/${entry.name}`);
    }
  };
  for (const dir of ["cli", "lib", "ffi", "contract"]) walk(dir);
  return files.sort();
}

const text = (file: string): string => Deno.readTextFileSync(`${ROOT}${file}`);

/** The code without comments (string contents are kept). */
function code(file: string): string {
  return text(file)
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/^\s*\/\/.*$/gm, "")
    .replace(/\s\/\/ .*$/gm, "");
}

/** The project files `file` imports (statically or dynamically). */
function imports(file: string): string[] {
  const dir = file.includes("/")
    ? file.slice(0, file.lastIndexOf("/") + 1)
    : "";
  const found = [...code(file).matchAll(/(?:from|import\()\s*"(\.[^"]+)"/g)];
  return found.map(([, spec]) => {
    const parts = `${dir}${spec}`.split("/");
    const out: string[] = [];
    for (const part of parts) {
      if (part === "..") out.pop();
      else if (part !== ".") out.push(part);
    }
    return out.join("/");
  }).filter((path) => path.endsWith(".ts"));
}

const inLayer = (prefix: string) => (file: string) => file.startsWith(prefix);
const isCli = (file: string): boolean =>
  file === "cli.ts" || file.startsWith("cli/");

/** ffi/ modules that offer typed operations; the rest are its internals. */
const FFI_OPERATIONS = [
  "ffi/packet_fd.ts",
  "ffi/waker.ts",
  "ffi/message_reader.ts",
  "ffi/rx_ring.ts",
  "ffi/tx_ring.ts",
  "ffi/message_batch.ts",
  "ffi/interfaces.ts",
  "ffi/libpcap.ts",
  "ffi/tx_timestamps.ts",
  "ffi/clock.ts",
];

/** Modules that must run anywhere: no Deno API at all. */
const PURE = [
  "lib/frame.ts",
  "lib/hex.ts",
  ...sources().filter((f) => f.startsWith("contract/")),
  "lib/errors.ts",
  "lib/bpf.ts",
  "lib/pcap.ts",
  "lib/pcap_reader.ts",
  "lib/pcap_writer.ts",
  "lib/format.ts",
  "lib/echo.ts",
  "lib/received_frame.ts",
  "lib/frame_size.ts",
  "lib/delay.ts",
  "lib/series.ts",
  "lib/capture.ts",
  "lib/capture_loop.ts",
  "lib/frame_source.ts",
  "lib/file_source.ts",
  "lib/captured_view.ts",
  "lib/echo_responder.ts",
  "lib/json_writer.ts",
  "lib/ping.ts",
  "lib/capture_format.ts",
  "lib/pcap_classic.ts",
  "lib/pcapng.ts",
  "lib/decode.ts",
  "lib/escape.ts",
  "lib/time_format.ts",
  "lib/verbose.ts",
  "lib/option_check.ts",
  "lib/hexdump.ts",
  "lib/build.ts",
  "lib/record_frame.ts",
  ...sources().filter((f) => f.startsWith("lib/decode/")),
  ...sources().filter((f) => f.startsWith("lib/build/")),
];

Deno.test("only ffi/ calls libc, reads errno or touches pointers", () => {
  const native =
    /Deno\.(Unsafe\w*|dlopen)|bun:ffi|"koffi"|\blibc\(\)|\berrno\(\)|__errno_location/;
  const offenders = sources().filter((f) => !f.startsWith("ffi/"))
    .filter((f) => native.test(code(f)));
  assertEquals(offenders, []);
});

Deno.test("lib/ uses ffi/ only through its typed operations", () => {
  const offenders = sources().filter((f) => !f.startsWith("ffi/"))
    .flatMap((f) => imports(f).map((to) => `${f} -> ${to}`))
    .filter((edge) => edge.includes("-> ffi/"))
    .filter((edge) => !FFI_OPERATIONS.some((op) => edge.endsWith(`-> ${op}`)));
  assertEquals(offenders, []);
});

Deno.test("the command line never imports ffi/", () => {
  const offenders = sources().filter(isCli)
    .flatMap((f) =>
      imports(f).filter(inLayer("ffi/")).map((to) => `${f} -> ${to}`)
    );
  assertEquals(offenders, []);
});

Deno.test("contract/ imports only itself, and ffi/ only itself and contract/", () => {
  const below: Record<string, string[]> = {
    "contract/": ["contract/"],
    "ffi/": ["ffi/", "contract/"],
  };
  const offenders = sources().flatMap((f) => {
    const allowed = Object.entries(below).find(([dir]) => f.startsWith(dir));
    if (allowed === undefined) return [];
    return imports(f).filter((to) => !allowed[1].some((d) => to.startsWith(d)))
      .map((to) => `${f} -> ${to}`);
  });
  assertEquals(offenders, []);
});

Deno.test("the runtime is named only behind the seams: ffi/native/ and cli/host/", () => {
  const runtime = /\bDeno\.|\bBun\b|"node:|bun:|\bprocess\./;
  const offenders = sources()
    .filter((f) => !f.startsWith("ffi/native/") && !f.startsWith("cli/host/"))
    .filter((f) => runtime.test(code(f)));
  assertEquals(offenders, []);
  // The seams themselves are chosen in one file each.
  for (const seam of ["ffi/native/", "cli/host/"]) {
    const users = sources().filter((f) => !f.startsWith(seam))
      .flatMap((f) => imports(f).filter((to) => to.startsWith(seam)))
      .filter((to) =>
        !to.endsWith("/runtime.ts") && !to.endsWith("/native.ts") &&
        !to.endsWith("/host.ts")
      );
    assertEquals(users, [], seam);
  }
});

Deno.test("imports run downward: lib/ never imports the command line", () => {
  const offenders = sources().filter(inLayer("lib/"))
    .flatMap((f) => imports(f).filter(isCli).map((to) => `${f} -> ${to}`));
  assertEquals(offenders, []);
});

Deno.test("pure modules use no runtime API and import no native code", () => {
  const offenders = PURE.filter((f) =>
    /\bDeno\.|\bBun\b|"node:|\bprocess\./.test(code(f)) ||
    imports(f).some((to) => to.startsWith("ffi/") || to.startsWith("cli/"))
  );
  assertEquals(offenders, []);
});

Deno.test("no source file is longer than 450 lines", () => {
  const long = sources().map((f) => [f, text(f).split("\n").length] as const)
    .filter(([, lines]) => lines > 450)
    .map(([f, lines]) => `${f}: ${lines} lines`);
  assertEquals(long, []);
});

/**
 * Functions and methods with their length in lines, found by deno fmt's
 * layout: a declaration, its body's opening `{` at the end of a line, and
 * the closing `}` alone at the declaration's indentation.
 */
function functionLengths(file: string): [string, number][] {
  const lines = text(file).split("\n");
  const start = new RegExp(
    String.raw`^(\s*)(?:export\s+)?(?:default\s+)?(?:static\s+)?(?:async\s+)?` +
      String
        .raw`(?:function\*?\s*([\w$]*)|(?:get\s+|set\s+|\*\s*)?(#?[\w$]+|\[Symbol\.\w+\])\s*(?:<[^>]*>)?\(|(?:const|let)\s+([\w$]+)\s*=\s*(?:async\s*)?(?:\([^)]*\)|[\w$]+)\s*(?::[^=]+)?=>\s*\{$)`,
  );
  const keywords = new Set([
    "if",
    "for",
    "while",
    "switch",
    "catch",
    "return",
    "await",
    "new",
    "typeof",
  ]);
  const found: [string, number][] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = lines[i].match(start);
    if (!m) continue;
    const name = m[2] ?? m[3] ?? m[4] ?? "";
    if (keywords.has(name)) continue;
    let open = i;
    while (open < lines.length && !/\{$/.test(lines[open])) {
      if (/;$/.test(lines[open]) || (open > i && /^\s*$/.test(lines[open]))) {
        break;
      }
      open++;
    }
    // A declaration's body opens after its parameters (and return type);
    // a call passing an object or callback (`out(JSON.stringify({`) does not.
    const body = /\)(\s*:\s*[^=]+)?\s*\{$|=>\s*\{$/;
    if (open >= lines.length || !body.test(lines[open])) continue;
    const close = lines.findIndex((l, j) =>
      j > open && l.startsWith(`${m[1]}}`) && l.length - m[1].length <= 3
    );
    if (close > 0) found.push([`${file}:${i + 1} ${name}`, close - i + 1]);
  }
  return found;
}

Deno.test("no function or method is longer than 60 lines", () => {
  const all = sources().flatMap(functionLengths);
  // The scanner must see functions at all, or this test proves nothing.
  assertEquals(
    all.some(([where]) =>
      where.startsWith("lib/socket.ts") && where.endsWith(" open")
    ),
    true,
  );
  const long = all.filter(([, lines]) => lines > 60).map(([where, lines]) =>
    `${where}: ${lines} lines`
  );
  assertEquals(long, []);
});

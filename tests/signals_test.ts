/**
 * A signal at any moment ends rawframe: Ctrl-C and SIGTERM sent 0 to 80 ms
 * after the process starts, while it loads, opens its socket or runs, on
 * a machine kept busy. A shell starts a background job (`rawframe ... &`)
 * with SIGINT ignored, so a signal that comes before any program can ask
 * for it is lost by the kernel; these tests start rawframe that way and
 * tell that case apart by reading the process's caught signals.
 *
 * @module
 */

import { assertEquals, assertTrue } from "./assert.ts";
import {
  CLI_PATH,
  integration,
  run,
  sleep,
  vethPair,
  within,
} from "./helpers.ts";

const decoder = new TextDecoder();
const SIGINT_BIT = 1n << 1n;
const SIGTERM_BIT = 1n << 14n;

/** The signals process `pid` catches (SigCgt), or undefined once it is gone. */
function caughtSignals(pid: number): bigint | undefined {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    return BigInt(`0x${/SigCgt:\s*([0-9a-f]+)/.exec(status)![1]}`);
  } catch {
    return undefined;
  }
}

/** rawframe started as a shell's background job: SIGINT ignored. */
function startIgnoringSigint(args: string[]): Deno.ChildProcess {
  return new Deno.Command("sh", {
    args: [
      "-c",
      `trap '' INT; exec "$0" "$@"`,
      Deno.execPath(),
      ...["run", "--allow-ffi", "--allow-read", "--allow-write", CLI_PATH],
      ...args,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Two busy loops, one per core, for as long as the test runs. */
function loadTheMachine(): AsyncDisposable {
  const hogs = [1, 2].map(() =>
    new Deno.Command("sh", {
      args: ["-c", "while :; do :; done"],
      stdout: "null",
      stderr: "null",
    }).spawn()
  );
  return {
    async [Symbol.asyncDispose]() {
      for (const hog of hogs) hog.kill("SIGKILL");
      await Promise.all(hogs.map((hog) => hog.status));
    },
  };
}

/** How one signalled run ended. */
interface Ending {
  code: number;
  stdout: string;
  stderr: string;
  /** From the signal that took effect to the process's end. */
  ms: number;
  /** The first signal came before rawframe could catch it. */
  early: boolean;
}

/**
 * Starts `args`, sends `signal` `delayMs` later and waits for the end. A
 * SIGINT sent before the process catches it is lost (it was ignored):
 * then it is sent again once the process catches it.
 */
async function signalledAfter(
  args: string[],
  signal: "SIGINT" | "SIGTERM",
  delayMs: number,
): Promise<Ending> {
  const child = startIgnoringSigint(args);
  const output = child.output();
  const bit = signal === "SIGINT" ? SIGINT_BIT : SIGTERM_BIT;
  if (delayMs > 0) await sleep(delayMs);
  const before = caughtSignals(child.pid);
  let sent = performance.now();
  child.kill(signal);
  // Ignored SIGINT before rawframe catches it: the kernel drops it.
  const early = signal === "SIGINT" && before !== undefined &&
    (before & bit) === 0n;
  if (early) {
    const exited = await within(child.status.then(() => true), 300, false);
    if (!exited) {
      while (((caughtSignals(child.pid) ?? bit) & bit) === 0n) await sleep(1);
      sent = performance.now();
      child.kill(signal);
    }
  }
  const out = await within(output, 5000, undefined);
  if (out === undefined) {
    child.kill("SIGKILL");
    throw new Error(`${args.join(" ")} did not end 5 s after ${signal}`);
  }
  return {
    code: out.code,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
    ms: performance.now() - sent,
    early,
  };
}

Deno.test({
  name:
    "SIGINT and SIGTERM sent 0 to 80 ms after start end send, listen, ping and listen --echo promptly, on a busy machine",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    await using _load = loadTheMachine();
    // What each command says when a signal ends its work (exit code and a
    // line of its summary); a signal before that work exits 130 or 143.
    const commands: [string, string[], number, RegExp][] = [
      ["send flood", ["send", pair.macB, pair.a, "-c", "0"], 0, /^sent \d+/m],
      ["listen -q", ["listen", pair.b, "-q"], 0, /frames? received/],
      [
        "ping",
        ["ping", pair.macB, pair.a, "--interval", "50"],
        1,
        /transmitted, 0 received/,
      ],
      ["listen --echo", ["listen", pair.b, "--echo"], 0, /answered/],
    ];
    const seen: string[] = [];
    for (const [name, args, code, summary] of commands) {
      const endings = { summary: 0, signal: 0, early: 0 };
      for (const delayMs of [0, 10, 20, 30, 50, 80]) {
        for (const signal of ["SIGINT", "SIGTERM"] as const) {
          const end = await signalledAfter(args, signal, delayMs);
          const what = `${name}, ${signal} after ${delayMs} ms`;
          // Generous for two busy cores; about 30 ms is usual.
          assertTrue(end.ms < 2000, `${what}: ended ${end.ms} ms later`);
          const bySignal = signal === "SIGINT" ? 130 : 143;
          if (end.code === bySignal) {
            endings.signal++;
            assertEquals(end.stdout, "", `${what}: ${end.stdout}`);
          } else {
            endings.summary++;
            assertEquals(end.code, code, `${what}: ${end.stderr}`);
            assertTrue(
              summary.test(end.stdout + end.stderr),
              `${what}: ${end.stderr}`,
            );
            assertTrue(!/error/.test(end.stderr), `${what}: ${end.stderr}`);
          }
          if (end.early) endings.early++;
        }
      }
      seen.push(
        `${name}: ${endings.summary} summaries, ${endings.signal} exits by signal (${endings.early} SIGINTs came before it could catch them, were dropped by the kernel and sent again)`,
      );
    }
    console.log(`    ${seen.join("; ")}`);
  },
});

Deno.test({
  name:
    "rawframe catches SIGINT and SIGTERM before it opens a socket, so none that comes later is lost",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const trace = await Deno.makeTempFile({ suffix: ".strace" });
    try {
      for (
        const args of [
          ["send", pair.macB, pair.a, "-c", "3"],
          ["listen", pair.b, "-q", "--timeout", "0.2"],
          ["ping", pair.macB, pair.a, "-c", "1", "--timeout", "0.1"],
          ["listen", pair.b, "--echo", "--timeout", "0.2"],
        ]
      ) {
        const out = await run("strace", [
          ...["-f", "-o", trace, "-e", "trace=rt_sigaction,socket"],
          ...["-e", "signal=none", Deno.execPath(), "run", "--allow-ffi"],
          ...[CLI_PATH, ...args],
        ]);
        assertTrue(out.code <= 1, `${args.join(" ")}: ${out.stderr}`);
        const calls = (await Deno.readTextFile(trace)).split("\n");
        const handler = (name: string): number =>
          calls.findIndex((c) =>
            c.includes(`rt_sigaction(${name}, {sa_handler=0x`)
          );
        const socket = calls.findIndex((c) => c.includes("socket(AF_PACKET"));
        const what = args.slice(0, 3).join(" ");
        assertTrue(socket >= 0, `${what}: no packet socket in the trace`);
        for (const name of ["SIGINT", "SIGTERM"]) {
          const at = handler(name);
          assertTrue(
            at >= 0 && at < socket,
            `${what}: ${name} handler at call ${at}, socket at ${socket}`,
          );
        }
      }
    } finally {
      await Deno.remove(trace);
    }
  },
});

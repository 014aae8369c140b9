/**
 * Faults injected in the test namespace, as a real network brings them:
 * links that flap, interfaces that vanish, Ctrl-C at any rate, a peer that
 * goes away under a flood, a disk that fills up.
 */
import { assertEquals, assertTrue } from "./assert.ts";
import {
  type Child,
  integration,
  run,
  sh,
  sleep,
  spawnCli,
  startListen,
  type VethPair,
  vethPair,
  within,
} from "./helpers.ts";
import { RawSocket } from "../lib/socket.ts";
import { buildFrame } from "../lib/frame.ts";
import { readPcap } from "../lib/pcap.ts";
import { openLibc } from "../ffi/libc.ts";

if (integration.ignore === false) openLibc(); // loaded for the whole run

/** CPU seconds process `pid` has used (user + system, all its threads). */
function cpuOf(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Sends EtherType 0x88b6 frames to `pair.b`, `burst` at a time, until
 * `seen()` holds (a lost frame is simply sent again).
 */
async function sendUntil(
  pair: VethPair,
  seen: () => boolean,
  options: { payload?: string; burst?: number } = {},
): Promise<boolean> {
  using tx = RawSocket.open(pair.a, { receive: false });
  const frame = buildFrame({
    dst: pair.macB,
    src: pair.macA,
    type: 0x88b6,
    payload: options.payload ?? "after",
  });
  const burst = new Array<Uint8Array>(options.burst ?? 1).fill(frame);
  for (let i = 0; i < 40 && !seen(); i++) {
    tx.sendMany(burst);
    await sleep(100);
  }
  return seen();
}

/** Waits until `child` has ended, or `ms` passed; returns whether it ended. */
function endsWithin(child: Child, ms: number): Promise<boolean> {
  return within(child.process.status.then(() => true), ms, false);
}

for (const mode of ["text", "json"]) {
  Deno.test({
    name:
      `listen (${mode}) survives a link flap: one notice, no spin, frames after it shown`,
    ...integration,
    async fn() {
      await using pair = await vethPair();
      const listen = await startListen(
        pair.b,
        "--type",
        "exp2",
        ...(mode === "json" ? ["--json"] : []),
      );
      await run("ip", ["link", "set", pair.b, "down"]);
      await sleep(200);
      const before = cpuOf(listen.process.pid);
      await sleep(600);
      const used = cpuOf(listen.process.pid) - before;
      await run("ip", ["link", "set", pair.b, "up"]);
      const shown = await sendUntil(pair, () => listen.stdout.includes("\n"));
      listen.process.kill("SIGINT");
      const out = await listen.done();
      assertTrue(shown, `a frame after the flap: ${out.stdout}`);
      assertTrue(
        used < 0.3,
        `${used} s of CPU in 0.6 s while the link was down`,
      );
      assertEquals(out.code, 0, out.stderr);
      const notices = out.stderr.split("\n").filter((l) => /went down/.test(l));
      const said = `interface "${pair.b}" went down; still listening`;
      assertEquals(notices, [
        mode === "json"
          ? JSON.stringify({
            event: "notice",
            command: "listen",
            message: said,
          })
          : `listen: ${said}`,
      ]);
    },
  });
}

for (const when of ["up", "down"]) {
  Deno.test({
    name:
      `listen ends within a second, exit 1, when its interface is deleted (while ${when})`,
    ...integration,
    async fn() {
      const pair = await vethPair();
      const listen = await startListen(pair.b, "--type", "exp2");
      if (when === "down") {
        await run("ip", ["link", "set", pair.b, "down"]);
        await sleep(300);
      }
      await sh("ip", "link", "del", pair.a);
      const ended = await endsWithin(listen, 1000);
      const out = await listen.done();
      assertTrue(ended, "listen ended within a second");
      assertEquals(out.code, 1, out.stderr);
      const lines = out.stderr.trim().split("\n");
      assertEquals(lines.at(-1), `error: interface "${pair.b}" was removed`);
    },
  });
}

/** Starts `args`, waits, signals it, and measures how long it took to end. */
async function interrupted(
  args: string[],
  signal: Deno.Signal,
): Promise<{ ms: number; code: number; stdout: string; stderr: string }> {
  const child = spawnCli(...args);
  await sleep(700);
  const sent = performance.now();
  child.process.kill(signal);
  await child.process.status;
  const ms = performance.now() - sent;
  return { ms, ...(await child.done()) };
}

Deno.test({
  name:
    "Ctrl-C and SIGTERM end paced series and pings that fell behind, with their summary",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const cases: [string[], Deno.Signal, number, RegExp][] = [
      [
        ["send", pair.macB, pair.a, "--count", "0", "--rate", "5000000"],
        "SIGINT",
        0,
        /stopped by signal/,
      ],
      [
        ["send", pair.macB, pair.a, "--count", "0", "--interval", "0.0001"],
        "SIGTERM",
        0,
        /stopped by signal/,
      ],
      [
        ["ping", pair.macB, pair.a, "--interval", "0.2"],
        "SIGINT",
        1,
        /transmitted, 0 received/,
      ],
      [
        ["ping", pair.macB, pair.a, "--interval", "0.001"],
        "SIGTERM",
        1,
        /transmitted, 0 received/,
      ],
    ];
    const times: string[] = [];
    for (const [args, signal, code, summary] of cases) {
      const out = await interrupted(args, signal);
      times.push(`${args[3]} ${args[4]}: ${out.ms.toFixed(0)} ms`);
      assertEquals(out.code, code, `${args.join(" ")}: ${out.stderr}`);
      assertTrue(summary.test(out.stdout), `${args.join(" ")}: ${out.stdout}`);
      // Generous for a loaded machine; about 30 ms is usual (see README).
      assertTrue(out.ms < 1000, `${args.join(" ")} took ${out.ms} ms`);
    }
    console.log(`    signal to exit: ${times.join(", ")}`);
  },
});

Deno.test({
  name:
    "a flood whose link goes down ends with exit 1 and a count (no Infinity)",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const flood = spawnCli("send", pair.macB, pair.a, "--count", "0");
    await sleep(500);
    await run("ip", ["link", "set", pair.a, "down"]);
    const out = await flood.done(5000);
    assertEquals(out.code, 1, out.stderr);
    const lines = out.stderr.trim().split("\n");
    assertTrue(
      /^send: sent \d+ frames before the error$/.test(lines[0]),
      lines[0],
    );
    assertEquals(
      lines[1],
      `error: interface "${pair.a}" is down; bring it up with: ip link set ${pair.a} up`,
    );
    assertTrue(!out.stderr.includes("Infinity"), out.stderr);
  },
});

Deno.test({
  name: "sending while the far end is down says so once: frames are dropped",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    await run("ip", ["link", "set", pair.b, "down"]); // pair.a loses its carrier
    const out = await (spawnCli(
      "send",
      pair.macB,
      pair.a,
      "--count",
      "2000",
      "--rate",
      "4000",
    )).done();
    assertEquals(out.code, 0, out.stderr);
    assertEquals(out.stderr.trim().split("\n"), [
      `send: interface "${pair.a}" has no carrier (is the far end down?); frames sent now are dropped`,
    ]);
  },
});

Deno.test({
  name:
    "a full disk ends listen -w with one error line, exit 1, and a capture every reader can read",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const dir = await Deno.makeTempDir();
    await sh("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir);
    try {
      const file = `${dir}/capture.pcap`;
      const listen = await startListen(pair.b, "--type", "exp2", "-w", file);
      await sendUntil(
        pair,
        () => listen.stderr.includes("error:"),
        { payload: "x".repeat(200), burst: 50 },
      );
      const out = await listen.done(5000);
      assertEquals(out.code, 1, out.stderr);
      const lines = out.stderr.trim().split("\n");
      assertEquals(
        lines.at(-1),
        `error: writing "${file}": no space left on device`,
      );
      const frames = readPcap(await Deno.readFile(file)); // whole records only
      assertTrue(frames.length > 100, `${frames.length} frames kept`);
      const tshark = await run("tshark", [
        "-r",
        file,
        "-T",
        "fields",
        "-e",
        "frame.number",
      ]);
      assertEquals(tshark.code, 0, tshark.stderr);
      assertEquals(tshark.stdout.trim().split("\n").length, frames.length);
    } finally {
      await run("umount", [dir]);
      await Deno.remove(dir, { recursive: true });
    }
  },
});

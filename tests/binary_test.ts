/**
 * The single binary, as a user without Deno or Bun gets it: built by
 * `bun build --compile` (scripts/binary.ts), then the CLI's integration
 * tests run against the binary itself (tests/helpers.ts runs it instead
 * of `deno run cli.ts` when RAWFRAME_BINARY is set) with a PATH on which
 * neither deno nor bun nor node is; then an ordinary user runs it, first
 * refused with what to do, then allowed by `setcap cap_net_raw+ep`.
 */

import { assertEquals, assertTrue } from "./assert.ts";
import {
  BINARY,
  BINARY_PATH,
  integration,
  inUserNamespace,
  run,
  vethPair,
} from "./helpers.ts";
import { buildBinary } from "../scripts/binary.ts";
import { RawSocket } from "../lib/socket.ts";
import { openLibc } from "../ffi/libc.ts";

if (integration.ignore === false) openLibc(); // loaded for the whole run

/** The CLI's integration tests: every command, its output and its errors. */
const CLI_TESTS = [
  "cli_test.ts", // error and exit-code cases
  "send_test.ts",
  "send_layers_test.ts",
  "series_test.ts",
  "listen_test.ts", // text, JSON, -w
  "capture_test.ts",
  "json_output_test.ts",
  "ping_test.ts", // with a responder
  "echo_lines_test.ts",
  "read_test.ts",
  "signals_test.ts",
  "status_test.ts",
];

const TESTS_DIR = new URL(".", import.meta.url).pathname;

/** An ordinary user, and how to run a command as that user. */
const NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"];

Deno.test({
  name:
    "the single binary passes the CLI's integration tests with no deno, bun or node on its PATH; an ordinary user is told to setcap, and after setcap can send",
  ...integration,
  // Never inside a run that is itself testing the binary.
  ignore: integration.ignore || BINARY !== undefined,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "rawframe-bin-" });
    Deno.chmodSync(dir, 0o755); // the ordinary user runs it from here
    try {
      const binary = await buildBinary(`${dir}/rawframe`);

      await t.step("no runtime on its PATH", async () => {
        const found = await run("/bin/sh", [
          "-c",
          "command -v deno || command -v bun || command -v node",
        ], { env: { PATH: BINARY_PATH } });
        assertEquals(found.stdout, ""); // none found
        assertTrue(found.code !== 0, `exit ${found.code}`);
      });

      await t.step(
        "the CLI's integration tests, against the binary",
        async () => {
          const out = await run(Deno.execPath(), [
            "test",
            "--allow-all",
            ...CLI_TESTS.map((f) => `${TESTS_DIR}${f}`),
          ], { env: { RAWFRAME_BINARY: binary }, timeoutMs: 600_000 });
          const [, passed, failed] =
            out.stdout.match(/(\d+) passed \| (\d+) failed/) ?? [];
          assertEquals(failed, "0", out.stdout.slice(-4000));
          assertTrue(Number(passed) >= 60, `${passed} passed`);
          assertEquals(out.code, 0);
        },
      );

      await t.step({
        name: "an ordinary user: refused with what to do, then setcap",
        // setcap and setpriv need real root; tcpdump-less user namespaces
        // cannot grant file capabilities.
        ignore: inUserNamespace,
        fn: async () => {
          await using pair = await vethPair();
          const send = [binary, "send", pair.macB, pair.a, "--count", "3"];
          const refused = await run(NOBODY[0], [...NOBODY.slice(1), ...send]);
          assertEquals(refused.code, 1, refused.stderr);
          assertTrue(
            /^error: .*CAP_NET_RAW.*setcap cap_net_raw\+ep/.test(
              refused.stderr,
            ),
            refused.stderr,
          );
          assertEquals(refused.stderr.trim().split("\n").length, 1);

          assertEquals(
            (await run("setcap", ["cap_net_raw+ep", binary])).code,
            0,
          );
          using watch = RawSocket.open(pair.b, { etherType: 0x88b5 });
          const allowed = await run(NOBODY[0], [...NOBODY.slice(1), ...send]);
          assertEquals(allowed.code, 0, allowed.stderr);
          const frame = await watch.receive({ timeoutMs: 5000 });
          assertTrue(frame !== null, "the ordinary user's frame never came");
          assertEquals(
            frame?.bytes.subarray(14, 16),
            new Uint8Array([0x48, 0x69]),
          );
        },
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

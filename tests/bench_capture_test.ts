/**
 * The capture benchmark's harness works on rawframe's own output: it finds
 * `listen` started and reads its summary in every mode the benchmark runs
 * (`-w`, `-q`, `--json`), with a small trafgen flood. A harness that
 * cannot see rawframe listening stops `deno task bench` half way.
 */

import { deepEqual } from "node:assert/strict";
import { captureFlood } from "../bench/capture.ts";
import {
  DENO,
  makeBenchLink,
  RAWFRAME_FLAGS,
  RECEIVER,
  SENDER,
  trafgenConfig,
} from "../bench/tools.ts";
import { CLI_PATH, integration, run, sh } from "./helpers.ts";

const FRAMES = 2_000;

Deno.test({
  name: "the capture benchmark sees listen start and reads its summary",
  ...integration,
  async fn() {
    await run("ip", ["link", "del", SENDER]); // left by an earlier run
    const ipv6 = (await sh("sysctl", "-n", "net.ipv6.conf.all.disable_ipv6"))
      .trim();
    await makeBenchLink(); // also turns IPv6 off: put back below
    const config = await trafgenConfig();
    const file = await Deno.makeTempFile({ suffix: ".pcap" });
    try {
      for (const mode of [["-w", file], ["-q"], ["--json"]]) {
        const args = ["run", ...RAWFRAME_FLAGS, CLI_PATH, "listen", RECEIVER];
        const result = await captureFlood(
          DENO,
          [...args, "--type", "exp1", ...mode],
          config,
          FRAMES,
        );
        deepEqual(
          [result.received, result.dropped],
          [FRAMES, 0],
          `listen ${mode.join(" ")}`,
        );
      }
    } finally {
      await run("ip", ["link", "del", SENDER]);
      await sh("sysctl", "-qw", `net.ipv6.conf.all.disable_ipv6=${ipv6}`);
      await Deno.remove(config);
      await Deno.remove(file);
    }
  },
});

/**
 * MACs that vary in a series, as mausezahn's `-a rand` and trafgen's
 * counters: `--src FROM-TO` counts source addresses, `--src rand` draws
 * unicast, locally administered ones, the destination and ARP's addresses
 * likewise; tcpdump (tshark in a user namespace), on the other end of a
 * veth pair, sees each frame's.
 */

import { deepEqual, equal, throws } from "node:assert/strict";
import { parseLayerSpec } from "../cli/layer_spec.ts";
import { varyingValue } from "../cli/varying.ts";
import { InputError } from "../lib/errors.ts";
import { parseFrame } from "../lib/frame.ts";
import { capture, cli, integration, vethPair } from "./helpers.ts";

Deno.test("MAC ranges read as numbers, dashed MACs too; rand is unicast and local", () => {
  const counted = varyingValue(
    "mac",
    "--src",
    "02:00:00:00:00:fe-02:00:00:00:01:01",
  );
  deepEqual(
    [counted?.from, counted?.to, counted?.random],
    [0x0200000000fe, 0x020000000101, false],
  );
  const dashed = varyingValue(
    "mac",
    "--src",
    "08-00-27-00-00-01-08-00-27-00-00-09",
  );
  deepEqual([dashed?.from, dashed?.to], [0x080027000001, 0x080027000009]);
  const random = varyingValue("mac", "--src", "rand");
  deepEqual([random?.from, random?.to], [0x020000000000, 0x02ffffffffff]);
  equal(varyingValue("mac", "--src", "02:00:00:00:00:01"), undefined);
  throws(
    () => varyingValue("mac", "--src", "02:00:00:00:00:09-02:00:00:00:00:01"),
    /runs backwards/,
  );
  const { layers, variations } = parseLayerSpec(
    "arp op=1 sha=02:00:00:00:00:01-02:00:00:00:00:04 spa=10.0.0.1 tpa=10.0.0.2",
  );
  equal((layers[0] as { sha?: string }).sha, "02:00:00:00:00:01");
  deepEqual(variations.map((v) => [v.field, v.kind, v.to - v.from]), [
    ["sha", "mac", 3],
  ]);
  throws(() => parseLayerSpec("arp tha=rand:02:00:00:00:00:01"), InputError);
});

Deno.test({
  name: "send --src FROM-TO and rand: tcpdump sees each frame's source MAC",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    /** The source MACs tcpdump sees of `count` frames sent with `--src src`. */
    const sources = async (src: string, count: number) => {
      const seen = await capture(pair.b, "udp", count);
      const out = await cli(
        "send",
        pair.macB,
        pair.a,
        ...["--src", src, "-c", String(count), "-q"],
        ...["--layers", "ip src=10.0.0.1 dst=10.0.0.2 / udp dport=9"],
      );
      equal(out.code, 0, out.stderr);
      return (await seen.frames()).map((f) => parseFrame(f).src);
    };
    deepEqual(await sources("02:00:00:00:00:fe-02:00:00:00:01:01", 6), [
      "02:00:00:00:00:fe",
      "02:00:00:00:00:ff",
      "02:00:00:00:01:00",
      "02:00:00:00:01:01",
      "02:00:00:00:00:fe",
      "02:00:00:00:00:ff",
    ]);
    const drawn = await sources("rand", 200);
    equal(drawn.length, 200);
    // Unicast (group bit clear) and locally administered, all different.
    for (const src of drawn) equal(parseInt(src.slice(0, 2), 16) & 0x03, 2);
    equal(new Set(drawn).size, 200);
  },
});

Deno.test("--src that varies needs --layers and --count: exit 2, one line", async () => {
  for (
    const [args, said] of [
      [
        ["--src", "rand"],
        /--src "rand" varies from frame to frame: that takes --layers/,
      ],
      [["--src", "rand", "--layers", "ip"], /--src varies .* give --count/],
    ] as const
  ) {
    // No such interface: a refusal that regressed would send nothing.
    const out = await cli("send", "ff:ff:ff:ff:ff:ff", "rfnone0", ...args);
    equal(out.code, 2, out.stderr);
    equal(said.test(out.stderr), true, out.stderr);
    equal(out.stderr.trim().split("\n").length, 1);
  }
});

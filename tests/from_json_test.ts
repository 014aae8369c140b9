/**
 * `send --from-json`: `read --json x.pcap | send IF --from-json -` puts
 * x.pcap's frames on the wire byte for byte, and records edited with jq
 * (payload deleted, a field changed) go out rebuilt with right checksums,
 * as an independent capture (tcpdump, or tshark in a user namespace) and
 * tshark's checksum validation see them. Bad records stop everything
 * before a frame leaves.
 */

import { deepEqual, equal, match } from "node:assert/strict";
import { decodeFrame } from "../lib/decode.ts";
import { readPcap } from "../lib/pcap.ts";
import { recordFrame } from "../lib/record_frame.ts";
import { buildPacket } from "../lib/build.ts";
import { pcapOf, tsharkChecksums } from "./tshark_checksums.ts";
import {
  capture,
  CLI_PATH,
  integration,
  run,
  sh,
  vethPair,
} from "./helpers.ts";

const FIXTURE = new URL("./fixtures/tcpdump/various_gre.pcap", import.meta.url)
  .pathname;

/** Runs `sh -c script` (a pipeline through the CLI), which must succeed. */
async function pipeline(script: string): Promise<string> {
  const out = await run("sh", ["-c", script], { timeoutMs: 60_000 });
  equal(out.code, 0, out.stderr);
  return out.stderr;
}

const RAWFRAME = `${Deno.execPath()} run --allow-ffi --allow-read ${CLI_PATH}`;

Deno.test({
  name: "read --json | send --from-json - replays a capture byte for byte",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const want = readPcap(await Deno.readFile(FIXTURE)).map((f) => f.bytes);
    const seen = await capture(pair.b, "", want.length);
    await pipeline(
      `${RAWFRAME} read --json ${FIXTURE} | ${RAWFRAME} send ${pair.a} --from-json - -q`,
    );
    const got = await seen.frames();
    equal(got.length, want.length);
    got.forEach((frame, i) => deepEqual(frame, want[i], `frame ${i + 1}`));
  },
});

Deno.test({
  name: "records edited with jq are sent rebuilt, checksums right",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const original = buildPacket({
      dst: pair.macB,
      src: pair.macA,
      layers: [
        { layer: "ipv4", src: "10.0.0.1", dst: "10.0.0.2", ttl: 64 },
        { layer: "udp", sport: 40000, dport: 9 },
        { layer: "raw", data: "48690a" },
      ],
    });
    // A capture of the original, read as records, edited and sent back.
    const pcap = await Deno.makeTempFile({ suffix: ".pcap" });
    try {
      await Deno.writeFile(pcap, pcapOf([original]));
      const seen = await capture(pair.b, "udp", 1);
      await pipeline(
        `${RAWFRAME} read --json ${pcap} | jq -c 'del(.payload) | .layers[0].ttl = 1 | del(.layers[0].checksum) | del(.layers[1].checksum) | .layers[2].data = "4f4b0a"' | ${RAWFRAME} send ${pair.a} --from-json - -q`,
      );
      const [frame] = await seen.frames();
      const layers = decodeFrame(frame).layers as unknown as Record<
        string,
        unknown
      >[];
      equal(layers[0].ttl, 1);
      equal(layers[2].data, "4f4b0a");
      const verdicts = await tsharkChecksums([frame]);
      deepEqual([verdicts.good, verdicts.bad], [2, 0]); // IP and UDP
    } finally {
      await Deno.remove(pcap);
    }
  },
});

Deno.test({
  name: "send --from-json: a bad record stops it all, naming the line",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const good = JSON.stringify({
      dst: pair.macB,
      src: pair.macA,
      type: 0x88b5,
      payload: "4869",
    });
    for (
      const [bad, message] of [
        ["{", /line 2: not JSON/],
        [
          `{"dst":"${pair.macB}","src":"x","type":2048,"payload":"00"}`,
          /line 2: invalid MAC/,
        ],
        [
          `{"dst":"${pair.macB}","src":"${pair.macA}","type":2048}`,
          /line 2: a record needs its payload or its layers/,
        ],
        [
          `{"dst":"${pair.macB}","src":"${pair.macA}","layers":[{"layer":"ipv4","src":"1.2.3"}]}`,
          /line 2: .*ipv4\.src/,
        ],
      ] as const
    ) {
      const input = await Deno.makeTempFile();
      await Deno.writeTextFile(input, `${good}\n${bad}\n${good}\n`);
      const seen = await sh("ip", "-j", "-s", "link", "show", "dev", pair.a);
      const out = await run(Deno.execPath(), [
        ...["run", "--allow-ffi", "--allow-read", CLI_PATH],
        ...["send", pair.a, "--from-json", input],
      ]);
      await Deno.remove(input);
      equal(out.code, 2, bad);
      match(out.stderr, /^error: --from-json ".*": /, bad);
      match(out.stderr, message, bad);
      const after = await sh("ip", "-j", "-s", "link", "show", "dev", pair.a);
      equal(
        JSON.parse(after)[0].stats64.tx.packets,
        JSON.parse(seen)[0].stats64.tx.packets,
        `sent something on ${bad}`,
      );
    }
  },
});

Deno.test("recordFrame keeps a record's tags and 802.3 length exactly", () => {
  const frame = recordFrame({
    dst: "01:80:c2:00:00:00",
    src: "02:00:00:00:00:01",
    vlan: [{ tpid: 0x8100, pcp: 5, dei: true, id: 7 }],
    type: null,
    length: 3,
    payload: "424203",
  });
  equal(toHex(frame), "0180c20000000200000000018100b00700034242" + "03");
});

/** Lowercase hex. */
function toHex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

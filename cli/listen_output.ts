/**
 * Where `listen` puts the frames it takes: a pcap file (records copied
 * straight from the ring), NDJSON records (written as bytes straight from
 * the ring), or human lines with hex dumps (from a copy). Everything is
 * buffered and written once per batch of frames, so a lone frame still
 * shows at once and a flood costs one write per batch.
 *
 * @module
 */

import { openOutput, type Output } from "./files.ts";
import { LineWriter, writeHexdump } from "./line_writer.ts";
import { writeAll } from "./output.ts";
import { frameJson, frameLine, type ShownFrame } from "../lib/format.ts";
import { wallClock } from "../lib/clock.ts";
import { FrameJsonWriter } from "../lib/json_writer.ts";
import { PcapWriter } from "../lib/pcap.ts";
import type { ReceivedFrame } from "../lib/received_frame.ts";
import type { RingFrame } from "../lib/types.ts";
import type { ListenPlan } from "./listen_plan.ts";

/** The outputs of one listen. */
export interface ListenOutput extends Disposable {
  /** Takes pcap records (copied straight from the ring). */
  pcap?: PcapWriter;
  /** For each frame still in the ring (JSON). */
  record?: (frame: RingFrame) => void;
  /** For each frame's copy (human lines). */
  show?: (frame: ReceivedFrame) => void;
  /** For each echo reply sent (`--echo`): shown as the frame it is. */
  answered?: (reply: Uint8Array, request: ReceivedFrame) => void;
  /** Writes what the last batch produced. */
  flush(): void;
}

/**
 * Opens the outputs `plan` asks for; `nameOf` names a frame's interface.
 * Disposing flushes what is left and closes the file.
 */
export function openListenOutput(
  plan: ListenPlan,
  nameOf: (ifindex: number) => string,
): ListenOutput {
  const file: Output | undefined = plan.write &&
    openOutput(plan.write.path, "-w");
  const pcap = file && plan.write &&
    new PcapWriter(file.write, plan.write.precision);
  const json = plan.lines && plan.json
    ? new FrameJsonWriter((bytes) => writeAll(Deno.stdout, bytes))
    : undefined;
  const lines = plan.lines && !plan.json ? new LineWriter() : undefined;
  const flush = (): void => {
    pcap?.flush();
    json?.flush();
    lines?.flush();
  };
  const record = json &&
    ((frame: RingFrame) => json.add(frame, nameOf(frame.ifindex)));
  const show = lines && ((frame: ShownFrame) => {
    lines.writeLine(frameLine(frame));
    if (plan.hex) writeHexdump(lines, frame.bytes);
  });
  // A reply is shown after its request, as the frame that left.
  const answered = plan.echo && (lines || json) &&
    ((reply: Uint8Array, request: ReceivedFrame) => {
      const sent: ShownFrame = {
        iface: request.iface,
        bytes: reply,
        length: reply.length,
        pkttype: "outgoing",
        direction: "out",
        timestamp: wallClock(),
      };
      if (show) show(sent);
      else json?.addLine(frameJson(sent));
    });
  return {
    ...(pcap ? { pcap } : {}),
    ...(record ? { record } : {}),
    ...(show ? { show } : {}),
    ...(answered ? { answered } : {}),
    flush,
    [Symbol.dispose]() {
      try {
        flush();
      } finally {
        file?.close();
      }
    },
  };
}

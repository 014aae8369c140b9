/**
 * The capture loop of `listen` and `read` alike: take every frame a source
 * has (a socket or a capture file), record it (a pcap record straight
 * from the source's memory), hand a copy to whoever shows or answers it,
 * and wait when nothing is queued. It counts as it goes, so whoever stops
 * it knows what was seen. The zero-copy calls live here, not on
 * `RawSocket`: {@linkcode SocketSource} makes a socket a source.
 *
 * @example Write a socket's frames into a pcap file for ten seconds
 * ```ts ignore
 * import { RawSocket } from "@rawframe/rawframe";
 * import { Capture, SocketSource } from "@rawframe/rawframe/capture";
 * import { PcapWriter } from "@rawframe/rawframe/pcap";
 * using sock = RawSocket.open("eth0", { ring: true });
 * using file = Deno.openSync("eth0.pcap", { write: true, create: true });
 * const pcap = new PcapWriter((bytes) => file.writeSync(bytes));
 * const capture = new Capture(new SocketSource(sock), {
 *   pcap,
 *   afterBatch: () => pcap.flush(),
 * });
 * const signal = AbortSignal.timeout(10_000);
 * await capture.run({ signal }).catch((err) => {
 *   if (err !== signal.reason) throw err;
 * });
 * console.log(capture.received);
 * ```
 *
 * @module
 */

export {
  Capture,
  type CaptureOptions,
  type RecordSink,
} from "./capture_loop.ts";
export type { FrameSource } from "./frame_source.ts";
export { SocketSource } from "./socket_source.ts";
export { MergedSource } from "./merged_source.ts";
export { FileSource, type FileSourceOptions } from "./file_source.ts";
export { EchoResponder, type EchoResponderOptions } from "./echo_responder.ts";
export type { CapturedFrame, ReceivedFrame } from "./received_frame.ts";
export type {
  PacketType,
  RingFrame,
  Timestamp,
  WaitOptions,
} from "../contract/types.ts";
export type {
  BlockTarget,
  NanosecondsPerUnit,
  RecordTarget,
} from "../contract/pcap_record.ts";

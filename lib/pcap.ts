/**
 * Capture files: writing classic pcap (link type Ethernet, µs or ns
 * timestamps) as tcpdump does or pcapng as dumpcap does, across files in
 * turn as tcpdump's -C/-G/-W, and reading classic pcap or pcapng, as
 * tcpdump and tshark write them. Pure: frames become bytes and back; the caller does the I/O.
 *
 * @example Write two frames and read them back
 * ```ts
 * import { pcapHeader, pcapRecord, readPcap } from "@rawframe/rawframe/pcap";
 * const frame = new Uint8Array(60);
 * const file = new Uint8Array([
 *   ...pcapHeader(),
 *   ...pcapRecord(frame, { seconds: 1, nanoseconds: 5000 }),
 *   ...pcapRecord(frame, { seconds: 2, nanoseconds: 0 }),
 * ]);
 * readPcap(file).length; // 2
 * ```
 *
 * @module
 */

export {
  LINKTYPE_ETHERNET,
  pcapHeader,
  pcapRecord,
  PcapWriter,
  type Precision,
} from "./pcap_writer.ts";
export {
  type InterfaceCounts,
  PcapngWriter,
  type PcapngWriterOptions,
} from "./pcapng_writer.ts";
export { type CapturedFrame, PcapReader, readPcap } from "./pcap_reader.ts";
export {
  type RotatedFile,
  RotatingFiles,
  type RotationPlan,
} from "./rotating_files.ts";
export type { PacketType, RingFrame, Timestamp } from "../contract/types.ts";
export {
  type BlockTarget,
  type NanosecondsPerUnit,
  putPacketBlock,
  putRecordHeader,
  putTime,
  RECORD_HEADER_SIZE,
  type RecordTarget,
} from "../contract/pcap_record.ts";

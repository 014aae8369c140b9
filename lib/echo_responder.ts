/**
 * The echo responder (`rawframe listen --echo`, what `rawframe ping`
 * talks to): a handler of captured frames that answers each echo request
 * with a reply, apart from the capture loop that hands it the frames.
 *
 * @module
 */

import { echoReply } from "./echo.ts";
import type { CapturedFrame } from "./received_frame.ts";
import type { Timestamp } from "../contract/types.ts";

/** Options of {@linkcode EchoResponder}. */
export interface EchoResponderOptions {
  /** Our MAC: the source of replies. */
  mac: string;
  /** EtherType of echo frames. */
  etherType: number;
  /** Sends a reply. */
  send(frame: Uint8Array): void;
  /**
   * The clock frames' kernel timestamps are on: with it, each reply says
   * when the request came in and when the reply left (see echo.ts), so
   * the pinger can leave out the time it was held here. @default none
   */
  clock?: () => Timestamp;
}

/**
 * Answers echo requests.
 *
 * @example Answer the pings an interface sees for a minute
 * ```ts ignore
 * import { RawSocket } from "@rawframe/rawframe";
 * import {
 *   Capture,
 *   EchoResponder,
 *   SocketSource,
 * } from "@rawframe/rawframe/capture";
 * using sock = RawSocket.open("eth0", { etherType: 0x88b5 });
 * const responder = new EchoResponder({
 *   mac: sock.interface.mac,
 *   etherType: 0x88b5,
 *   send: (frame) => sock.send(frame),
 * });
 * const capture = new Capture(new SocketSource(sock), {
 *   show: (frame) => void responder.answer(frame),
 * });
 * const signal = AbortSignal.timeout(60_000);
 * await capture.run({ signal }).catch((err) => {
 *   if (err !== signal.reason) throw err;
 * });
 * console.log(`${responder.answered} answered`);
 * ```
 */
export class EchoResponder {
  readonly #options: EchoResponderOptions;
  #answered = 0;

  /** A responder that answers as `options` say. */
  constructor(options: EchoResponderOptions) {
    this.#options = options;
  }

  /** Echo requests answered so far. */
  get answered(): number {
    return this.#answered;
  }

  /**
   * Answers `request` if it is an echo request that came in.
   *
   * @returns the reply sent, or undefined when there was none to send.
   */
  answer(request: CapturedFrame): Uint8Array | undefined {
    if (request.direction !== "in") return undefined;
    const { mac, etherType, clock, send } = this.#options;
    // Without the kernel's receive stamp there is no hold time to tell.
    const stamps = clock && request.timestamp.seconds > 0
      ? { received: request.timestamp, clock }
      : undefined;
    const reply = echoReply(request.bytes, mac, etherType, stamps);
    if (reply === undefined) return undefined;
    send(reply);
    this.#answered++;
    return reply;
  }
}

/**
 * rawframe's own echo protocol (lib/echo.ts), as `ping` and `listen
 * --echo` send it on EtherType 0x88b5: `rawframe echo request, id 4711,
 * seq=3` and `rawframe echo reply, id 4711, seq=3, hold=0.128 ms`, in the
 * words `ping` prints. A payload without the protocol's magic is not one
 * (pyng's "Hi" keeps its preview). Pure.
 *
 * @module
 */

import { parseEcho } from "../echo.ts";
import type { EchoLayer, Part } from "./layers.ts";

/** Decodes an echo header at `at`, or undefined when it is not one. */
export function decodeEchoFrame(
  b: Uint8Array,
  at: number,
  end: number,
): Part | undefined {
  const echo = parseEcho(b.subarray(at, end));
  if (echo === undefined) return undefined;
  const layer: EchoLayer = {
    layer: "echo",
    kind: echo.kind,
    id: echo.id,
    seq: echo.seq,
  };
  let text = `rawframe echo ${echo.kind}, id ${echo.id}, seq=${echo.seq}`;
  if (echo.held !== undefined) {
    const holdMs = Number(echo.held.sent - echo.held.received) / 1e6;
    layer.hold_ms = holdMs;
    text += `, hold=${holdMs.toFixed(3)} ms`;
  }
  return { text, layers: [layer] };
}

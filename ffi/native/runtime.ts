/**
 * Which runtime runs, found once, and its implementation of the native
 * seam. The Deno implementation is imported as it is (it touches nothing
 * until used); Bun's and Node's are loaded only on their runtime.
 *
 * @module
 */

import type { Native } from "./native.ts";
import { denoNative } from "./deno.ts";

const runtime = globalThis as { Deno?: unknown; Bun?: unknown };

/** The native seam of the runtime this process runs on. */
export const native: Native = runtime.Deno !== undefined
  ? denoNative()
  : runtime.Bun !== undefined
  ? (await import("./bun.ts")).bunNative()
  : (await import("./node.ts")).nodeNative();

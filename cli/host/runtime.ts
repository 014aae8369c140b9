/**
 * The host of the runtime this process runs on, picked once.
 *
 * @module
 */

import type { Host } from "./host.ts";
import { denoHost } from "./deno.ts";

const runtime = globalThis as { Deno?: unknown };

/** The command line's host. */
export const host: Host = runtime.Deno !== undefined
  ? denoHost()
  : (await import("./node.ts")).nodeHost();

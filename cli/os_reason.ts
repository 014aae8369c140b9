/**
 * Why the OS refused a file, in our words: lower case, without Deno's
 * "(os error N)" and the call's name. Shared by the files the user names
 * and the thread that writes `listen -w`'s file.
 *
 * @module
 */

import { host } from "./host/runtime.ts";
import type { ErrorKind } from "./host/host.ts";

/** The OS's reason in our words: lower case, without "(os error N)". */
export function reason(error: unknown): string {
  const name = NAMES[host.kindOf(error)] ?? "";
  return reasonOf(name, host.textOf(error));
}

/** Deno's names of the errors whose words are known. */
const NAMES: Partial<Record<ErrorKind, string>> = {
  "not-found": "NotFound",
  "is-directory": "IsADirectory",
  "permission-denied": "PermissionDenied",
};

/** {@linkcode reason} from an error's class name and message. */
export function reasonOf(name: string, message: string): string {
  const known: Record<string, string> = {
    NotFound: "no such file",
    IsADirectory: "is a directory",
    PermissionDenied: "permission denied",
  };
  if (Object.hasOwn(known, name)) return known[name];
  // "No space left on device (os error 28): write" → "no space left on device"
  const text = message.replace(/: .*$/, "").replace(/\s*\(os error \d+\)$/, "");
  return text.charAt(0).toLowerCase() + text.slice(1);
}

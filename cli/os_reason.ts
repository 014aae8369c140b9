/**
 * Why the OS refused a file, in our words: lower case, without Deno's
 * "(os error N)" and the call's name. Shared by the files the user names
 * and the thread that writes `listen -w`'s file.
 *
 * @module
 */

/** The OS's reason in our words: lower case, without "(os error N)". */
export function reason(error: unknown): string {
  return error instanceof Error
    ? reasonOf(error.name, error.message)
    : reasonOf("", String(error));
}

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

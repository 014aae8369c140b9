/**
 * The command line's host on Deno: Deno's own APIs, as rawframe used them
 * before it ran elsewhere.
 *
 * @module
 */

import type { ErrorKind, FileReader, Host, Thread } from "./host.ts";

/**
 * The writer thread's file operations on Deno; its source text is given
 * to the thread, so it uses nothing from outside its own body.
 */
function threadFiles() {
  return {
    stdout: Deno.stdout,
    open: (path: string) =>
      Deno.openSync(path, { write: true, truncate: true }),
    isBrokenPipe: (error: unknown) => error instanceof Deno.errors.BrokenPipe,
    describe: (error: unknown): [string, string] =>
      error instanceof Error ? [error.name, error.message] : ["", `${error}`],
    onMessage: (listener: (data: unknown) => void) => {
      (self as unknown as { onmessage(e: MessageEvent): void }).onmessage = (
        event,
      ) => listener(event.data);
    },
    end: () => self.close(),
  };
}

/** Deno's error classes, by what they mean (read when first needed). */
const kinds = (): [new (...args: never[]) => Error, ErrorKind][] => [
  [Deno.errors.BrokenPipe, "broken-pipe"],
  [Deno.errors.NotCapable, "not-capable"],
  [Deno.errors.NotFound, "not-found"],
  [Deno.errors.IsADirectory, "is-directory"],
  [Deno.errors.PermissionDenied, "permission-denied"],
];

const stdinReader: FileReader = {
  read: (buffer) => Deno.stdin.read(buffer),
  close: () => {},
};

/** The Deno implementation of {@linkcode Host}. */
export function denoHost(): Host {
  return {
    args: Deno.args,
    stdout: Deno.stdout,
    stderr: Deno.stderr,
    async openRead(path: string): Promise<FileReader> {
      if (path === "-") return stdinReader;
      const file = await Deno.open(path);
      return { read: (buffer) => file.read(buffer), close: () => file.close() };
    },
    hold: (path: string) => Deno.openSync(path, { write: true, create: true }),
    fileSize: (path: string) =>
      Deno.stat(path).then((s) => s.size, () => undefined),
    onSignal: (name, listener) => Deno.addSignalListener(name, listener),
    exit: (code: number) => Deno.exit(code),
    unrefTimer: (timer: unknown) => Deno.unrefTimer(timer as number),
    kindOf: (error: unknown) =>
      kinds().find(([type]) => error instanceof type)?.[1] ?? "other",
    textOf: (error: unknown) =>
      error instanceof Error
        ? error.message.replace(/: .*$/, "").replace(/\s*\(os error \d+\)$/, "")
        : String(error),
    brokenPipe: (message: string) => new Deno.errors.BrokenPipe(message),
    startThread(program: string): Thread {
      const url = URL.createObjectURL(
        new Blob([`const files = (${threadFiles.toString()})();\n${program}`], {
          type: "application/javascript",
        }),
      );
      return new Worker(url, { type: "module" });
    },
  };
}

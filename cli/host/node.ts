/**
 * The command line's host on Bun and Node: `node:` modules, which both
 * implement.
 *
 * @module
 */

import * as fs from "node:fs";
import process from "node:process";
import { isatty } from "node:tty";
import { Worker } from "node:worker_threads";
import type { ErrorKind, FileReader, Host, Thread } from "./host.ts";

/** A synchronous writer on file descriptor `fd`. */
function writerOn(fd: number) {
  return {
    writeSync: (bytes: Uint8Array) => fs.writeSync(fd, bytes),
    isTerminal: () => isatty(fd),
  };
}

/** errno names of Node errors, as the CLI says them. */
const KINDS: Record<string, ErrorKind> = {
  EPIPE: "broken-pipe",
  ENOENT: "not-found",
  EISDIR: "is-directory",
  EACCES: "permission-denied",
  EPERM: "permission-denied",
};

/**
 * The writer thread's file operations on Bun and Node, made from the
 * thread's own `node:fs` and `node:worker_threads`; its source text is
 * given to the thread, so it uses nothing from outside its own body.
 */
function threadFiles(
  fs: typeof import("node:fs"),
  threads: typeof import("node:worker_threads"),
) {
  const sink = (fd: number) => ({
    writeSync: (bytes: Uint8Array) => fs.writeSync(fd, bytes),
    truncateSync: (length: number) => fs.ftruncateSync(fd, length),
    close: () => fs.closeSync(fd),
  });
  const NAMES: Record<string, string> = {
    ENOENT: "NotFound",
    EISDIR: "IsADirectory",
    EACCES: "PermissionDenied",
    EPIPE: "BrokenPipe",
  };
  const port = threads.parentPort!;
  return {
    stdout: sink(1),
    open: (path: string) => sink(fs.openSync(path, "w")),
    isBrokenPipe: (error: unknown) =>
      (error as { code?: string })?.code === "EPIPE",
    describe: (error: unknown): [string, string] => [
      NAMES[(error as { code?: string })?.code ?? ""] ?? "",
      `${(error as Error)?.message ?? error}`.replace(/^E[A-Z]+: /, "")
        .replace(/, \w+.*$/, ""),
    ],
    onMessage: (listener: (data: unknown) => void) =>
      port.on("message", listener),
    end: () => port.close(),
  };
}

/** The Bun and Node implementation of {@linkcode Host}. */
export function nodeHost(): Host {
  return {
    args: process.argv.slice(2),
    stdout: writerOn(1),
    stderr: writerOn(2),
    async openRead(path: string): Promise<FileReader> {
      const fd = path === "-" ? 0 : await fs.promises.open(path, "r");
      const read = (buffer: Uint8Array) =>
        typeof fd === "number"
          ? new Promise<number>((resolve, reject) =>
            fs.read(
              fd,
              buffer,
              0,
              buffer.length,
              null,
              (e, n) => e ? reject(e) : resolve(n),
            )
          )
          : fd.read(buffer, 0, buffer.length, null).then((r) => r.bytesRead);
      return {
        read: (buffer) => read(buffer).then((n) => n === 0 ? null : n),
        close: () => void (typeof fd === "number" ? 0 : fd.close()),
      };
    },
    hold(path: string): Disposable {
      const fd = fs.openSync(
        path,
        fs.constants.O_WRONLY | fs.constants.O_CREAT,
      );
      return { [Symbol.dispose]: () => fs.closeSync(fd) };
    },
    fileSize: (path: string) =>
      fs.promises.stat(path).then((s) => s.size, () => undefined),
    onSignal: (name, listener) => void process.on(name, listener),
    exit: (code: number) => process.exit(code),
    unrefTimer: (timer: unknown) =>
      (timer as unknown as { unref?(): void }).unref?.(),
    kindOf: (error: unknown) =>
      KINDS[(error as { code?: string })?.code ?? ""] ?? "other",
    textOf: (error: unknown) =>
      error instanceof Error
        ? error.message.replace(/^E[A-Z]+: /, "").replace(/, \w+.*$/, "")
        : String(error),
    brokenPipe: (message: string) =>
      Object.assign(new Error(message), { code: "EPIPE" }),
    startThread(program: string): Thread {
      const source =
        `Promise.all([import("node:fs"), import("node:worker_threads")])
.then(([fs, threads]) => {
  const files = (${threadFiles.toString()})(fs, threads);
  ${program}
});`;
      return new Worker(source, { eval: true });
    },
  };
}

/**
 * What the command line needs of its runtime, behind one small interface:
 * standard streams, files, signals, exit, arguments, a writer thread and
 * what an error from any of them means. deno.ts implements it with Deno's
 * own APIs; node.ts with `node:` modules, for Bun and Node. runtime.ts
 * picks one, once; nothing else in `cli/` names a runtime.
 *
 * @module
 */

/** A stream written synchronously (standard output or error). */
export interface SyncWriter {
  /** Writes some of `bytes`; returns how many. */
  writeSync(bytes: Uint8Array): number;
  /** Whether the stream is a terminal. */
  isTerminal(): boolean;
}

/** A file (or standard input) read in chunks. */
export interface FileReader {
  /** Fills `buffer`; resolves to the count read, or null at the end. */
  read(buffer: Uint8Array): Promise<number | null>;
  /** Closes the file (nothing for standard input). */
  close(): void;
}

/** What a runtime's error means, in the words the CLI says it. */
export type ErrorKind =
  | "broken-pipe" // the reader of a pipe went away
  | "not-capable" // a Deno permission is missing
  | "not-found"
  | "is-directory"
  | "permission-denied"
  | "other";

/** A thread running a program given as source text. */
export interface Thread {
  /** Sends `message` (shared memory included) to the thread. */
  postMessage(message: unknown): void;
  /** Ends the thread. */
  terminate(): void;
}

/** A file the writer thread writes. */
export interface ThreadFile {
  /** Writes some of `bytes`; returns how many. */
  writeSync(bytes: Uint8Array): number;
  /** Cuts the file to `length` bytes. */
  truncateSync(length: number): void;
  /** Closes the file. */
  close(): void;
}

/** The file operations a thread started by `startThread` finds. */
export interface ThreadFiles {
  /** Standard output. */
  stdout: { writeSync(bytes: Uint8Array): number };
  /** Opens `path` for writing, emptied. */
  open(path: string): ThreadFile;
  /** Whether `error` says the reader of a pipe went away. */
  isBrokenPipe(error: unknown): boolean;
  /** An error's name and text, in Deno's words (`NotFound`, ...). */
  describe(error: unknown): [name: string, text: string];
  /** Calls `listener` with each message's data. */
  onMessage(listener: (data: unknown) => void): void;
  /** Ends the thread. */
  end(): void;
}

/** The runtime's side of the command line. */
export interface Host {
  /** The command line's arguments, without the program's name. */
  readonly args: readonly string[];
  /** Standard output. */
  readonly stdout: SyncWriter;
  /** Standard error. */
  readonly stderr: SyncWriter;
  /** Opens `path` for reading; `-` is standard input. */
  openRead(path: string): Promise<FileReader>;
  /**
   * Opens `path` for writing, created if missing and its contents kept,
   * until disposed (a FIFO's reader then sees no end of file while the
   * writer thread opens it too).
   */
  hold(path: string): Disposable;
  /** The size of file `path`, or undefined when it cannot be told. */
  fileSize(path: string): Promise<number | undefined>;
  /** Calls `listener` on each SIGINT or SIGTERM named. */
  onSignal(name: "SIGINT" | "SIGTERM", listener: () => void): void;
  /** Ends the process with `code`. */
  exit(code: number): never;
  /** Lets the process end while `timer` is pending. */
  unrefTimer(timer: unknown): void;
  /** What `error` (thrown by this runtime) means. */
  kindOf(error: unknown): ErrorKind;
  /** The system's words for `error`, e.g. "no space left on device". */
  textOf(error: unknown): string;
  /** An error that says the reader of a pipe went away. */
  brokenPipe(message: string): Error;
  /**
   * Starts a thread running `program` (source text). The program finds
   * this runtime's file operations as `files`: `stdout` and `open(path)`
   * (each with writeSync, truncateSync, close), `isBrokenPipe(error)`,
   * `describe(error)` (an error's name and text, in Deno's words),
   * `onMessage(listener)` and `end()`.
   */
  startThread(program: string): Thread;
}

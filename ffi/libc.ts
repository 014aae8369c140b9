/**
 * The libc symbols rawframe calls, in one table of two parts. Nothing else
 * in the code base knows a symbol name. Each part is opened on first use:
 * importing rawframe needs no permission until a socket or interface is
 * touched, and a one-frame send binds only the core (binding a symbol
 * costs about 0.13 ms of start-up; the whole table, about 3 ms).
 *
 * 64-bit parameters (`usize`, `isize`) take bigint: it keeps calls on Deno's
 * fast-call path (see shared notes).
 *
 * @module
 */

import type { Bound, SignatureTable } from "./native/native.ts";
import { native } from "./native/runtime.ts";

/** What every socket needs: open, configure, send one frame, close. */
const CORE = {
  /** int socket(int domain, int type, int protocol); */
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  /** int bind(int fd, const struct sockaddr *addr, socklen_t addrlen); */
  bind: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  /**
   * ssize_t send(int fd, const void *buf, size_t len, int flags);
   * Declared as returning int: a frame's length and -1 both fit, and an
   * i32 result spares a BigInt per call on the hottest path (measured).
   */
  send: { parameters: ["i32", "buffer", "usize", "i32"], result: "i32" },
  /** int setsockopt(int fd, int level, int optname, const void *optval, socklen_t optlen); */
  setsockopt: {
    parameters: ["i32", "i32", "i32", "buffer", "u32"],
    result: "i32",
  },
  /** int getsockopt(int fd, int level, int optname, void *optval, socklen_t *optlen); */
  getsockopt: {
    parameters: ["i32", "i32", "i32", "buffer", "buffer"],
    result: "i32",
  },
  /** int ioctl(int fd, unsigned long request, void *arg); */
  ioctl: { parameters: ["i32", "u64", "buffer"], result: "i32" },
  /** int close(int fd); */
  close: { parameters: ["i32"], result: "i32" },
  /** unsigned int if_nametoindex(const char *ifname); */
  if_nametoindex: { parameters: ["buffer"], result: "u32" },
} as const satisfies SignatureTable;

/** Receiving, batches, rings, interface listings and the clock. */
const MORE = {
  /** int sendmmsg(int fd, struct mmsghdr *msgvec, unsigned int vlen, int flags); */
  sendmmsg: { parameters: ["i32", "buffer", "u32", "i32"], result: "i32" },
  /** ssize_t recvmsg(int fd, struct msghdr *msg, int flags); */
  recvmsg: { parameters: ["i32", "buffer", "i32"], result: "isize" },
  /**
   * int poll(struct pollfd *fds, nfds_t nfds, int timeout);
   * Runs off the calling thread so the event loop stays free; errno is lost
   * (another thread), so callers treat -1 as "wake up and look again".
   */
  poll: {
    parameters: ["buffer", "u64", "i32"],
    result: "i32",
    nonblocking: true,
  },
  /**
   * poll() again, run on the calling thread: it blocks the event loop
   * but wakes sooner (a responder's low-latency wait).
   */
  poll_here: {
    name: "poll",
    parameters: ["buffer", "u64", "i32"],
    result: "i32",
  },
  /** char *if_indextoname(unsigned int ifindex, char *ifname); */
  if_indextoname: { parameters: ["u32", "buffer"], result: "pointer" },
  /** struct if_nameindex *if_nameindex(void); */
  if_nameindex: { parameters: [], result: "pointer" },
  /** void if_freenameindex(struct if_nameindex *ptr); */
  if_freenameindex: { parameters: ["pointer"], result: "void" },
  /** int eventfd(unsigned int initval, int flags); */
  eventfd: { parameters: ["u32", "i32"], result: "i32" },
  /** ssize_t write(int fd, const void *buf, size_t count); */
  write: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  /** ssize_t read(int fd, void *buf, size_t count); */
  read: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  /** void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset); */
  mmap: {
    parameters: ["pointer", "usize", "i32", "i32", "i32", "i64"],
    result: "pointer",
  },
  /** int munmap(void *addr, size_t length); */
  munmap: { parameters: ["pointer", "usize"], result: "i32" },
  /** int clock_gettime(clockid_t clockid, struct timespec *tp); */
  clock_gettime: { parameters: ["i32", "buffer"], result: "i32" },
} as const satisfies SignatureTable;

type Core = Bound<typeof CORE>;
type More = Bound<typeof MORE>;

/** The typed symbols of libc that rawframe uses. */
export type Libc = Core & More;

let core: Core | undefined;
let more: More | undefined;

/** Both parts behind one object; a part is opened when first touched. */
const symbols = {} as Libc;
for (const name of Object.keys(CORE)) {
  Object.defineProperty(symbols, name, {
    get: () => (core ??= native.open("libc.so.6", CORE))[name as keyof Core],
  });
}
for (const name of Object.keys(MORE)) {
  Object.defineProperty(symbols, name, {
    get: () => (more ??= native.open("libc.so.6", MORE))[name as keyof More],
  });
}

/** libc's symbols; each part of the table is opened on first use. */
export function libc(): Libc {
  return symbols;
}

/**
 * Opens both parts now. For tests and long-running programs that want the
 * library loaded once, up front (Deno's resource sanitizer counts it).
 */
export function openLibc(): void {
  core ??= native.open("libc.so.6", CORE);
  more ??= native.open("libc.so.6", MORE);
}

/**
 * The calling thread's errno. Read it right after the failing call, before
 * any other JS work: allocation and the runtime's own work overwrite it.
 */
export function errno(): number {
  return native.errno();
}

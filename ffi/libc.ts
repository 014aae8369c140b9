/**
 * The libc symbols rawframe calls, in one table. Nothing else in the code
 * base knows a symbol name; the library is opened on first use, so importing
 * rawframe needs no permission until a socket or interface is touched.
 *
 * 64-bit parameters (`usize`, `isize`) take bigint: it keeps calls on Deno's
 * fast-call path (see shared notes).
 *
 * @module
 */

import { RawframeError } from "../lib/errors.ts";

const SYMBOLS = {
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
  /** int sendmmsg(int fd, struct mmsghdr *msgvec, unsigned int vlen, int flags); */
  sendmmsg: { parameters: ["i32", "buffer", "u32", "i32"], result: "i32" },
  /** ssize_t recvmsg(int fd, struct msghdr *msg, int flags); */
  recvmsg: { parameters: ["i32", "buffer", "i32"], result: "isize" },
  /**
   * int poll(struct pollfd *fds, nfds_t nfds, int timeout);
   * Runs on Deno's blocking pool so the event loop stays free; errno is lost
   * (another thread), so callers treat -1 as "wake up and look again".
   */
  poll: {
    parameters: ["buffer", "u64", "i32"],
    result: "i32",
    nonblocking: true,
  },
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
  /** unsigned int if_nametoindex(const char *ifname); */
  if_nametoindex: { parameters: ["buffer"], result: "u32" },
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
  /** int close(int fd); */
  close: { parameters: ["i32"], result: "i32" },
  /** void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset); */
  mmap: {
    parameters: ["pointer", "usize", "i32", "i32", "i32", "i64"],
    result: "pointer",
  },
  /** int munmap(void *addr, size_t length); */
  munmap: { parameters: ["pointer", "usize"], result: "i32" },
  /** int *__errno_location(void); */
  __errno_location: { parameters: [], result: "pointer" },
} as const satisfies Deno.ForeignLibraryInterface;

/** The typed symbols of libc that rawframe uses. */
export type Libc = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

let symbols: Libc | undefined;
let errnoCell: Int32Array | undefined;

/** Opens libc on first use and returns its symbols. */
export function libc(): Libc {
  if (symbols === undefined) {
    const library = Deno.dlopen("libc.so.6", SYMBOLS);
    const location = library.symbols.__errno_location();
    if (location === null) {
      throw new RawframeError("libc's __errno_location() returned NULL");
    }
    // errno is thread-local; this is the main thread's cell, where every
    // synchronous call we make reports its error.
    errnoCell = new Int32Array(
      Deno.UnsafePointerView.getArrayBuffer(location, 4),
    );
    symbols = library.symbols;
  }
  return symbols;
}

/**
 * The main thread's errno. Read it right after the failing call, before
 * any other JS work: allocation and Deno's own ops overwrite it.
 */
export function errno(): number {
  return errnoCell === undefined ? 0 : errnoCell[0];
}

/**
 * The command line's contract for bad input: the documented exit code, one
 * `error:` line on stderr, no stack trace, and nothing sent.
 */
import { assertEquals, assertTrue } from "./assert.ts";
import {
  BINARY,
  cli,
  integration,
  inUserNamespace,
  run,
  sleep,
  type VethPair,
  vethPair,
} from "./helpers.ts";
import { RawSocket } from "../lib/socket.ts";
import { openLibc } from "../ffi/libc.ts";

if (integration.ignore === false) openLibc(); // loaded for the whole run

/** Asserts a failed run: exit code and one error line matching `pattern`. */
function assertError(
  out: { code: number; stdout: string; stderr: string },
  code: number,
  pattern: RegExp,
): void {
  const lines = out.stderr.split("\n").filter((l) => l !== "");
  assertEquals(out.code, code, out.stderr);
  assertEquals(lines.length, 1, `one line expected: ${out.stderr}`);
  assertTrue(lines[0].startsWith("error: "), lines[0]);
  assertTrue(pattern.test(lines[0]), `${pattern} in ${lines[0]}`);
  assertTrue(!/\bat .*:\d+:\d+/.test(out.stderr), `stack trace: ${out.stderr}`);
  assertEquals(out.stdout, "");
}

/**
 * Files deno run was not allowed to touch (tests run it with --allow-ffi
 * only): the permission and the flag are named.
 */
const denoPermissions = (pair: VethPair): [string[], RegExp][] => [
  [
    ["send", pair.a, "--from-pcap", "/nonexistent.pcap"],
    /--from-pcap "\/nonexistent.pcap" needs read permission: add --allow-read/,
  ],
  [
    ["send", pair.macB, pair.a, "--file", "/etc/hostname"],
    /--file "\/etc\/hostname" needs read permission/,
  ],
  [
    ["listen", pair.b, "-w", "/tmp/never.pcap"],
    /-w "\/tmp\/never.pcap" needs write permission: add --allow-write/,
  ],
];

/** The single binary has no permissions: files that are not there. */
const fileFailures = (pair: VethPair): [string[], RegExp][] => [
  [
    ["send", pair.a, "--from-pcap", "/nonexistent.pcap"],
    /reading "\/nonexistent.pcap": no such file/,
  ],
  [
    ["send", pair.macB, pair.a, "--file", "/nonexistent"],
    /reading "\/nonexistent": no such file/,
  ],
  [
    ["listen", pair.b, "-w", "/nonexistent/x.pcap"],
    /writing "\/nonexistent\/x.pcap": no such file/,
  ],
];

Deno.test({
  name:
    "bad input: exit 2 (usage) or 1 (runtime), one error line, and nothing is sent",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    using watch = RawSocket.open(pair.b);
    const usage: [string[], RegExp][] = [
      [
        ["send", "02:00:00:00:0b:0g", pair.a],
        /invalid MAC address "02:00:00:00:0b:0g": "g" is not a hex digit.*08:00:27:dd:d7:43/,
      ],
      [
        ["send", "02:00:00:00:0b", pair.a],
        /invalid MAC address "02:00:00:00:0b": it has 10 hex digits/,
      ],
      [["send", pair.macB, pair.a, "--src", "zz"], /invalid MAC address "zz"/],
      [
        ["send", pair.macB, pair.a, "--type", "0x0100"],
        /invalid EtherType "0x0100".*0x0600/,
      ],
      [
        ["send", pair.macB, pair.a, "--type", "ipv9"],
        /invalid EtherType "ipv9"/,
      ],
      [["send", pair.macB, pair.a, "--hex", "4"], /invalid hex "4"/],
      [
        ["send", pair.macB, pair.a, "--hex", "48", "--payload", "x"],
        /give only one of --payload, --hex/,
      ],
      [["send", pair.macB, pair.a, "--count", "2x"], /invalid --count "2x"/],
      [
        ["send", pair.macB, pair.a, "--bogus"],
        /unknown option "--bogus" for send/,
      ],
      [["send", pair.macB, pair.a, "--type"], /option "--type" needs a value/],
      [["send", pair.macB], /missing <iface>/],
      [["send"], /missing <dst-mac> <iface>/],
      [["send", pair.macB, pair.a, "extra"], /unexpected argument "extra"/],
      [["listen"], /missing <iface>/],
      [["listen", pair.b, "--timeout", "soon"], /invalid --timeout "soon"/],
      [["listen", pair.b, "--timeout", "0"], /invalid --timeout "0"/],
      [["listen", pair.b, "--direction", "up"], /invalid --direction "up"/],
      [["listen", pair.b, "--type", "0x10000"], /invalid EtherType/],
      [["listen", pair.b, "-y", "EN10MB"], /unknown option "-y" for listen/],
      [["interfaces", "eth0"], /unexpected argument "eth0"/],
      [["frobnicate"], /unknown command "frobnicate" \(commands: /],
      [["sned"], /unknown command "sned"; did you mean "send"\?/],
      [
        ["send", pair.macB, pair.a, "--vlan", "4095"],
        /invalid VLAN ID 4095: it must be 0–4094/,
      ],
      [
        ["send", pair.macB, pair.a, "--vlan", "42:8"],
        /invalid VLAN priority 8: it must be 0–7/,
      ],
      [
        ["send", pair.macB, pair.a, "--vlan", "x"],
        /invalid --vlan "x": give ID or ID:PCP/,
      ],
      [
        ["send", pair.macB, pair.a, "--interval=-1"],
        /invalid --interval "-1"/,
      ],
      [["send", pair.macB, pair.a, "--rate", "0"], /invalid --rate "0"/],
      [
        ["send", pair.macB, pair.a, "--rate", "5", "--interval", "5"],
        /give only one of --interval, --rate/,
      ],
      [
        ["send", pair.macB, pair.a, "--timing", "original"],
        /--timing goes with --from-pcap/,
      ],
      [
        ["send", pair.a, "--from-pcap", "x.pcap", "--timing", "slow"],
        /invalid --timing "slow"/,
      ],
      [
        ["send", pair.a, "--from-pcap", "x.pcap", "--count", "2"],
        /--count does not apply to --from-pcap/,
      ],
      [["send", pair.a, "--frame", "0102"], /frame too short: 2 bytes/],
      [["send", pair.a, "--frame", "zz"], /invalid hex "zz"/],
      [["send", pair.macB, pair.a, "--frame", "00"], /unexpected argument/],
      [["send", pair.macB, "any"], /cannot send on "any"/],
      [
        ["listen", pair.b, "--filter", "ether prot 0x88b5"],
        /invalid filter "ether prot 0x88b5": .*syntax error/,
      ],
      [["listen", pair.b, "--src", "01:02"], /invalid MAC address "01:02"/],
      [["listen", pair.b, "--print"], /--print goes with -w FILE/],
      [
        ["listen", pair.b, "--time-stamp-precision", "pico"],
        /invalid --time-stamp-precision "pico"/,
      ],
      [["listen", "any", "--echo"], /--echo needs one interface/],
      [
        ["listen", pair.b, "--echo", "-B", "2048"],
        /-B sizes the capture ring, which --echo does not use/,
      ],
      [["listen", "any", "--promisc"], /"any" cannot be promiscuous/],
      [["listen", pair.b, "--count", "0"], /invalid --count "0"/],
      [["ping", "zz", pair.a], /invalid MAC address "zz"/],
      [["ping", pair.macB], /missing <iface>/],
      [
        ["ping", pair.macB, pair.a, "--interval", "0"],
        /invalid --interval "0"/,
      ],
    ];
    for (const [args, pattern] of usage) {
      assertError(await cli(...args), 2, pattern);
    }

    const runtime: [string[], RegExp][] = [
      [
        ["send", pair.macB, "eht0"],
        new RegExp(`no interface "eht0"; available: lo, .*${pair.a}`),
      ],
      [["listen", "eht0"], /no interface "eht0"/],
      [["ping", pair.macB, "eht0"], /no interface "eht0"/],
      ...(BINARY === undefined ? denoPermissions : fileFailures)(pair),
      [
        ["send", pair.macB, pair.a, "--payload", "x".repeat(1600)],
        /frame of 1614 bytes is larger than "rfa\d+" allows: at most 1514 bytes \(MTU 1500/,
      ],
    ];
    for (const [args, pattern] of runtime) {
      assertError(await cli(...args), 1, pattern);
    }

    await sleep(100);
    assertEquals(watch.tryReceive(), null); // not one frame left the other end
  },
});

Deno.test({
  name: "interface down: exit 1 with the command that brings it up",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    await run("ip", ["link", "set", pair.a, "down"]);
    assertError(
      await cli("send", pair.macB, pair.a),
      1,
      new RegExp(
        `interface "${pair.a}" is down; bring it up with: ip link set ${pair.a} up`,
      ),
    );
    assertError(await cli("listen", pair.a), 1, /is down/);
  },
});

Deno.test({
  name: "forgot --allow-ffi: exit 1 saying which flag to add",
  ...integration,
  async fn() {
    const cliPath = new URL("../cli.ts", import.meta.url).pathname;
    const out = await run(Deno.execPath(), [
      "run",
      "--no-prompt",
      cliPath,
      "interfaces",
    ]);
    assertError(out, 1, /run it with --allow-ffi/);
  },
});

Deno.test({
  name:
    "a permission other than FFI denied (rawframe embedded) is said as Deno says it, on one line",
  async fn() {
    const reportPath = new URL("../cli/report.ts", import.meta.url).href;
    const out = await run(Deno.execPath(), [
      "eval",
      `import { report } from "${reportPath}";
       Deno.exit(report(new Deno.errors.NotCapable(
         'Requires env access to "HOME", run again with the --allow-env flag')));`,
    ]);
    assertError(
      out,
      1,
      /^error: Requires env access to "HOME".*--allow-env flag$/,
    );
  },
});

Deno.test({
  name: "forgot sudo: exit 1 naming CAP_NET_RAW and what to do",
  ...integration,
  ignore: integration.ignore || inUserNamespace, // one uid only in a user namespace
  async fn() {
    await using pair = await vethPair();
    const denoDir = await Deno.makeTempDir();
    await Deno.chmod(denoDir, 0o777);
    const cliPath = new URL("../cli.ts", import.meta.url).pathname;
    const out = await run("setpriv", [
      ...[
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        "--inh-caps=-all",
      ],
      ...[
        "env",
        `DENO_DIR=${denoDir}`,
        "HOME=/tmp",
        Deno.execPath(),
        "run",
        "--allow-ffi",
        cliPath,
      ],
      ...["send", pair.macB, pair.a],
    ]);
    await Deno.remove(denoDir, { recursive: true });
    assertError(
      out,
      1,
      /raw sockets need CAP_NET_RAW: run with sudo, or grant it once with `sudo setcap cap_net_raw\+ep <binary>`/,
    );
  },
});

Deno.test({
  name: "--help on every command and --version exit 0",
  ...integration,
  async fn() {
    for (const command of ["send", "listen", "interfaces"]) {
      const out = await cli(command, "--help");
      assertEquals(out.code, 0, out.stderr);
      assertTrue(
        out.stdout.startsWith(`Usage: rawframe ${command}`),
        out.stdout,
      );
    }
    const top = await cli("--help");
    assertTrue(
      top.stdout.includes("rawframe send <dst-mac> <iface>"),
      top.stdout,
    );
    const version = JSON.parse(
      await Deno.readTextFile(new URL("../deno.json", import.meta.url)),
    ).version;
    assertEquals((await cli("--version")).stdout, `rawframe ${version}\n`);
  },
});

Deno.test({
  name: "interfaces lists the namespace's interfaces as a table and as JSON",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const table = await cli("interfaces");
    assertEquals(table.code, 0, table.stderr);
    assertTrue(table.stdout.startsWith("INDEX  NAME"), table.stdout);
    assertTrue(
      new RegExp(`${pair.a} +${pair.macA} +1500 +up,running`).test(
        table.stdout,
      ),
      table.stdout,
    );
    const list = JSON.parse((await cli("interfaces", "--json")).stdout);
    const a = list.find((i: { name: string }) => i.name === pair.a);
    assertEquals(a.mac, pair.macA);
    assertEquals(a.loopback, false);
  },
});

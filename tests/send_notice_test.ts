/**
 * `send --type arp --payload hi` is no ARP packet: send says so once (it
 * still sends what was asked), and says nothing when the payload is a
 * whole packet of its type, or of a type rawframe does not decode.
 */
import { assertEquals, assertTrue } from "./assert.ts";
import { cli, integration, vethPair } from "./helpers.ts";

/** An ARP request (IPv4 over Ethernet), 28 bytes, as hex. */
const ARP = "0001080006040001" + "020000000a01" + "0a000002" +
  "000000000000" + "0a000001";

Deno.test({
  name:
    "send says once when the payload is no whole packet of the EtherType it names",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const bad = await cli(
      "send",
      pair.macB,
      pair.a,
      "--type",
      "arp",
      "--payload",
      "hi",
      "-c",
      "3",
    );
    assertEquals(bad.code, 0, bad.stderr);
    const said = bad.stderr.split("\n").filter((l) => l.startsWith("send: "));
    assertEquals(said, [
      'send: the payload is no whole 0x0806 (arp) packet (it decodes as "ARP, [|arp]"); it is sent as given. To build one, give its layers with --layers (see send --help), or all of its bytes with --hex or --file',
    ]);
    assertTrue(bad.stdout.startsWith("sent 3 frames"), bad.stdout);
    for (
      const args of [["--type", "arp", "--hex", ARP], ["--payload", "Hi"], [
        "--type",
        "ipv4",
        "--hex",
        "450000140000000040ff0000" + "0a0000010a000002",
      ]]
    ) {
      const good = await cli("send", pair.macB, pair.a, ...args);
      assertEquals([good.code, good.stderr], [0, ""], args.join(" "));
    }
  },
});

// Unit tests for file/_ip_address.ts: the address classifier behind the URL policy of
// upload_file type url (issue #12 item 4). A table of IPv4 and IPv6 literals.
import { expect } from "expect";
import { type AddressKind, addressKind, isIpLiteral } from "../../file/_ip_address.ts";

const TABLE: readonly [string, AddressKind][] = [
  // IPv4
  ["8.8.8.8", "public"],
  ["1.1.1.1", "public"],
  ["93.184.215.14", "public"],
  ["0.0.0.0", "unspecified"],
  ["0.1.2.3", "unspecified"],
  ["127.0.0.1", "loopback"],
  ["127.0.0.2", "loopback"],
  ["127.255.255.255", "loopback"],
  ["10.0.0.1", "private"],
  ["10.255.255.255", "private"],
  ["172.15.255.255", "public"],
  ["172.16.0.1", "private"],
  ["172.31.255.255", "private"],
  ["172.32.0.0", "public"],
  ["192.168.1.1", "private"],
  ["100.63.255.255", "public"],
  ["100.64.0.1", "private"],
  ["100.127.255.255", "private"],
  ["100.128.0.0", "public"],
  ["169.254.169.254", "link-local"],
  ["169.253.0.1", "public"],
  ["192.0.0.8", "reserved"],
  ["192.0.2.1", "reserved"],
  ["198.18.0.1", "reserved"],
  ["198.19.255.255", "reserved"],
  ["198.51.100.7", "reserved"],
  ["203.0.113.9", "reserved"],
  ["224.0.0.1", "multicast"],
  ["239.255.255.250", "multicast"],
  ["240.0.0.1", "reserved"],
  ["255.255.255.255", "reserved"],
  // IPv6
  ["2606:4700:4700::1111", "public"],
  ["2001:4860:4860::8888", "public"],
  ["[2a00:1450:4001:82a::200e]", "public"],
  ["::", "unspecified"],
  ["0:0:0:0:0:0:0:0", "unspecified"],
  ["::1", "loopback"],
  ["[::1]", "loopback"],
  ["0:0:0:0:0:0:0:1", "loopback"],
  ["fc00::1", "private"],
  ["fd12:3456:789a::1", "private"],
  ["fe80::1", "link-local"],
  ["febf:ffff::1", "link-local"],
  ["fec0::1", "private"],
  ["ff02::1", "multicast"],
  ["2001:db8::1", "reserved"],
  ["2001::1", "reserved"],
  ["3fff::1", "reserved"],
  ["100::1", "reserved"],
  ["::2", "reserved"],
  ["4000::1", "reserved"],
  // IPv4-mapped, NAT64 and 6to4: judged by the IPv4 address inside.
  ["::ffff:127.0.0.1", "loopback"],
  ["::ffff:7f00:1", "loopback"],
  ["[::ffff:7f00:1]", "loopback"],
  ["0:0:0:0:0:ffff:a00:1", "private"],
  ["::ffff:169.254.169.254", "link-local"],
  ["::ffff:0.0.0.0", "unspecified"],
  ["::ffff:8.8.8.8", "public"],
  ["64:ff9b::7f00:1", "loopback"],
  ["64:ff9b::808:808", "public"],
  ["2002:7f00:1::1", "loopback"],
  ["2002:c0a8:101::1", "private"],
  ["2002:808:808::1", "public"],
  ["::127.0.0.1", "reserved"],
  // Not an address the classifier accepts: reserved, so refused.
  ["", "reserved"],
  ["localhost", "reserved"],
  ["127.1", "reserved"],
  ["0x7f.0.0.1", "reserved"],
  ["127.000.0.1", "reserved"],
  ["256.0.0.1", "reserved"],
  ["1.2.3.4.5", "reserved"],
  ["1::2::3", "reserved"],
  ["1:2:3:4:5:6:7:8:9", "reserved"],
  ["1:2:3:4:5:6:7", "reserved"],
  ["12345::1", "reserved"],
  ["fe80::1%eth0", "reserved"],
  [":1", "reserved"],
];

Deno.test("addressKind() classifies IPv4 and IPv6 literals (issue #12 item 4)", () => {
  const actual = TABLE.map(([address]) => [address, addressKind(address)]);
  expect(actual).toEqual(TABLE);
});

Deno.test("addressKind() agrees with the URL parser's canonical hosts", () => {
  // The URL parser rewrites odd IPv4 forms and IPv4-mapped IPv6; the policy sees the result.
  const cases: [string, AddressKind][] = [
    ["http://2130706433/", "loopback"],
    ["http://0x7f.1/", "loopback"],
    ["http://0/", "unspecified"],
    ["http://[::ffff:127.0.0.1]/", "loopback"],
    ["http://[0:0::1]/", "loopback"],
  ];
  for (const [url, kind] of cases) {
    const host = new URL(url).hostname;
    expect({ url, literal: isIpLiteral(host), kind: addressKind(host) }).toEqual({
      url,
      literal: true,
      kind,
    });
  }
  expect(isIpLiteral("example.com")).toBe(false);
  expect(isIpLiteral("localhost")).toBe(false);
});

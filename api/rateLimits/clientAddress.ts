import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import proxyAddr from 'proxy-addr';

export type ProxyTrust = (address: string, hop: number) => boolean;

/** The trust test for `TRUSTED_PROXIES` (validated in config/env.ts); an empty list trusts no one. */
export function compileTrustedProxies(proxies: string[]): ProxyTrust {
  return proxyAddr.compile(proxies);
}

/**
 * The client's address: the socket's peer, unless that peer is a trusted proxy; then proxy-addr
 * walks `X-Forwarded-For` from the right, past trusted proxies, to the first address that is not
 * one. Entries a client wrote itself sit further left, so they are never reached.
 */
export function clientAddress(req: IncomingMessage, trust: ProxyTrust): string {
  if (!req.socket.remoteAddress) return 'unknown';
  return proxyAddr(req, trust);
}

// An IPv6 host usually holds a whole /64: counting single addresses would let it rotate through them.
const IPV6_PREFIX_BITS = 64;

/** The key an address is counted under: IPv4 as is (also when IPv4-mapped), IPv6 by its /64. */
export function addressKey(address: string): string {
  if (!ipaddr.isValid(address)) return `other:${address.slice(0, 64)}`;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const bytes = parsed.toByteArray().slice(0, IPV6_PREFIX_BITS / 8);
  const network = ipaddr.fromByteArray([...bytes, ...new Array<number>(16 - bytes.length).fill(0)]);
  return `${network.toString()}/${IPV6_PREFIX_BITS}`;
}

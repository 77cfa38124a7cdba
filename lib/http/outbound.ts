import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP, type Socket } from "node:net";
import { Readable } from "node:stream";
import { env } from "@/lib/env";

// Every call Agora makes to a provider's endpoint (agent card, health probe,
// run stream, cancel) goes through outboundFetch, which checks the URL at the
// moment of the call (SSRF): https only in production; no IP literals; the
// host's addresses, once resolved, are all public — and the connection is made
// to the address that was checked (the request's own `lookup`), so a DNS answer
// that changes between the check and the connect (rebinding) cannot swap it.
// Redirects are not followed (the A2A client treats a 3xx as an error), and a
// response is cut off past MAX_RESPONSE_BYTES.

export const MAX_RESPONSE_BYTES = 8 << 20;

/** Why an endpoint may not be called; `path` is the manifest field at fault when it is checked at save. */
export class EndpointRefused extends Error {
  readonly code = "endpoint_refused";
  constructor(message: string) {
    super(message);
    this.name = "EndpointRefused";
  }
}

const refused = new BlockList();
// IPv4: "this network", private, shared (CGNAT), loopback, link-local (cloud metadata 169.254.169.254), IETF, documentation, benchmarking, multicast, reserved.
for (const [net, prefix] of [["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12], ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["198.51.100.0", 24], ["203.0.113.0", 24], ["224.0.0.0", 4], ["240.0.0.0", 4]] as const) {
  refused.addSubnet(net, prefix, "ipv4");
}
// IPv6: unspecified, loopback, NAT64, discard, IETF/Teredo, documentation, 6to4, unique-local, link-local, multicast.
// IPv4-mapped addresses (::ffff:a.b.c.d) are matched against the IPv4 rules by BlockList itself: adding ::ffff:0:0/96 would refuse every IPv4 address.
for (const [net, prefix] of [["::", 128], ["::1", 128], ["64:ff9b::", 96], ["64:ff9b:1::", 48], ["100::", 64], ["2001::", 23], ["2001:db8::", 32], ["2002::", 16], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8]] as const) {
  refused.addSubnet(net, prefix, "ipv6");
}
const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** Resolves a host name to all its addresses (tests inject one; the default is the system resolver). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export type OutboundPolicy = {
  production: boolean;
  /** AGORA_ALLOW_LOOPBACK_ENDPOINTS: loopback addresses (and http to them) allowed, for tests and local work. */
  allowLoopback: boolean;
  resolve: Resolver;
};

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

export const outboundPolicy = (resolve: Resolver = systemResolver): OutboundPolicy => ({
  production: env().NODE_ENV === "production",
  allowLoopback: env().AGORA_ALLOW_LOOPBACK_ENDPOINTS,
  resolve,
});

const family = (ip: string) => (isIP(ip) === 6 ? "ipv6" : "ipv4");
const isLoopback = (ip: string) => loopback.check(ip, family(ip));

/** Why an address may not be connected to, or null when it may. */
export function refusedAddress(ip: string, policy: Pick<OutboundPolicy, "allowLoopback">): string | null {
  if (!isIP(ip)) return `${ip} is not an IP address`;
  if (policy.allowLoopback && isLoopback(ip)) return null;
  return refused.check(ip, family(ip)) ? `${ip} is a loopback, private, link-local or reserved address` : null;
}

/** The checks that need no DNS: scheme, credentials, IP literals. Returns the parsed URL. */
export function checkUrlShape(raw: string, policy: Pick<OutboundPolicy, "production" | "allowLoopback">): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EndpointRefused(`${raw} is not a URL.`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const loopbackLiteral = policy.allowLoopback && isIP(host) !== 0 && isLoopback(host);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new EndpointRefused(`The endpoint must be an https:// URL (not ${url.protocol}).`);
  if (url.protocol === "http:" && policy.production && !loopbackLiteral) throw new EndpointRefused("The endpoint must be an https:// URL.");
  if (url.username || url.password) throw new EndpointRefused("The endpoint URL may not carry a user name or password.");
  if (isIP(host) && !loopbackLiteral) throw new EndpointRefused(`The endpoint must be a host name, not an IP address (${host}).`);
  return url;
}

/** The addresses a host resolves to, all of them allowed, or EndpointRefused. */
async function allowedAddresses(hostname: string, policy: OutboundPolicy): Promise<LookupAddress[]> {
  if (isIP(hostname)) return [{ address: hostname, family: isIP(hostname) }];
  let addresses: LookupAddress[];
  try {
    addresses = await policy.resolve(hostname);
  } catch (err) {
    throw new EndpointRefused(`${hostname} could not be resolved (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
  }
  if (addresses.length === 0) throw new EndpointRefused(`${hostname} has no address.`);
  for (const a of addresses) {
    const why = refusedAddress(a.address, policy);
    if (why) throw new EndpointRefused(`${hostname} resolves to a refused address: ${why}.`);
  }
  return addresses;
}

/** The whole check, DNS included (at save: the manifest's endpoint). */
export async function checkEndpointUrl(raw: string, policy: OutboundPolicy = outboundPolicy()): Promise<URL> {
  const url = checkUrlShape(raw, policy);
  await allowedAddresses(url.hostname.replace(/^\[|\]$/g, ""), policy);
  return url;
}

// One keep-alive pool per scheme for the process: a socket is checked when it is opened.
const agents = { "http:": new http.Agent({ keepAlive: true }), "https:": new https.Agent({ keepAlive: true }) };

/** What a call through outboundFetch saw, for telling a refused signature (401) from a server error when the A2A client hides the status. */
export type OutboundTrace = { status?: number; refused?: EndpointRefused };

export type OutboundOptions = {
  policy?: OutboundPolicy;
  /** Headers to add to a request with a string body (its signature). */
  sign?: (body: string) => Record<string, string>;
  trace?: OutboundTrace;
};

/** A `fetch` for provider endpoints (given to the A2A SDK as its fetchImpl). */
/** A call made without a signal of its own (the card, the health probe) gives up after this long: an endpoint that never answers cannot hold a request open. */
const CALL_WITHOUT_DEADLINE_MS = 15_000;

export function outboundFetch(opts: OutboundOptions = {}): typeof fetch {
  const fetchImpl = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const policy = opts.policy ?? outboundPolicy();
    let url: URL;
    try {
      url = checkUrlShape(input instanceof Request ? input.url : String(input), policy);
    } catch (err) {
      if (opts.trace && err instanceof EndpointRefused) opts.trace.refused = err;
      throw err;
    }
    const headers = new Headers(init.headers);
    const body = typeof init.body === "string" ? init.body : undefined;
    if (body !== undefined && opts.sign) for (const [k, v] of Object.entries(opts.sign(body))) headers.set(k, v);
    const response = await request(url, { method: init.method ?? "GET", headers, body, signal: init.signal ?? AbortSignal.timeout(CALL_WITHOUT_DEADLINE_MS) }, policy).catch((err: unknown) => {
      if (opts.trace && err instanceof EndpointRefused) opts.trace.refused = err;
      throw err;
    });
    if (opts.trace) opts.trace.status = response.status;
    return response;
  };
  return fetchImpl as typeof fetch;
}

function request(url: URL, init: { method: string; headers: Headers; body?: string; signal?: AbortSignal }, policy: OutboundPolicy): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === "https:" ? https : http).request(
      url,
      {
        method: init.method,
        headers: Object.fromEntries(init.headers),
        agent: agents[url.protocol as "http:" | "https:"],
        signal: init.signal,
        // The connection goes to the addresses checked here, not to a second resolution.
        lookup: (hostname, options, callback) => {
          allowedAddresses(hostname, policy).then(
            (addresses) => (options.all ? callback(null, addresses) : callback(null, addresses[0]!.address, addresses[0]!.family)),
            (err: Error) => callback(err, "", 0),
          );
        },
      },
      (res) => {
        let received = 0;
        res.on("data", (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) res.destroy(new Error(`The response is larger than ${MAX_RESPONSE_BYTES >> 20} MB.`));
        });
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) for (const value of [v ?? []].flat()) headers.append(k, value);
        const status = res.statusCode ?? 502;
        const empty = status === 204 || status === 304 || init.method === "HEAD";
        resolve(new Response(empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), { status, headers }));
      },
    );
    // Also checked on the socket actually connected (an IP literal never goes through `lookup`).
    req.on("socket", (socket: Socket) => {
      if (!socket.connecting) return;
      socket.once("connect", () => {
        const why = socket.remoteAddress ? refusedAddress(socket.remoteAddress, policy) : "no peer address";
        if (why) req.destroy(new EndpointRefused(`Connected to a refused address: ${why}.`));
      });
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

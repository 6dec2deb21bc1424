import { hash as oneShotHash } from 'node:crypto';

/**
 * Digest algorithms of RFC 7616 §3.1 as adopted for SIP by RFC 8760: MD5
 * (legacy), SHA-256 and SHA-512-256, each with a -sess variant.
 */
export type DigestAlgorithm =
  | 'MD5'
  | 'MD5-sess'
  | 'SHA-256'
  | 'SHA-256-sess'
  | 'SHA-512-256'
  | 'SHA-512-256-sess';

/** The hash an algorithm uses, without -sess. */
export type DigestHash = 'MD5' | 'SHA-256' | 'SHA-512-256';

const NODE_HASH: Record<DigestHash, string> = {
  MD5: 'md5',
  'SHA-256': 'sha256',
  'SHA-512-256': 'sha512-256',
};

const ALGORITHMS: Record<string, DigestAlgorithm> = {
  md5: 'MD5',
  'md5-sess': 'MD5-sess',
  'sha-256': 'SHA-256',
  'sha-256-sess': 'SHA-256-sess',
  'sha-512-256': 'SHA-512-256',
  'sha-512-256-sess': 'SHA-512-256-sess',
};

/** The algorithm named by a challenge or credentials (case-insensitive); MD5 when absent. */
export function digestAlgorithm(name: string | undefined): DigestAlgorithm | undefined {
  return name === undefined ? 'MD5' : ALGORITHMS[name.toLowerCase()];
}

export function hashOf(algorithm: DigestAlgorithm): DigestHash {
  return algorithm.replace(/-sess$/, '') as DigestHash;
}

export function isSession(algorithm: DigestAlgorithm): boolean {
  return algorithm.endsWith('-sess');
}

/**
 * H(data) as lower-case hex. One-shot: no Hash object per call (each is a
 * native object the garbage collector must visit, two or three a request).
 */
export function digestHash(hash: DigestHash, data: string): string {
  return oneShotHash(NODE_HASH[hash], data, 'hex');
}

/** HA1 = H(username ":" realm ":" password), what a PBX may store instead of the password. */
export function computeHa1(hash: DigestHash, username: string, realm: string, password: string): string {
  return digestHash(hash, `${username}:${realm}:${password}`);
}

export interface DigestInputs {
  algorithm: DigestAlgorithm;
  /** H(username:realm:password) for the algorithm's hash. */
  ha1: string;
  nonce: string;
  cnonce: string | undefined;
  /** 8 hex digits. */
  nc: string | undefined;
  qop: 'auth' | undefined;
  method: string;
  uri: string;
}

/** The request-digest of RFC 7616 §3.4.1 (RFC 2069 form when qop is absent). */
export function computeResponse(inputs: DigestInputs): string {
  const hash = hashOf(inputs.algorithm);
  const ha1 = isSession(inputs.algorithm)
    ? digestHash(hash, `${inputs.ha1}:${inputs.nonce}:${inputs.cnonce ?? ''}`)
    : inputs.ha1;
  const ha2 = digestHash(hash, `${inputs.method}:${inputs.uri}`);
  if (inputs.qop === undefined) return digestHash(hash, `${ha1}:${inputs.nonce}:${ha2}`);
  return digestHash(hash, `${ha1}:${inputs.nonce}:${inputs.nc}:${inputs.cnonce}:${inputs.qop}:${ha2}`);
}

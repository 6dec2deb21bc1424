import { generate } from 'selfsigned';

export interface SelfSignedCertificate {
  readonly cert: string;
  readonly key: string;
  /** SHA-256 fingerprint, colon-separated hex. */
  readonly fingerprint: string;
}

/**
 * A self-signed certificate for the demo's TLS and WSS listeners (the
 * maintained `selfsigned` package). Production deployments configure a real
 * certificate and key; phones must be told to trust this one.
 */
export async function generateSelfSignedCertificate(
  commonName: string,
  options: { days?: number; altNames?: readonly string[] } = {},
): Promise<SelfSignedCertificate> {
  const names = [commonName, ...(options.altNames ?? [])];
  const altNames = names.map((name) =>
    /^[0-9.]+$/.test(name) || name.includes(':')
      ? { type: 7 as const, ip: name }
      : { type: 2 as const, value: name },
  );
  const days = options.days ?? 825;
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + days * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { cert: pems.cert, key: pems.private, fingerprint: pems.fingerprint };
}

/**
 * Service-account tokens as the API server issues them (bound, projected
 * tokens): JSON Web Tokens signed with ES256 by the cluster's signing key,
 * the claims Kubernetes 1.35 puts in them (issuer and audience
 * `https://kubernetes.default.svc.cluster.local`, `sub`
 * `system:serviceaccount:NS:NAME`, and the `kubernetes.io` claim naming the
 * namespace, service account, pod and node), and the expiry the API server
 * extends a kubelet's 3607-second request to (one year, with `warnafter`).
 */

export const ISSUER = 'https://kubernetes.default.svc.cluster.local';
/** kube-apiserver's --service-account-max-token-expiration default when it extends kubelet tokens. */
const EXTENDED_SECONDS = 365 * 24 * 3600;

export interface TokenClaims {
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  iss: string;
  jti: string;
  sub: string;
  'kubernetes.io': {
    namespace: string;
    serviceaccount: { name: string; uid: string };
    pod?: { name: string; uid: string };
    node?: { name: string; uid: string };
    warnafter?: number;
  };
}

const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const fromB64url = (text: string) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4)), (c) => c.charCodeAt(0));
const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** The key id the API server puts in the header: a hash of the public key. */
export async function keyIdOf(publicKey: CryptoKey): Promise<string> {
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', publicKey));
  return b64url(new Uint8Array(await crypto.subtle.digest('SHA-256', spki)));
}

export async function issueToken(key: CryptoKeyPair, kid: string, subject: { namespace: string; serviceAccount: { name: string; uid: string }; pod?: { name: string; uid: string }; node?: { name: string; uid: string } }, options: { audiences?: string[]; expirationSeconds?: number; now: number }): Promise<{ token: string; claims: TokenClaims }> {
  const iat = Math.floor(options.now / 1000);
  const asked = options.expirationSeconds ?? 3607;
  // A kubelet's default request (3607 s) is extended, with a warning time at the asked expiry.
  const extend = asked === 3607 && subject.pod !== undefined;
  const claims: TokenClaims = {
    aud: options.audiences ?? [ISSUER],
    exp: iat + (extend ? EXTENDED_SECONDS : asked),
    iat,
    iss: ISSUER,
    jti: crypto.randomUUID(),
    'kubernetes.io': {
      namespace: subject.namespace,
      ...(subject.node ? { node: subject.node } : {}),
      ...(subject.pod ? { pod: subject.pod } : {}),
      serviceaccount: subject.serviceAccount,
      ...(extend ? { warnafter: iat + asked } : {}),
    },
    nbf: iat,
    sub: `system:serviceaccount:${subject.namespace}:${subject.serviceAccount.name}`,
  };
  const head = b64url(json({ alg: 'ES256', kid }));
  const body = b64url(json(claims));
  const signature = new Uint8Array(await crypto.subtle.sign(SIGN, key.privateKey, new TextEncoder().encode(`${head}.${body}`)));
  return { token: `${head}.${body}.${b64url(signature)}`, claims };
}

/** The token's claims when its signature is the key's and it has not expired; undefined otherwise. */
export async function verifyToken(publicKey: CryptoKey, token: string, now: number): Promise<TokenClaims | undefined> {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(new TextDecoder().decode(fromB64url(parts[0]!))) as { alg?: string };
    if (header.alg !== 'ES256') return undefined;
    const ok = await crypto.subtle.verify(SIGN, publicKey, fromB64url(parts[2]!), new TextEncoder().encode(`${parts[0]}.${parts[1]}`));
    if (!ok) return undefined;
    const claims = JSON.parse(new TextDecoder().decode(fromB64url(parts[1]!))) as TokenClaims;
    const t = Math.floor(now / 1000);
    if (claims.iss !== ISSUER || typeof claims.exp !== 'number' || claims.exp < t || (claims.nbf ?? 0) > t + 60) return undefined;
    return claims;
  } catch {
    return undefined;
  }
}

/**
 * The cluster's certificates, made on demand: x509.ts (and pkijs, which it
 * alone uses, about 400 kB) is loaded the first time a cluster asks, apart
 * from the code a page needs to boot.
 */
import type { GeneratedCertificates } from './x509.ts';

export type { GeneratedCertificates };

export async function createClusterCertificates(options: { serviceIP: string; dnsNames: string[] }): Promise<GeneratedCertificates> {
  const x509 = await import('./x509.ts');
  return x509.createClusterCertificates(options);
}

/**
 * The cluster's certificates, as kubeadm makes them: a self-signed CA
 * (`CN=kubernetes`, the `ca.crt` every pod's service-account volume and the
 * kube-root-ca.crt ConfigMaps carry) and the API server's serving
 * certificate it signs, for the `kubernetes` Service's names and ClusterIP.
 * ECDSA P-256 keys from WebCrypto; the certificates are encoded with pkijs
 * (the only user of it).
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const OID = {
  commonName: '2.5.4.3',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  serverAuth: '1.3.6.1.5.5.7.3.1',
};

export interface KeyPairPem {
  certificate: string;
  privateKey: string;
}

export interface GeneratedCertificates {
  ca: KeyPairPem & { key: CryptoKeyPair };
  /** The API server's serving certificate and key. */
  apiserver: KeyPairPem;
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = btoa(String.fromCharCode(...new Uint8Array(der)));
  return `-----BEGIN ${label}-----\n${b64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

function name(cn: string): pkijs.RelativeDistinguishedNames {
  return new pkijs.RelativeDistinguishedNames({ typesAndValues: [new pkijs.AttributeTypeAndValue({ type: OID.commonName, value: new asn1js.Utf8String({ value: cn }) })] });
}

/** KeyUsage bits, first byte: digitalSignature 0x80, keyEncipherment 0x20, keyCertSign 0x04. */
function keyUsage(bits: number): pkijs.Extension {
  const value = new asn1js.BitString({ valueHex: new Uint8Array([bits]).buffer, unusedBits: 0 });
  return new pkijs.Extension({ extnID: OID.keyUsage, critical: true, extnValue: value.toBER(false) });
}

async function keyId(key: CryptoKey): Promise<ArrayBuffer> {
  const spki = await crypto.subtle.exportKey('spki', key);
  return (await crypto.subtle.digest('SHA-1', spki)).slice(0, 20);
}

async function certificate(options: {
  subject: string;
  issuer: string;
  publicKey: CryptoKey;
  signingKey: CryptoKey;
  serial: number;
  years: number;
  extensions: pkijs.Extension[];
}): Promise<string> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: options.serial });
  cert.subject = name(options.subject);
  cert.issuer = name(options.issuer);
  const now = new Date();
  cert.notBefore.value = new Date(now.getTime() - 5 * 60_000);
  cert.notAfter.value = new Date(now.getTime() + options.years * 365 * 86_400_000);
  await cert.subjectPublicKeyInfo.importKey(options.publicKey);
  cert.extensions = [...options.extensions, new pkijs.Extension({ extnID: OID.subjectKeyIdentifier, extnValue: new asn1js.OctetString({ valueHex: await keyId(options.publicKey) }).toBER(false) })];
  await cert.sign(options.signingKey, 'SHA-256');
  return pem('CERTIFICATE', cert.toSchema(true).toBER(false));
}

/** A new CA and API server certificate for one cluster. */
export async function createClusterCertificates(options: { serviceIP: string; dnsNames: string[] }): Promise<GeneratedCertificates> {
  const caKey = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const serial = () => 1 + Math.floor(Math.random() * 2 ** 31);
  const caCert = await certificate({
    subject: 'kubernetes',
    issuer: 'kubernetes',
    publicKey: caKey.publicKey,
    signingKey: caKey.privateKey,
    serial: serial(),
    years: 10,
    extensions: [
      new pkijs.Extension({ extnID: OID.basicConstraints, critical: true, extnValue: new pkijs.BasicConstraints({ cA: true }).toSchema().toBER(false) }),
      keyUsage(0x80 | 0x20 | 0x04),
    ],
  });
  const serverKey = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const altNames = new pkijs.GeneralNames({
    names: [
      ...options.dnsNames.map((value) => new pkijs.GeneralName({ type: 2, value })),
      new pkijs.GeneralName({ type: 7, value: new asn1js.OctetString({ valueHex: new Uint8Array(options.serviceIP.split('.').map(Number)).buffer }) }),
    ],
  });
  const serverCert = await certificate({
    subject: 'kube-apiserver',
    issuer: 'kubernetes',
    publicKey: serverKey.publicKey,
    signingKey: caKey.privateKey,
    serial: serial(),
    years: 1,
    extensions: [
      new pkijs.Extension({ extnID: OID.basicConstraints, critical: true, extnValue: new pkijs.BasicConstraints({ cA: false }).toSchema().toBER(false) }),
      keyUsage(0x80 | 0x20),
      new pkijs.Extension({ extnID: OID.extKeyUsage, extnValue: new pkijs.ExtKeyUsage({ keyPurposes: [OID.serverAuth] }).toSchema().toBER(false) }),
      new pkijs.Extension({ extnID: OID.subjectAltName, extnValue: altNames.toSchema().toBER(false) }),
    ],
  });
  return {
    ca: { certificate: caCert, privateKey: pem('PRIVATE KEY', await crypto.subtle.exportKey('pkcs8', caKey.privateKey)), key: caKey },
    apiserver: { certificate: serverCert, privateKey: pem('PRIVATE KEY', await crypto.subtle.exportKey('pkcs8', serverKey.privateKey)) },
  };
}

export { ClusterAuth, ANONYMOUS, APISERVER_NAMES, serviceAccountUser, type ClusterCertificates, type User } from './cluster-auth.ts';
export { ISSUER, issueToken, verifyToken, type TokenClaims } from './tokens.ts';

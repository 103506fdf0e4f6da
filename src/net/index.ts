export { ClusterNetwork, NET_ERRNO, type HostConnection, type HostService, type Route, type Router } from './cluster-network.ts';
export { PodIpam, POD_NETWORK, podCidrFor } from './ipam.ts';
export { PodNetworks } from './pod-network.ts';
export { ServiceProxy, isServiceIp } from './services.ts';
export { ClusterDns } from './dns.ts';
export { PodplayNetwork, DNS_IP } from './network.ts';
export { httpRequest, HttpError, type HttpRequest, type HttpResponse } from './http-client.ts';
export { Probes, type HttpProbe, type ProbeResult } from './probes.ts';
export { errnoText } from './errors.ts';

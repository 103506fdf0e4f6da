export { ApiServer, type ApiRequest, type ApiResponse, type ApiServerOptions, type StreamSink } from './server.ts';
export { requestInfo, type RequestInfo } from './paths.ts';
export { SERVER_VERSION, apiResourceList, apiGroupList } from './discovery.ts';
export { applyPatch, mergePatch, strategicMerge, PATCH_TYPES } from './patch.ts';

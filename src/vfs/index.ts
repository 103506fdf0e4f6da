export { Vfs, vfsError, type Resolved } from './vfs.ts';
export { FileNode, DirNode, SymlinkNode, type VfsNode, type NodeKind, type NodeMeta } from './nodes.ts';
export { normalize, join, dirname, basename, components } from './path.ts';
export { diffTrees, type Change } from './diff.ts';

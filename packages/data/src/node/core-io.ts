// Core's asset IO (resolution order dataDir → cache → download, checksums, atomic writes).

export type { AssetSpec } from '@dlkit/core/node';
export { assetCandidates, atomicWriteFile, locateAsset, resolveAsset, sha256File } from '@dlkit/core/node';

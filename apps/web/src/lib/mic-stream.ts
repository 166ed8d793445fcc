/**
 * Continuous microphone capture as mono Float32 chunks at a chosen rate: the AudioContext
 * resamples the input, and a tiny AudioWorklet (loaded from a Blob, so no extra file to serve)
 * posts each 128-sample render quantum to the page.
 */
const WORKLET = `registerProcessor('dlkit-tap', class extends AudioWorkletProcessor {
  process(inputs) { const ch = inputs[0] && inputs[0][0]; if (ch) this.port.postMessage(ch.slice()); return true; }
});`;

export interface MicStream {
  readonly sampleRate: number;
  stop(): Promise<void>;
}

/** Throws the getUserMedia DOMException (NotAllowedError, NotFoundError, …) when the mic cannot start. */
export async function startMic(sampleRate: number, onChunk: (samples: Float32Array) => void): Promise<MicStream> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
  const ctx = new AudioContext({ sampleRate });
  try {
    const url = URL.createObjectURL(new Blob([WORKLET], { type: 'text/javascript' }));
    try {
      await ctx.audioWorklet.addModule(url);
    } finally {
      URL.revokeObjectURL(url);
    }
    const source = ctx.createMediaStreamSource(stream);
    const tap = new AudioWorkletNode(ctx, 'dlkit-tap');
    tap.port.onmessage = (e: MessageEvent<Float32Array>) => onChunk(e.data);
    source.connect(tap);
    // Chrome only pulls nodes that reach the destination; the tap writes no output, so this is silent.
    tap.connect(ctx.destination);
    await ctx.resume();
  } catch (e) {
    for (const t of stream.getTracks()) t.stop();
    await ctx.close();
    throw e;
  }
  return {
    sampleRate: ctx.sampleRate,
    async stop() {
      for (const t of stream.getTracks()) t.stop();
      await ctx.close();
    },
  };
}

/** A rolling window over the last `capacity` samples of a stream, and how many samples came in overall. */
export class RollingBuffer {
  private readonly buf: Float32Array;
  private filled = 0;
  total = 0;

  constructor(readonly capacity: number) {
    this.buf = new Float32Array(capacity);
  }

  push(x: Float32Array): void {
    this.total += x.length;
    if (x.length >= this.capacity) {
      this.buf.set(x.subarray(x.length - this.capacity));
      this.filled = this.capacity;
      return;
    }
    const keep = Math.min(this.filled, this.capacity - x.length);
    this.buf.copyWithin(0, this.filled - keep, this.filled);
    this.buf.set(x, keep);
    this.filled = keep + x.length;
  }

  /** The buffered samples, oldest first, and the stream position of the first one. */
  window(): { samples: Float32Array; start: number } {
    return { samples: this.buf.slice(0, this.filled), start: this.total - this.filled };
  }
}

/** A readable reason the microphone did not start. */
export function micErrorText(e: unknown): string {
  const name = (e as DOMException)?.name;
  if (name === 'NotAllowedError') return 'Microphone permission was denied; allow it in the address bar, or drop a WAV instead.';
  if (name === 'NotFoundError') return 'No microphone found; drop a WAV instead.';
  return `The microphone could not start: ${(e as Error)?.message ?? String(e)}`;
}

/** Whether this page can ask for the microphone at all (it needs https or localhost). */
export function micAvailable(): boolean {
  return Boolean(navigator.mediaDevices?.getUserMedia);
}

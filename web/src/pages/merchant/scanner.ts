import jsQR from 'jsqr';

/** What kept the camera from reading: no camera API (an old phone, plain http), refused permission, or anything else. */
export type CameraProblem = 'unsupported' | 'denied' | 'failed';

export class CameraError extends Error {
  constructor(readonly problem: CameraProblem) {
    super(`camera ${problem}`);
  }
}

/**
 * The counter's QR reader: the rear camera (getUserMedia, facingMode environment) into a <video>, a frame every
 * 150 ms drawn small on a canvas and decoded with jsQR until `onText` says it has what it wanted. Stop() lets the
 * camera go (the light on the phone goes out).
 */
export class QrScanner {
  #stream: MediaStream | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #canvas = document.createElement('canvas');

  get running(): boolean {
    return this.#stream !== null;
  }

  /** Opens the camera into `video` and decodes until onText(text) answers true; throws a CameraError. */
  async start(video: HTMLVideoElement, onText: (text: string) => boolean): Promise<void> {
    if (!navigator.mediaDevices?.getUserMedia) throw new CameraError('unsupported');
    try {
      this.#stream = await navigator.mediaDevices.getUserMedia({ audio: false, video: { facingMode: { ideal: 'environment' } } });
    } catch (e) {
      const name = (e as { name?: string }).name;
      throw new CameraError(name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : name === 'NotFoundError' ? 'unsupported' : 'failed');
    }
    video.srcObject = this.#stream;
    video.muted = true;
    video.setAttribute('playsinline', '');
    await video.play().catch(() => undefined);
    const ctx = this.#canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) {
      this.stop();
      throw new CameraError('failed');
    }
    const frame = () => {
      if (!this.#stream) return;
      const w = video.videoWidth;
      const h = video.videoHeight;
      if (w && h) {
        // At most 640 px wide: enough for a phone screen's QR at arm's length, and quick to decode.
        const scale = Math.min(1, 640 / w);
        this.#canvas.width = Math.round(w * scale);
        this.#canvas.height = Math.round(h * scale);
        ctx.drawImage(video, 0, 0, this.#canvas.width, this.#canvas.height);
        const image = ctx.getImageData(0, 0, this.#canvas.width, this.#canvas.height);
        const found = jsQR(image.data, image.width, image.height, { inversionAttempts: 'attemptBoth' });
        if (found?.data && onText(found.data)) return;
      }
      this.#timer = setTimeout(frame, 150);
    };
    frame();
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    for (const track of this.#stream?.getTracks() ?? []) track.stop();
    this.#stream = null;
  }
}

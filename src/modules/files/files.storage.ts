import { randomUUID } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Content-addressed blobs on disk: <root>/<first two hex digits>/<sha-256 hex>. The two-digit fan-out
 * keeps any one folder to a few thousand entries even with millions of photos.
 */
export class FileStorage {
  constructor(private readonly root: string) {}

  pathOf(hash: string): string {
    return join(this.root, hash.slice(0, 2), hash);
  }

  /** Size on disk, or null when absent. */
  async sizeOf(hash: string): Promise<number | null> {
    try {
      return (await stat(this.pathOf(hash))).size;
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  /**
   * Writes the blob unless a complete copy is already there. Atomic: the bytes go to a temporary file in
   * the same folder, are flushed to disk, then renamed over the final name, so a reader or a crash never
   * sees a half-written photo. Concurrent writers of the same content race harmlessly (same bytes).
   */
  async put(hash: string, data: Buffer): Promise<void> {
    if ((await this.sizeOf(hash)) === data.length) return;
    const folder = join(this.root, hash.slice(0, 2));
    await mkdir(folder, { recursive: true });
    const temp = join(folder, `.${hash}.${randomUUID()}.tmp`);
    try {
      const handle = await open(temp, 'wx', 0o640);
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.pathOf(hash));
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    await syncFolder(folder);
  }

  read(hash: string): ReadStream {
    return createReadStream(this.pathOf(hash));
  }
}

/** Makes the rename itself durable; some platforms (Windows) cannot open a folder, and lose only that. */
async function syncFolder(folder: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // Best effort: the file's own data is already synced.
  } finally {
    await handle?.close();
  }
}

const isMissing = (err: unknown) => err instanceof Error && 'code' in err && err.code === 'ENOENT';

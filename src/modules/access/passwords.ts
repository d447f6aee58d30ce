import { hash, verify } from '@node-rs/argon2';

// The library's default algorithm is Argon2id; OWASP's baseline cost (19 MiB, 2 passes).
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string) => hash(password, options);

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  // Verify against a throwaway hash when the user is unknown so timing does not reveal who exists.
  const target = stored ?? (await dummyHash);
  try {
    return (await verify(target, password)) && stored !== null;
  } catch {
    return false;
  }
}

const dummyHash = hash('not-a-real-password', options);

export const MIN_PASSWORD_LENGTH = 8;

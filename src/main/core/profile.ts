// profile.json: the non-secret facts about a data folder. Its random profileId scopes keychain
// entries so two data folders (say, the demo and the real practice) never share keys; keyCheck
// tells a wrong key from a damaged file. Nothing here is personal data or a secret.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { describeZodError } from '../../shared/result';
import { PROFILE_FILE } from '../paths';
import { CoreError } from './errors';

export const Profile = z.object({
  profileId: z.string().regex(/^[a-f0-9-]{36}$/),
  createdAt: z.string(),
  keyCheck: z
    .string()
    .regex(/^[a-f0-9]{64}$/)
    .nullable()
    .default(null),
  demo: z.boolean().default(false),
});
export type Profile = z.infer<typeof Profile>;

export function readOrCreateProfile(dataDir: string, now: Date): Profile {
  const file = join(dataDir, PROFILE_FILE);
  if (existsSync(file)) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new CoreError(
        'invalid_input',
        `${file} is not valid JSON: ${(error as Error).message}`,
      );
    }
    const parsed = Profile.safeParse(raw);
    if (!parsed.success) {
      throw new CoreError('invalid_input', `${file}: ${describeZodError(parsed.error)}`);
    }
    return parsed.data;
  }
  const profile: Profile = {
    profileId: randomUUID(),
    createdAt: now.toISOString(),
    keyCheck: null,
    demo: false,
  };
  writeProfile(dataDir, profile);
  return profile;
}

export function writeProfile(dataDir: string, profile: Profile): void {
  const file = join(dataDir, PROFILE_FILE);
  const temp = `${file}.tmp`;
  writeFileSync(temp, `${JSON.stringify(profile, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, file);
}

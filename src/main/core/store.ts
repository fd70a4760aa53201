// Opens the data folder's encrypted store with the key kept in the keychain, creating both on
// first run. Never deletes or replaces an existing file: a missing or wrong key is a state the UI
// explains, not a reason to start over.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DbState } from '../../shared/contract';
import { DbCorruptError, DbFromFutureError, WrongKeyError } from '../db/errors';
import { keyCheck, openDatabase, type Db } from '../db/open';
import { createLogger } from '../log';
import { DB_FILE } from '../paths';
import type { SecretStore } from '../secrets/secret-store';
import { writeProfile, type Profile } from './profile';

const log = createLogger('store');

export type StoreState = Readonly<{ db: Db | null; state: DbState; message: string | null }>;

export type OpenStoreOptions = Readonly<{
  dataDir: string;
  profile: Profile;
  secrets: SecretStore;
  nativeBinding?: string;
}>;

export function dbKeyAccount(profile: Profile): string {
  return `${profile.profileId}:db-key`;
}

export async function openStore(options: OpenStoreOptions): Promise<StoreState> {
  const { dataDir, profile, secrets } = options;
  const file = join(dataDir, DB_FILE);
  const account = dbKeyAccount(profile);
  let keyHex = await secrets.get(account);

  if (!secrets.status().available) {
    // No keychain: a key could not be kept, so nothing is written to disk this session.
    const memoryKey = randomBytes(32).toString('hex');
    return {
      db: openDatabase({
        file: ':memory:',
        keyHex: memoryKey,
        nativeBinding: options.nativeBinding,
      }),
      state: 'memory',
      message:
        'The system keychain is unavailable, so this session keeps its data in memory only. Nothing is saved when Cadence closes.',
    };
  }

  if (keyHex === null) {
    if (existsSync(file)) {
      return {
        db: null,
        state: 'key_missing',
        message:
          'The encryption key for this data folder is not in the keychain. Restore the keychain entry "Cadence" or choose another data folder; the data has not been touched.',
      };
    }
    keyHex = randomBytes(32).toString('hex');
    await secrets.set(account, keyHex);
    if (!secrets.status().available || (await secrets.get(account)) !== keyHex) {
      return openStore(options); // the keychain failed while storing the key: fall back to memory
    }
    profile.keyCheck = keyCheck(keyHex);
    writeProfile(dataDir, profile);
    log.info('created a new encryption key and database');
  }

  try {
    const db = openDatabase({
      file,
      keyHex,
      nativeBinding: options.nativeBinding,
      expectedKeyCheck: profile.keyCheck ?? undefined,
    });
    if (profile.keyCheck === null) {
      profile.keyCheck = keyCheck(keyHex);
      writeProfile(dataDir, profile);
    }
    return { db, state: 'open', message: null };
  } catch (error) {
    if (error instanceof WrongKeyError)
      return { db: null, state: 'wrong_key', message: error.message };
    if (error instanceof DbFromFutureError) {
      return { db: null, state: 'from_future', message: error.message };
    }
    if (error instanceof DbCorruptError)
      return { db: null, state: 'corrupt', message: error.message };
    throw error;
  }
}

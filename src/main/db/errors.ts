// Typed reasons the encrypted store cannot be opened. Each has its own screen in the UI; none of
// them leads to deleting data by default.
export class DbOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The key in the keychain does not decrypt this file. */
export class WrongKeyError extends DbOpenError {}

/** The file is damaged or is not a Cadence database. */
export class DbCorruptError extends DbOpenError {}

/** The file was written by a newer Cadence; opening it here could damage it. */
export class DbFromFutureError extends DbOpenError {
  constructor(
    readonly fileVersion: number,
    readonly supportedVersion: number,
  ) {
    super(
      `This data was written by a newer version of Cadence (schema ${fileVersion}; this version knows ${supportedVersion}). Update Cadence to open it.`,
    );
  }
}

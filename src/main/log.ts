// Logging with redaction: every line is prefixed with where it comes from (`sync.calcom: page 3`)
// and scrubbed of email addresses and anything shaped like an API key or token before it is
// written anywhere. Callers should not log names at all; this is the safety net.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogSink = (line: string) => void;

// The local part is RFC 5322's atext: an address such as `bill&ted@…` or `!@…` is one too, and a
// narrower class let such an address (or the part before the odd character) through.
const EMAIL = /[A-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi;
// Cal.com keys (cal_…, cal_live_…), bearer tokens, JWT-like strings and long opaque tokens.
const KEYISH = [
  /\bcal_(?:live_)?[A-Za-z0-9]{8,}\b/g,
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}(?:\.[A-Za-z0-9_-]+)?/g,
  /\b\d{1,10}-\d{20,40}-[A-Za-z0-9]{20,}\b/g, // LACRM-shaped keys
  /\b[A-Fa-f0-9]{40,}\b/g,
  /\b[A-Za-z0-9_-]{40,}\b/g,
];

export function redact(text: string): string {
  let out = text.replace(EMAIL, '«email»');
  for (const pattern of KEYISH) out = out.replace(pattern, '«secret»');
  return out;
}

const levels: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

let sink: LogSink = (line) => process.stderr.write(`${line}\n`);
let threshold: LogLevel = (process.env.CADENCE_LOG_LEVEL as LogLevel | undefined) ?? 'warn';

/** Routes log lines (already redacted) somewhere else: a file in the data folder, a test buffer. */
export function setLogSink(next: LogSink, level: LogLevel = threshold): void {
  sink = next;
  threshold = level;
}

export function fileSink(path: string): LogSink {
  mkdirSync(dirname(path), { recursive: true });
  return (line) => appendFileSync(path, `${line}\n`, { mode: 0o600 });
}

export type Logger = Readonly<Record<LogLevel, (message: string) => void>>;

export function createLogger(scope: string): Logger {
  const write = (level: LogLevel) => (message: string) => {
    if (levels[level] < levels[threshold]) return;
    sink(redact(`${new Date().toISOString()} ${level.toUpperCase()} ${scope}: ${message}`));
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

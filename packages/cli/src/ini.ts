import { CliError } from './errors';

/**
 * Parses an INI file (the original study's `config.ini`) into a flat map of keys to
 * values. Sections are accepted and flattened (later keys win); `;` and `#` start
 * comments; `key = value` and `key: value` are both accepted.
 */
export function parseIni(text: string, file = 'config.ini'): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) return;
    if (line.startsWith('[')) {
      if (!line.endsWith(']')) throw new CliError(`${file}:${i + 1}: malformed section header '${line}'`);
      return;
    }
    const m = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (!m) throw new CliError(`${file}:${i + 1}: expected 'key = value', got '${line}'`);
    const value = m[2].replace(/\s+[;#].*$/, '').trim().replace(/^(['"])(.*)\1$/, '$2');
    out[m[1].trim()] = value;
  });
  return out;
}

// A mapping named on the command line (`--mapping`): a preset's name, or a JSON file.

import { readFile } from 'node:fs/promises';
import { FileError, UsageError } from './errors.mjs';
import { quote } from './quote.mjs';

/** A preset's name as it is, or (a name with a dot or a slash) the mapping file's object. */
export async function readMapping(given) {
  if (!/[./\\]/.test(given)) return given;
  let text;
  try {
    text = await readFile(given, 'utf8');
  } catch (e) {
    throw new FileError(`cannot read the mapping ${quote(given)}: ${e.code ?? e.message}`, 'Check the path, or name a preset: dynamics365, salesforce, hubspot.');
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`the mapping ${quote(given)} is not JSON: ${e.message}`, 'A mapping is a JSON object {"version": 1, …}; start from a preset.');
  }
}

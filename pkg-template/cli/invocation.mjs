// One run of the `cube` command: what its command shares — the abort signal (Ctrl-C), the
// client made from the flags and the environment, and what to tell the user if the run stops.

import { CubeClient } from '../node/index.mjs';
import { clientOptions } from './args.mjs';
import { credentials, target } from './credentials.mjs';

export class Invocation {
  constructor({ signal, env = process.env, stdin = process.stdin }) {
    this.signal = signal;
    this.env = env;
    this.stdin = stdin;
    /** What to do after a failure or an interrupt (set by the command as it goes). */
    this.resume = undefined;
    /** The flag an `invalid_argument` refers to, for the error line. */
    this.flagOfParam = undefined;
  }

  /** A client from the connection flags and the environment (checked before any request). */
  async connect(values) {
    const where = target(values, this.env);
    const options = clientOptions(values);
    const auth = await credentials(values, this.env, this.stdin);
    return new CubeClient({ ...where, auth, ...options });
  }
}

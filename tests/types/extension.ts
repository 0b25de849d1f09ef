// The extension recipe: web/ and js/ copied into the extension, imported by path. The types
// must come along (web/index.d.ts), or this file would not compile under strict mode.
import { CubeClient, CubeError } from '../../pkg/web/index.js';

export async function fromServiceWorker(token: string): Promise<{ me?: string | undefined; error?: unknown }> {
  const cube = new CubeClient({ account: 'acme', auth: { token } });
  try {
    return { me: (await cube.whoAmI()).name };
  } catch (error) {
    return { error: error instanceof CubeError ? error.toJSON() : String(error) };
  }
}

// @ts-expect-error the copied types are the real ones: crmType is checked
new CubeClient({ account: 'acme', auth: { token: 'x' } }).customers({ dataOwnerId: 1, crmType: 'B2X' });

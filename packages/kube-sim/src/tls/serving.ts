import { X509Certificate } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  createCertificateAuthority,
  issueServerCertificate,
  KeyAndCertificate,
} from './certificates';

/** What an HTTPS server needs, plus the CA clients should trust. */
export interface ServingTls {
  /** The serving certificate's private key (PEM). */
  keyPem: string;
  /** The serving certificate (PEM), signed by the CA. */
  certPem: string;
  /** The CA certificate (PEM); kubeconfigs carry it as certificate-authority-data. */
  caPem: string;
}

/** The `<statePath>.tls.json` file: the CA survives restarts so old kubeconfigs stay valid. */
interface PersistedCa {
  version: 1;
  caKey: string;
  caCert: string;
}

/** Where the CA of a simulator with state file `statePath` is kept. */
export function caPathFor(statePath: string): string {
  return `${statePath}.tls.json`;
}

function readCa(
  path: string,
  log: (line: string) => void,
): KeyAndCertificate | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as PersistedCa;
    const cert = new X509Certificate(raw.caCert);
    // a CA about to expire would invalidate kubeconfigs mid-session: renew it
    if (Date.parse(cert.validTo) < Date.now() + 24 * 60 * 60 * 1000) {
      log(`tls: CA in ${path} expires ${cert.validTo}; making a new one`);
      return undefined;
    }
    return { keyPem: raw.caKey, certPem: raw.caCert };
  } catch (e) {
    log(`tls: unreadable CA file ${path} (${String(e)}); making a new one`);
    return undefined;
  }
}

function writeCa(path: string, ca: KeyAndCertificate): void {
  const body: PersistedCa = {
    version: 1,
    caKey: ca.keyPem,
    caCert: ca.certPem,
  };
  mkdirSync(dirname(path), { recursive: true });
  // atomically, and private: the file holds the CA's private key
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(body), { mode: 0o600 });
  renameSync(tmp, path);
}

/**
 * The CA (loaded from `caPath` when it holds one, else new and saved there)
 * and a fresh serving certificate for `hosts`.
 */
export function servingTls(options: {
  hosts: string[];
  caPath?: string;
  log?: (line: string) => void;
}): ServingTls {
  const log = options.log ?? (() => {});
  let ca = options.caPath ? readCa(options.caPath, log) : undefined;
  if (!ca) {
    ca = createCertificateAuthority();
    if (options.caPath) writeCa(options.caPath, ca);
  }
  const server = issueServerCertificate(ca, options.hosts);
  return { keyPem: server.keyPem, certPem: server.certPem, caPem: ca.certPem };
}

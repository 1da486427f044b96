import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { stringify } from 'yaml';

/** A gzipped ustar archive of text files (enough for `helm template` and our reader). */
export function tarGz(files: Record<string, string>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, text] of Object.entries(files)) {
    const body = Buffer.from(text, 'utf8');
    const header = Buffer.alloc(512, 0);
    header.write(name, 0, 100, 'utf8');
    header.write('0000644\0', 100, 'ascii');
    header.write('0000000\0', 108, 'ascii');
    header.write('0000000\0', 116, 'ascii');
    header.write(
      `${body.length.toString(8).padStart(11, '0')}\0`,
      124,
      'ascii',
    );
    header.write('00000000000\0', 136, 'ascii');
    header.write('        ', 148, 'ascii');
    header.write('0', 156, 'ascii');
    header.write('ustar\0', 257, 'ascii');
    header.write('00', 263, 'ascii');
    let sum = 0;
    for (const b of header) sum += b;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024, 0));
  return gzipSync(Buffer.concat(blocks));
}

/**
 * A small chart of our own, `<name>-<version>`: a ConfigMap carrying the values, a Deployment
 * that exists only while `legacy.enabled` (so an upgrade that turns it off has something to
 * prune), and the release labels charts set.
 */
export function demoChartFiles(
  name: string,
  version: string,
  appVersion: string,
): Record<string, string> {
  return {
    [`${name}/Chart.yaml`]: stringify({
      apiVersion: 'v2',
      name,
      version,
      appVersion,
      description: 'MeshStage test chart',
    }),
    [`${name}/values.yaml`]: stringify({
      greeting: 'hello',
      replicas: 1,
      image: { hub: 'docker.io/example', tag: appVersion },
      legacy: { enabled: true },
      extra: { keep: 'chart-default', drop: 'chart-default' },
    }),
    [`${name}/templates/_helpers.tpl`]: [
      `{{- define "demo.labels" -}}`,
      `app.kubernetes.io/instance: {{ .Release.Name }}`,
      `app.kubernetes.io/name: ${name}`,
      `helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}`,
      `{{- end }}`,
      '',
    ].join('\n'),
    [`${name}/templates/configmap.yaml`]: [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: {{ .Release.Name }}-config',
      '  labels:',
      '    {{- include "demo.labels" . | nindent 4 }}',
      'data:',
      '  greeting: {{ .Values.greeting | quote }}',
      '  version: {{ .Chart.AppVersion | quote }}',
      '  extra: {{ toJson .Values.extra | quote }}',
      '',
    ].join('\n'),
    [`${name}/templates/deployment.yaml`]: [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: {{ .Release.Name }}',
      '  namespace: {{ .Release.Namespace }}',
      '  labels:',
      '    {{- include "demo.labels" . | nindent 4 }}',
      'spec:',
      '  replicas: {{ .Values.replicas }}',
      '  selector:',
      '    matchLabels: { app: {{ .Release.Name }} }',
      '  template:',
      '    metadata:',
      '      labels: { app: {{ .Release.Name }} }',
      '    spec:',
      '      containers:',
      '        - name: main',
      '          image: "{{ .Values.image.hub }}/demo:{{ .Values.image.tag }}"',
      '',
    ].join('\n'),
    [`${name}/templates/legacy.yaml`]: [
      '{{- if .Values.legacy.enabled }}',
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: {{ .Release.Name }}-legacy',
      '  labels:',
      '    {{- include "demo.labels" . | nindent 4 }}',
      'spec:',
      '  selector: { app: {{ .Release.Name }} }',
      '  ports: [{ port: 80 }]',
      '{{- end }}',
      '',
    ].join('\n'),
    [`${name}/templates/tests/test.yaml`]: [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: {{ .Release.Name }}-test',
      '  annotations: { "helm.sh/hook": test }',
      'spec:',
      '  containers: [{ name: t, image: busybox }]',
      '',
    ].join('\n'),
  };
}

export interface ServedChart {
  name: string;
  version: string;
  appVersion?: string;
  archive: Buffer;
  /** Mark deprecated in the index. */
  deprecated?: boolean;
  /** Give the archive's URL absolute on this host (else relative). */
  absoluteUrl?: boolean;
}

/**
 * A Helm repository on 127.0.0.1: `index.yaml` and the archives, counting requests per path so
 * tests can tell a cache hit from a network read. Charts can be added while it runs.
 */
export async function startChartRepo(charts: ServedChart[] = []) {
  const served = [...charts];
  const requests: string[] = [];
  let etagSeen = 0;
  const archives = new Map<string, Buffer>();
  const indexYaml = (base: string) => {
    const entries: Record<string, unknown[]> = {};
    for (const c of served) {
      const file = `${c.name}-${c.version}.tgz`;
      archives.set(`/charts/${file}`, c.archive);
      (entries[c.name] ??= []).push({
        apiVersion: 'v2',
        name: c.name,
        version: c.version,
        ...(c.appVersion ? { appVersion: c.appVersion } : {}),
        ...(c.deprecated ? { deprecated: true } : {}),
        digest: createHash('sha256').update(c.archive).digest('hex'),
        urls: [c.absoluteUrl ? `${base}/charts/${file}` : `charts/${file}`],
      });
    }
    return stringify({
      apiVersion: 'v1',
      entries,
      generated: '2026-01-01T00:00:00Z',
    });
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(url.pathname);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (url.pathname === '/index.yaml') {
      const body = indexYaml(base);
      const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
      if (req.headers['if-none-match'] === etag) {
        etagSeen++;
        res.writeHead(304).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/yaml', etag }).end(body);
      return;
    }
    const archive = archives.get(url.pathname);
    if (archive) {
      res.writeHead(200, { 'content-type': 'application/gzip' }).end(archive);
      return;
    }
    res.writeHead(404).end('not found');
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    count: (path: string) => requests.filter(p => p === path).length,
    notModified: () => etagSeen,
    add(chart: ServedChart) {
      served.push(chart);
    },
    /** Drops a chart version from the index (as a vendor or mirror would stop serving it). */
    remove(name: string, version: string) {
      const i = served.findIndex(c => c.name === name && c.version === version);
      if (i >= 0) served.splice(i, 1);
    },
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
